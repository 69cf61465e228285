// "tcp-check connect|send|send-lf|send-binary|send-binary-lf|expect|comment|
// set-var|set-var-fmt|unset-var" (HAProxy manual 4.2): the rules of
// "option tcp-check", appended in order to the section's check rules.
#include "config/check_rule_parser.h"
#include "config/keywords.h"

namespace hearth::config::detail {
namespace {

using Kind = CheckExpect::Kind;

constexpr const char* kExpectUsage =
    "tcp-check expect [min-recv N] [comment C] [ok-status S] [error-status S] "
    "[tout-status S] [on-success FMT] [on-error FMT] [status-code EXPR] [!] "
    "string|rstring|binary|rbinary|string-lf|binary-lf PATTERN";

bool parse_send(const Directive& d, const std::string& kw, CheckRule* rule, Reporter& rep) {
  const std::string& a = d[1];
  CheckSend& s = rule->send;
  if (d.size() < 3) {
    rep.error(d.loc, kw, "expects '" + a + " DATA [comment TEXT]'");
    return false;
  }
  for (size_t i = 3; i < d.size(); ++i) {
    if (d[i] == "comment" && i + 1 < d.size()) {
      rule->comment = d[++i];
      continue;
    }
    rep.error(d.loc, kw, "unexpected '" + d[i] + "': expects '" + a + " DATA [comment TEXT]'");
    return false;
  }
  if (a == "send") {
    s.kind = CheckSend::Kind::kString;
    s.data = d[2];
  } else if (a == "send-binary") {
    s.kind = CheckSend::Kind::kBinary;
    if (!decode_hex(d[2], &s.data)) {
      rep.error(d.loc, kw,
                "invalid binary data '" + d[2] + "': expects an even number of hex digits");
      return false;
    }
  } else {
    s.kind = a == "send-lf" ? CheckSend::Kind::kStringLf : CheckSend::Kind::kBinaryLf;
    s.fmt = parse_check_format(d, kw, d[2], rep);
    if (!s.fmt) return false;
  }
  return true;
}

bool parse_expect(const Directive& d, const std::string& kw, CheckRule* rule, Reporter& rep) {
  CheckExpect& e = rule->expect;
  bool have_match = false;
  for (size_t i = 2; i < d.size();) {
    const int opt = parse_expect_option(d, &i, kw, rule, rep);
    if (opt < 0) return false;
    if (opt > 0) continue;
    if (d[i] == "!") {
      e.negate = true;
      ++i;
      continue;
    }
    std::string m = d[i];
    if (m.size() > 1 && m[0] == '!') {  // "!rstring": the negation written against the match
      e.negate = true;
      m = m.substr(1);
    }
    static const std::pair<const char*, Kind> kMatches[] = {
        {"string", Kind::kString},      {"rstring", Kind::kRString},
        {"binary", Kind::kBinary},      {"rbinary", Kind::kRBinary},
        {"string-lf", Kind::kStringLf}, {"binary-lf", Kind::kBinaryLf}};
    bool found = false;
    for (const auto& [name, kind] : kMatches) {
      if (m == name) {
        e.kind = kind;
        found = true;
      }
    }
    if (!found || have_match) {
      rep.error(d.loc, kw,
                (have_match ? "unexpected '" : "unknown match '") + m + "': expects '" +
                    kExpectUsage + "'");
      return false;
    }
    if (i + 1 >= d.size()) {
      rep.error(d.loc, kw, "'" + m + "' expects a pattern");
      return false;
    }
    have_match = true;
    e.pattern = d[i + 1];
    i += 2;
  }
  if (!have_match) {
    rep.error(d.loc, kw, "missing match: expects '" + std::string(kExpectUsage) + "'");
    return false;
  }
  switch (e.kind) {
    case Kind::kString:
      e.data = e.pattern;
      break;
    case Kind::kBinary:
      if (!decode_hex(e.pattern, &e.data)) {
        rep.error(
            d.loc, kw,
            "invalid binary pattern '" + e.pattern + "': expects an even number of hex digits");
        return false;
      }
      break;
    case Kind::kRString:
    case Kind::kRBinary:
      e.regex = compile_check_regex(d, kw, e.pattern, rep);
      return e.regex != nullptr;
    default:  // string-lf, binary-lf
      e.fmt = parse_check_format(d, kw, e.pattern, rep);
      return e.fmt != nullptr;
  }
  return true;
}

}  // namespace

bool parse_tcp_check_rule(const Directive& d, CheckRule* out, Reporter& rep) {
  if (d.size() < 2) {
    rep.error(d.loc, "tcp-check",
              "missing action: expects connect, send, send-lf, send-binary, send-binary-lf, "
              "expect, comment, set-var, set-var-fmt or unset-var");
    return false;
  }
  const std::string& a = d[1];
  const std::string verb = a.substr(0, a.find('('));
  const std::string kw = "tcp-check " + verb;
  CheckRule& rule = *out;
  bool ok = false;
  if (a == "connect") {
    rule.action = CheckRule::Action::kConnect;
    ok = parse_check_connect(d, 2, kw, &rule, rep);
  } else if (a == "send" || a == "send-lf" || a == "send-binary" || a == "send-binary-lf") {
    rule.action = CheckRule::Action::kSend;
    ok = parse_send(d, kw, &rule, rep);
  } else if (a == "expect") {
    rule.action = CheckRule::Action::kExpect;
    ok = parse_expect(d, kw, &rule, rep);
  } else if (a == "comment") {
    rule.action = CheckRule::Action::kComment;
    ok = d.size() == 3;
    if (ok)
      rule.comment = d[2];
    else
      rep.error(d.loc, kw, "expects 'tcp-check comment TEXT'");
  } else if (verb == "set-var" || verb == "set-var-fmt" || verb == "unset-var") {
    ok = parse_check_var(d, kw, &rule, rep);
  } else {
    rep.error(d.loc, kw,
              "unknown action '" + a +
                  "': expects connect, send, send-lf, send-binary, send-binary-lf, expect, "
                  "comment, set-var, set-var-fmt or unset-var");
    return false;
  }
  return ok;
}

void parse_tcp_check(const Directive& d, ProxySection& s, Reporter& rep) {
  CheckRule rule;
  if (!parse_tcp_check_rule(d, &rule, rep)) return;
  CheckConfig& c = s.proxy.check;
  if (!own_check_rules(d, "tcp-check " + d[1].substr(0, d[1].find('(')),
                       CheckConfig::RulesKind::kTcp, c, rep))
    return;
  c.rules.push_back(std::move(rule));
}

}  // namespace hearth::config::detail
