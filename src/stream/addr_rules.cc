#include "stream/addr_rules.h"

#include <netinet/in.h>

#include <cstring>

#include "expr/sample_expr.h"
#include "net/connection.h"
#include "stream/session.h"

namespace hearth::stream {

using Action = config::HttpRule::Action;

bool is_addr_rule(const config::HttpRule& r) {
  return r.action == Action::kSetSrc || r.action == Action::kSetSrcPort ||
         r.action == Action::kSetDst || r.action == Action::kSetDstPort;
}

namespace {

// `s` (an IPv4 or IPv6 sample) as an address with `port`.
net::Address address_of(const expr::Sample& s, int port) {
  net::Address a;
  if (s.type == expr::SmpType::kIpv4) {
    a.ss.v4.sin_family = AF_INET;
    std::memcpy(&a.ss.v4.sin_addr, s.addr, 4);
    a.len = sizeof(sockaddr_in);
  } else {
    a.ss.v6.sin6_family = AF_INET6;
    std::memcpy(&a.ss.v6.sin6_addr, s.addr, 16);
    a.len = sizeof(sockaddr_in6);
  }
  a.set_port(port);
  return a;
}

}  // namespace

void apply_addr_action(AddrAction a, AddrLevel level, const expr::SampleExpr& e, TxnFetch& ctx) {
  Session* sess = ctx.session();
  const net::Connection* conn = ctx.client();
  if (!sess || !conn) return;
  expr::Sample s;
  if (!expr::eval_sample_expr(e, ctx, s)) return;
  const bool src = a == AddrAction::kSrc || a == AddrAction::kSrcPort;
  std::optional<net::Address> cur =
      src ? std::optional<net::Address>(sess->client_addr(conn)) : sess->dst_addr(conn);
  if (!cur) return;
  std::unique_ptr<net::Address>& slot =
      level == AddrLevel::kStream    ? (src ? sess->strm_src : sess->strm_dst)
      : level == AddrLevel::kSession ? (src ? sess->src : sess->dst)
                                     : (src ? sess->conn_src : sess->conn_dst);
  if (a == AddrAction::kSrc || a == AddrAction::kDst) {
    if (!expr::cast(s, expr::SmpType::kAddr)) return;
    // The port stays (HAProxy keeps it when the family allows it; both
    // families carry one here).
    slot = std::make_unique<net::Address>(address_of(s, cur->port()));
    return;
  }
  if (!expr::cast(s, expr::SmpType::kSint) || s.sint < 0 || s.sint > 65535) return;
  net::Address moved = *cur;
  moved.set_port(int(s.sint));
  slot = std::make_unique<net::Address>(moved);
}

void apply_addr_rule(const config::HttpRule& r, TxnFetch& ctx) {
  const AddrAction a = r.action == Action::kSetSrc       ? AddrAction::kSrc
                       : r.action == Action::kSetSrcPort ? AddrAction::kSrcPort
                       : r.action == Action::kSetDst     ? AddrAction::kDst
                                                         : AddrAction::kDstPort;
  apply_addr_action(a, AddrLevel::kStream, *r.expr, ctx);
}

void apply_addr_rule(const config::TcpRule& r, TxnFetch& ctx) {
  using Tcp = config::TcpRule::Action;
  const AddrAction a = r.action == Tcp::kSetSrc       ? AddrAction::kSrc
                       : r.action == Tcp::kSetSrcPort ? AddrAction::kSrcPort
                       : r.action == Tcp::kSetDst     ? AddrAction::kDst
                                                      : AddrAction::kDstPort;
  apply_addr_action(a,
                    r.stream_level ? AddrLevel::kStream
                    : r.conn_level ? AddrLevel::kConnection
                                   : AddrLevel::kSession,
                    *r.expr, ctx);
}

}  // namespace hearth::stream
