// http-request / http-response wait-for-body time T [at-least N], and which
// rules read the response payload.
#include "config/keywords.h"
#include "config/units.h"
#include "expr/condition.h"
#include "expr/log_format.h"

namespace hearth::config::detail {

bool parse_wait_for_body(const Directive& d, const std::string& kw, HttpRule& rule, Reporter& rep) {
  bool has_time = false;
  for (size_t i = 2; i < d.size(); i += 2) {
    const std::string& w = d[i];
    if ((w != "time" && w != "at-least") || i + 1 >= d.size()) {
      rep.error(d.loc, kw,
                (w == "time" || w == "at-least" ? "'" + w + "' expects a value"
                                                : "unexpected '" + w + "'") +
                    "; usage: wait-for-body time TIME [at-least BYTES]");
      return false;
    }
    if (w == "time") {
      const auto ms = parse_duration_ms(d[i + 1]);
      if (!ms) {
        rep.error(d.loc, kw, "invalid time '" + d[i + 1] + "'");
        return false;
      }
      rule.wait_ms = *ms;
      has_time = true;
    } else {
      const auto n = parse_size(d[i + 1]);
      if (!n) {
        rep.error(d.loc, kw, "invalid size '" + d[i + 1] + "'");
        return false;
      }
      rule.at_least = *n;
    }
  }
  if (!has_time) {
    rep.error(d.loc, kw, "'time' is required; usage: wait-for-body time TIME [at-least BYTES]");
    return false;
  }
  return true;
}

bool reads_response_body(const HttpRule& rule) {
  constexpr uint8_t kBody = expr::kUseResBody;
  auto fmt_reads = [](const std::shared_ptr<const expr::LogFormat>& f) {
    return f && (f->use() & kBody);
  };
  if (fmt_reads(rule.fmt) || fmt_reads(rule.fmt2)) return true;
  if (rule.expr && (rule.expr->fetch->use & kBody)) return true;
  for (const auto& h : rule.hdrs)
    if (fmt_reads(h.second)) return true;
  if (rule.cond)
    for (const auto& all_of : rule.cond->any_of)
      for (const expr::CondTerm& t : all_of)
        if (t.acl->use() & kBody) return true;
  return false;
}

}  // namespace hearth::config::detail
