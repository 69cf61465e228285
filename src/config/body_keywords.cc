// http-request / http-response wait-for-body time T [at-least N].
#include "config/keywords.h"
#include "config/units.h"

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

}  // namespace hearth::config::detail
