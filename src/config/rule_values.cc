// Values of HTTP rules: header names, literal text and log-format strings.
#include "config/rule_values.h"

#include "expr/log_format.h"

namespace hearth::config::detail {

bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  for (char t : std::string_view("!#$%&'*+-.^_`|~")) {
    if (c == t) return true;
  }
  return false;
}

bool is_header_name(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_token_char(c)) return false;
  }
  return true;
}

// HAProxy values are log-format strings; Hearth does not evaluate them yet, so
// only literal text is accepted and "%%" stands for '%'.
// Returns: the literal value, or nullopt after reporting the problem.
std::optional<std::string> literal_value(const Directive& d, const std::string& kw,
                                         const std::string& raw, Reporter& rep) {
  std::string out;
  for (size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c == '\r' || c == '\n' || c == '\0') {
      rep.error(d.loc, kw, "the value must not contain CR, LF or NUL characters");
      return std::nullopt;
    }
    if (c == '%') {
      if (i + 1 < raw.size() && raw[i + 1] == '%') {
        ++i;
      } else {
        rep.error(d.loc, kw,
                  "log-format expressions such as %[src] or %ci are not supported by Hearth "
                  "yet; write %% for a literal '%'");
        return std::nullopt;
      }
    }
    out += c;
  }
  return out;
}

uint8_t rule_use(const Directive& d) {
  return d[0] == "http-request" ? expr::kUseConn | expr::kUseReq
                                : expr::kUseConn | expr::kUseRes | expr::kUseResBody;
}

// A log-format value (8.2.4): fixed text goes to rule.value, anything with
// %[...] or a %-variable to rule.fmt. Returns: false after reporting.
bool format_value(const Directive& d, const std::string& kw, const std::string& raw, HttpRule& rule,
                  Reporter& rep) {
  bool plain = true;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '%') continue;
    if (i + 1 < raw.size() && raw[i + 1] == '%') {
      ++i;
      continue;
    }
    plain = false;
  }
  if (plain) {
    auto value = literal_value(d, kw, raw, rep);
    if (!value) return false;
    rule.value = *value;
    return true;
  }
  for (char c : raw) {
    if (c == '\r' || c == '\n' || c == '\0') {
      rep.error(d.loc, kw, "the value must not contain CR, LF or NUL characters");
      return false;
    }
  }
  std::string err;
  auto fmt = expr::LogFormat::parse(raw, rule_use(d), &err);
  if (!fmt) {
    rep.error(d.loc, kw, err);
    return false;
  }
  if (!(fmt->use() & rule_use(d)))
    rep.warning(d.loc, kw, "the value only uses fetches that have no data in this rule");
  rule.fmt = std::move(fmt);
  return true;
}

}  // namespace hearth::config::detail
