// Proxy keywords about the proxy itself and its sockets: id, description,
// disabled / enabled and the TCP keep-alive tuning of each side
// (clitcpka-* / srvtcpka-*).
#include <limits>

#include "config/keywords.h"
#include "config/units.h"

namespace hearth::config::detail {
namespace {

// Linux's bounds for TCP_KEEPIDLE / TCP_KEEPINTVL (seconds) and TCP_KEEPCNT:
// a larger value would be refused by setsockopt on every connection.
constexpr int64_t kMaxKeepAliveSecs = 32767;
constexpr int64_t kMaxKeepAliveProbes = 127;

// "<digits>" is seconds, as HAProxy reads these keywords; with a unit the
// duration is rounded up to whole seconds (the socket option's unit).
void parse_tcpka_time(const Directive& d, int* out, Reporter& rep) {
  if (!check_arity(d, d[0], 2, 2, d[0] + " TIMEOUT", rep)) return;
  const std::string& v = d[1];
  const bool bare = !v.empty() && v.find_first_not_of("0123456789") == std::string::npos;
  std::optional<int64_t> secs;
  if (bare) {
    secs = parse_int(v);
  } else if (auto ms = parse_duration_ms(v)) {
    secs = (*ms + 999) / 1000;
  }
  if (!secs || *secs > kMaxKeepAliveSecs) {
    rep.error(d.loc, d[0],
              "invalid time '" + v +
                  "': expects seconds (\"30\") or a duration with a unit "
                  "(\"2m\"), at most " +
                  std::to_string(kMaxKeepAliveSecs) + " seconds");
    return;
  }
  *out = int(*secs);
}

void parse_tcpka_cnt(const Directive& d, int* out, Reporter& rep) {
  if (!check_arity(d, d[0], 2, 2, d[0] + " COUNT", rep)) return;
  if (auto n = int_arg(d, 1, d[0], 0, kMaxKeepAliveProbes, rep)) *out = int(*n);
}

void parse_id(const Directive& d, ProxySection& s, Reporter& rep) {
  if (!check_arity(d, "id", 2, 2, "id NUMBER", rep)) return;
  auto n = int_arg(d, 1, "id", 1, std::numeric_limits<int32_t>::max(), rep);
  if (!n) return;
  s.proxy.id = int(*n);
  s.proxy.id_loc = d.loc;
}

// description TEXT...: the words joined by single spaces, as HAProxy does.
void parse_description(const Directive& d, ProxySection& s, Reporter& rep) {
  if (!check_arity(d, "description", 2, 1024, "description TEXT", rep)) return;
  std::string text;
  for (size_t i = 1; i < d.size(); ++i) text += (i > 1 ? " " : "") + d[i];
  s.proxy.description = std::move(text);
}

}  // namespace

bool parse_proxy_misc_keyword(const Directive& d, ProxySection& s, Reporter& rep) {
  const std::string& kw = d[0];
  if (kw == "disabled" || kw == "enabled") {
    if (check_arity(d, kw, 1, 1, kw, rep)) s.proxy.disabled = kw == "disabled";
    return true;
  }
  if (kw == "id" || kw == "description") {
    if (!check_section(d, kw, s.proxy.kind, kInProxies, Misplaced::kReject, rep)) return true;
    (kw == "id" ? parse_id : parse_description)(d, s, rep);
    return true;
  }
  const bool cli = kw.rfind("clitcpka-", 0) == 0;
  if (!cli && kw.rfind("srvtcpka-", 0) != 0) return false;
  TcpKeepAlive& ka = cli ? s.proxy.cli_tcpka : s.proxy.srv_tcpka;
  const std::string what = kw.substr(9);
  if (what != "idle" && what != "intvl" && what != "cnt") return false;
  if (!check_section(d, kw, s.proxy.kind, cli ? kFrontSide : kBackSide, Misplaced::kIgnore, rep))
    return true;
  if (what == "cnt")
    parse_tcpka_cnt(d, &ka.cnt, rep);
  else
    parse_tcpka_time(d, what == "idle" ? &ka.idle_s : &ka.intvl_s, rep);
  return true;
}

}  // namespace hearth::config::detail
