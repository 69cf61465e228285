// "use-server NAME if|unless COND" and "use-server FMT if|unless COND"
// (HAProxy manual 4.2): in a backend or listen section, the first rule whose
// condition holds and whose server is up picks the server, before load
// balancing. A literal NAME must be a server of the section (validate.cc).
#include "config/keywords.h"
#include "expr/log_format.h"

namespace hearth::config::detail {

void parse_use_server(const Directive& d, ProxySection& s, Reporter& rep) {
  const std::string& kw = d[0];
  if (d.size() < 2 || d[1] == "if" || d[1] == "unless") {
    rep.error(d.loc, kw, "expects a server name: use-server NAME if|unless CONDITION");
    return;
  }
  if (d.size() < 3 || (d[2] != "if" && d[2] != "unless")) {
    rep.error(d.loc, kw, "expects 'if' or 'unless' and a condition after the server name");
    return;
  }
  // Rules read the request (or, in mode tcp, its buffered bytes).
  constexpr uint8_t kUse = expr::kUseConn | expr::kUseReq | expr::kUseL6Req;
  UseServerRule rule{d.loc, d[1], nullptr, nullptr};
  if (d[1].find('%') != std::string::npos) {
    std::string err;
    rule.fmt = expr::LogFormat::parse(d[1], kUse, &err);
    if (!rule.fmt) {
      rep.error(d.loc, kw, err);
      return;
    }
  }
  if (!parse_condition_at(d, 2, s, kUse, kw, &rule.cond, rep)) return;
  s.proxy.use_servers.push_back(std::move(rule));
}

}  // namespace hearth::config::detail
