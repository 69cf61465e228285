// TxnFetch: the fetches of the connections' sides and of the process
// (kBcSrc to kStopping): the server connection's addresses, how many
// connections share the client's bind line, whether an address is the
// machine's own, and whether the process is stopping.
#include <sys/socket.h>
#include <unistd.h>

#include "net/connection.h"
#include "net/listener.h"
#include "stream/fetch_util.h"
#include "stream/http_stream.h"
#include "stream/sample_fetch.h"
#include "stream/session.h"
#include "stream/stick_counters.h"

namespace hearth::stream {
namespace {

using expr::FetchId;

// Returns: true if `a` is an address of this machine: a socket can be
// bound to it (HAProxy does the same few system calls). UNIX sockets are
// local.
bool address_is_local(const net::Address& a) {
  const sockaddr* sa = a.sa();
  if (sa->sa_family == AF_UNIX) return true;
  if (sa->sa_family != AF_INET && sa->sa_family != AF_INET6) return false;
  sockaddr_storage ss{};
  const socklen_t len = sa->sa_family == AF_INET ? sizeof(sockaddr_in) : sizeof(sockaddr_in6);
  std::memcpy(&ss, sa, len);
  if (ss.ss_family == AF_INET)
    reinterpret_cast<sockaddr_in*>(&ss)->sin_port = 0;
  else
    reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port = 0;
  const int fd = ::socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const bool ok = ::bind(fd, reinterpret_cast<const sockaddr*>(&ss), len) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

bool TxnFetch::fetch_conn_side(const expr::FetchDef& def, expr::Sample& out) {
  switch (def.id) {
    case FetchId::kBcSrc:
    case FetchId::kBcSrcPort:
    case FetchId::kBcDst:
    case FetchId::kBcDstPort: {
      if (!server_conn_) return false;
      const bool src = def.id == FetchId::kBcSrc || def.id == FetchId::kBcSrcPort;
      const std::optional<net::Address> a =
          src ? fetch_util::socket_address(server_conn_->fd(), false) : server_conn_->peer();
      if (!a) return false;
      if (def.id == FetchId::kBcSrc || def.id == FetchId::kBcDst)
        return fetch_util::addr_sample(a->sa(), out);
      if (a->is_unix()) return false;  // no port on a UNIX socket
      out.set_sint(a->port());
      return true;
    }
    case FetchId::kBcHttpMajor:
      if (!server_conn_) return false;
      out.set_sint(1);  // HTTP/1.x on the wire toward servers
      return true;
    case FetchId::kDstConn:
      if (!session_ || !session_->bind) return false;
      out.set_sint(session_->bind->cur.load(std::memory_order_relaxed));
      return true;
    case FetchId::kFcDstIsLocal:
    case FetchId::kFcSrcIsLocal: {
      if (!client_) return false;
      const std::optional<net::Address> a =
          fetch_util::socket_address(client_->fd(), def.id == FetchId::kFcSrcIsLocal);
      if (!a) return false;
      out.set_bool(address_is_local(*a));
      return true;
    }
    case FetchId::kDstIsLocal:
    case FetchId::kSrcIsLocal: {
      if (!client_) return false;
      if (def.id == FetchId::kSrcIsLocal) {
        out.set_bool(address_is_local(session_ ? session_->client_addr(client_) : client_->peer()));
        return true;
      }
      const std::optional<net::Address> dst =
          session_ ? session_->dst_addr(client_) : fetch_util::socket_address(client_->fd(), false);
      if (!dst) return false;
      out.set_bool(address_is_local(*dst));
      return true;
    }
    case FetchId::kStopping:
      out.set_bool(soft_stopping());
      return true;
    default:
      return false;
  }
}

bool TxnFetch::fetch_rate(const expr::FetchDef& def, const expr::Arg* args, size_t nargs,
                          expr::Sample& out) {
  const int64_t now = stick_now();  // the loop's clock, or a monotonic one outside a loop
  switch (def.id) {
    case FetchId::kFeReqRate:
    case FetchId::kFeSessRate: {
      // As fe_conn: the current frontend (a name must be its own).
      if (!fe_ || (nargs > 0 && !args[0].str.empty() && fe_->name != args[0].str)) return false;
      const FrontendCounters& c = fe_->counters;
      out.set_sint(def.id == FetchId::kFeReqRate
                       ? backend::rate_sum(c.t, &FrontendTallies::req_rate, c.req_rate_max, now)
                       : backend::rate_sum(c.t, &FrontendTallies::sess_rate, c.sess_rate_max, now));
      return true;
    }
    case FetchId::kBeSessRate: {
      const backend::Backend* be = backend_arg(args, nargs);
      if (!be) return false;
      const backend::BackendCounters& c = be->counters;
      out.set_sint(
          backend::rate_sum(c.t, &backend::BackendTallies::sess_rate, c.sess_rate_max, now));
      return true;
    }
    case FetchId::kSrvSessRate: {
      const backend::Server* s = server_arg(args[0], nullptr);
      if (!s) return false;
      const backend::ServerCounters& c = s->counters;
      out.set_sint(
          backend::rate_sum(c.t, &backend::ServerTallies::sess_rate, c.sess_rate_max, now));
      return true;
    }
    default:
      return false;
  }
}

}  // namespace hearth::stream
