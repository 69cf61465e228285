// "stick match|on|store-request|store-response PATTERN [table TABLE]
// [if|unless COND]" (HAProxy 2.6 manual 4.2) in a backend or listen section.
// The pattern is a sample expression of the request (of the response for
// store-response); the table, the proxy's own unless named, stores server_id.
#include "config/keywords.h"

namespace hearth::config::detail {

void parse_stick_rule(const Directive& d, ProxySection& s, Reporter& rep) {
  const std::string usage =
      "expects stick match|on|store-request|store-response PATTERN "
      "[table TABLE] [if|unless CONDITION]";
  if (d.size() < 2) {
    rep.error(d.loc, d[0], "missing rule: " + usage);
    return;
  }
  const std::string kw = "stick " + d[1];
  StickRule rule;
  rule.loc = d.loc;
  if (d[1] == "match") {
    rule.kind = StickRule::Kind::kMatch;
  } else if (d[1] == "on") {
    rule.kind = StickRule::Kind::kOn;
  } else if (d[1] == "store-request") {
    rule.kind = StickRule::Kind::kStoreRequest;
  } else if (d[1] == "store-response") {
    rule.kind = StickRule::Kind::kStoreResponse;
  } else {
    rep.error(d.loc, kw, "unknown stick rule: " + usage);
    return;
  }
  if (d.size() < 3 || d[2] == "if" || d[2] == "unless" || d[2] == "table") {
    rep.error(d.loc, kw, "missing pattern: " + usage);
    return;
  }
  // The request (or in mode tcp its buffered bytes); the response for
  // store-response.
  const uint8_t use = rule.kind == StickRule::Kind::kStoreResponse
                          ? expr::kUseConn | expr::kUseRes | expr::kUseL6Res
                          : expr::kUseConn | expr::kUseReq | expr::kUseL6Req;
  std::string err;
  rule.expr = expr::parse_sample_expr(d[2], use, &err);
  if (!rule.expr) {
    rep.error(d.loc, kw, err);
    return;
  }
  size_t next = 3;
  std::string table;
  if (d.size() > next && d[next] == "table") {
    if (d.size() <= next + 1) {
      rep.error(d.loc, kw, "missing table name after 'table'");
      return;
    }
    table = d[next + 1];
    next += 2;
  }
  if (d.size() > next && d[next] != "if" && d[next] != "unless") {
    rep.error(d.loc, kw, "unexpected '" + d[next] + "': " + usage);
    return;
  }
  if (!parse_condition_at(d, next, s, use, kw, &rule.cond, rep)) return;
  rule.table = expr::TableRefScope::make(table, kw);
  rule.table->server_id = true;
  s.proxy.stick_rules.push_back(std::move(rule));
}

}  // namespace hearth::config::detail
