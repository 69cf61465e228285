// "monitor-uri URI" and "monitor fail if|unless COND" (HAProxy 2.6).
#include "config/keywords.h"

namespace hearth::config::detail {

void parse_monitor_uri(const Directive& d, ProxySection& s, Reporter& rep) {
  if (d.size() != 2 || d[1].empty()) {
    rep.error(d.loc, d[0], "expects one URI: 'monitor-uri URI'");
    return;
  }
  s.proxy.monitor_uri = d[1];  // the last one counts
}

void parse_monitor(const Directive& d, ProxySection& s, Reporter& rep) {
  if (d.size() < 2 || d[1] != "fail") {
    rep.error(d.loc, d[0], "expects 'monitor fail if|unless COND'");
    return;
  }
  const std::string kw = "monitor fail";
  if (d.size() < 3 || (d[2] != "if" && d[2] != "unless")) {
    rep.error(d.loc, kw, "expects 'if' or 'unless' followed by a condition");
    return;
  }
  std::shared_ptr<const expr::Condition> cond;
  if (!parse_condition_at(d, 2, s, expr::kUseConn | expr::kUseReq, kw, &cond, rep)) return;
  s.proxy.monitor_fail.push_back(std::move(cond));
}

}  // namespace hearth::config::detail
