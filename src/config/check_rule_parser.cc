#include "config/check_rule_parser.h"

#include "config/units.h"
#include "expr/var_access.h"

namespace hearth::config::detail {
namespace {

struct StatusName {
  const char* name;
  CheckStatus status;
};

// The statuses each option accepts, as HAProxy 2.6.
constexpr StatusName kOkStatuses[] = {{"L7OK", CheckStatus::kL7Ok},
                                      {"L7OKC", CheckStatus::kL7OkCd},
                                      {"L6OK", CheckStatus::kL6Ok},
                                      {"L4OK", CheckStatus::kL4Ok}};
constexpr StatusName kErrorStatuses[] = {{"L7RSP", CheckStatus::kL7Rsp},
                                         {"L7STS", CheckStatus::kL7Sts},
                                         {"L6RSP", CheckStatus::kL6Rsp},
                                         {"L4CON", CheckStatus::kL4Con}};
constexpr StatusName kToutStatuses[] = {{"L7TOUT", CheckStatus::kL7Timeout},
                                        {"L6TOUT", CheckStatus::kL6Timeout},
                                        {"L4TOUT", CheckStatus::kL4Timeout}};

template <size_t N>
bool status_of(const std::string& v, const StatusName (&table)[N], CheckStatus* out,
               std::string* names) {
  for (const StatusName& s : table) {
    if (v == s.name) {
      *out = s.status;
      return true;
    }
    if (!names->empty()) *names += ", ";
    *names += s.name;
  }
  return false;
}

bool is_digit_word(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

bool decode_hex(const std::string& hex, std::string* out) {
  if (hex.empty() || hex.size() % 2) return false;
  out->clear();
  auto nibble = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(char(hi << 4 | lo));
  }
  return true;
}

std::shared_ptr<const expr::Regex> compile_check_regex(const Directive& d, const std::string& kw,
                                                       const std::string& pattern, Reporter& rep) {
  std::string err;
  auto re = expr::Regex::compile(pattern, &err);
  if (!re) rep.error(d.loc, kw, "invalid regular expression '" + pattern + "': " + err);
  return re;
}

std::shared_ptr<const expr::LogFormat> parse_check_format(const Directive& d, const std::string& kw,
                                                          const std::string& text, Reporter& rep) {
  std::string err;
  std::shared_ptr<const expr::LogFormat> f = expr::LogFormat::parse(text, kCheckUse, &err);
  if (!f) rep.error(d.loc, kw, "invalid log-format string '" + text + "': " + err);
  return f;
}

bool parse_check_connect(const Directive& d, size_t at, const std::string& kw, CheckRule* rule,
                         Reporter& rep) {
  CheckConnect& c = rule->connect;
  for (size_t i = at; i < d.size(); ++i) {
    const std::string& o = d[i];
    const bool has_value = i + 1 < d.size();
    if (o == "default") {
      c.is_default = true;
    } else if (o == "send-proxy") {
      c.send_proxy = true;
    } else if (o == "ssl") {
      c.ssl = true;
    } else if (o == "linger") {
      c.linger = true;
    } else if (o == "port" || o == "addr" || o == "sni" || o == "alpn" || o == "comment" ||
               o == "proto") {
      if (!has_value) {
        rep.error(d.loc, kw, "'" + o + "' expects a value");
        return false;
      }
      const std::string& v = d[++i];
      if (o == "port") {
        auto p = parse_int(v);
        if (!p || *p < 1 || *p > 65535) {
          rep.error(d.loc, kw, "invalid port '" + v + "': expects a number from 1 to 65535");
          return false;
        }
        c.port = int(*p);
      } else if (o == "addr") {
        // "IP" or "IP:PORT" ("[IPv6]:PORT"); checked when the runtime is built.
        std::string host = v;
        const size_t colon = v.rfind(':');
        const bool v6 = v.find(':') != colon || (!v.empty() && v[0] == '[');
        if (colon != std::string::npos && (!v6 || (v[0] == '[' && v[colon - 1] == ']'))) {
          auto p = parse_int(v.substr(colon + 1));
          if (!p || *p < 1 || *p > 65535) {
            rep.error(d.loc, kw, "invalid address '" + v + "': bad port");
            return false;
          }
          host = v.substr(0, colon);
          if (!c.port) c.port = int(*p);
        }
        if (host.size() > 1 && host.front() == '[' && host.back() == ']')
          host = host.substr(1, host.size() - 2);
        if (host.empty()) {
          rep.error(d.loc, kw, "invalid address '" + v + "': expects an IP address");
          return false;
        }
        c.addr = host;
      } else if (o == "sni") {
        c.sni = v;
      } else if (o == "alpn") {
        // A comma-separated list, offered as written. HTTP checks speak
        // HTTP/1.x only: a list that could negotiate another protocol is
        // refused there.
        c.alpn.clear();
        for (size_t from = 0;;) {
          const size_t comma = v.find(',', from);
          const std::string p = v.substr(from, comma == std::string::npos ? comma : comma - from);
          if (p.empty() || p.size() > 255) {
            rep.error(d.loc, kw, "invalid ALPN list '" + v + "'");
            return false;
          }
          if (kw.rfind("http-check", 0) == 0 && p != "http/1.1" && p != "http/1.0") {
            rep.error(d.loc, kw,
                      "'alpn " + v +
                          "': Hearth's HTTP checks speak HTTP/1.x only, so they may "
                          "offer only http/1.1 and http/1.0 (got '" +
                          p + "')");
            return false;
          }
          c.alpn.push_back(p);
          if (comma == std::string::npos) break;
          from = comma + 1;
        }
      } else if (o == "comment") {
        rule->comment = v;
      } else {  // proto
        rep.error(d.loc, kw,
                  "'proto " + v + "' is not supported by Hearth: checks speak HTTP/1.1 or raw TCP");
        return false;
      }
    } else if (o == "via-socks4") {
      c.via_socks4 = true;
    } else if (o == "port-expr" || o == "addr-expr") {
      rep.error(d.loc, kw, "'" + o + "' is not supported by Hearth yet");
      return false;
    } else {
      rep.error(d.loc, kw,
                "unknown option '" + o +
                    "': expects default, port, addr, send-proxy, ssl, sni, alpn, linger "
                    "or comment");
      return false;
    }
  }
  return true;
}

int parse_expect_option(const Directive& d, size_t* i, const std::string& kw, CheckRule* rule,
                        Reporter& rep) {
  const std::string& o = d[*i];
  static const char* const kOptions[] = {"min-recv",    "comment",    "ok-status", "error-status",
                                         "tout-status", "on-success", "on-error",  "status-code"};
  bool known = false;
  for (const char* k : kOptions) known = known || o == k;
  if (!known) return 0;
  if (*i + 1 >= d.size()) {
    rep.error(d.loc, kw, "'" + o + "' expects a value");
    return -1;
  }
  const std::string& v = d[++*i];
  ++*i;
  CheckExpect& e = rule->expect;
  if (o == "min-recv") {
    auto n = parse_int(v);
    if (!is_digit_word(v) || !n || *n > (1 << 30)) {
      rep.error(d.loc, kw, "invalid min-recv '" + v + "': expects a number of bytes");
      return -1;
    }
    e.min_recv = int(*n);
  } else if (o == "comment") {
    rule->comment = v;
  } else if (o == "ok-status" || o == "error-status" || o == "tout-status") {
    CheckStatus st{};
    std::string names;
    const bool ok = o == "ok-status"      ? status_of(v, kOkStatuses, &st, &names)
                    : o == "error-status" ? status_of(v, kErrorStatuses, &st, &names)
                                          : status_of(v, kToutStatuses, &st, &names);
    if (!ok) {
      rep.error(d.loc, kw, "invalid " + o + " '" + v + "': expects one of " + names);
      return -1;
    }
    (o == "ok-status" ? e.ok_status : o == "error-status" ? e.error_status : e.tout_status) = st;
  } else if (o == "on-success" || o == "on-error") {
    auto f = parse_check_format(d, kw, v, rep);
    if (!f) return -1;
    (o == "on-success" ? e.on_success : e.on_error) = std::move(f);
  } else {  // status-code
    std::string err;
    std::shared_ptr<const expr::SampleExpr> x = expr::parse_sample_expr(v, kCheckUse, &err);
    if (!x) {
      rep.error(d.loc, kw, "invalid status-code expression '" + v + "': " + err);
      return -1;
    }
    e.status_code = std::move(x);
  }
  return 1;
}

bool parse_check_var(const Directive& d, const std::string& kw, CheckRule* rule, Reporter& rep) {
  const std::string& a = d[1];
  const size_t open = a.find('(');
  if (open == std::string::npos || a.back() != ')') {
    rep.error(d.loc, kw, "expects the variable in parentheses, e.g. set-var(check.name)");
    return false;
  }
  const std::string verb = a.substr(0, open);
  const std::string inner = a.substr(open + 1, a.size() - open - 2);
  std::vector<std::string> parts;
  for (size_t p = 0;;) {
    const size_t c = inner.find(',', p);
    parts.push_back(inner.substr(p, c - p));
    if (c == std::string::npos) break;
    p = c + 1;
  }
  std::string err;
  if (!expr::parse_var_name(parts[0], &rule->var, &err)) {
    rep.error(d.loc, kw, err);
    return false;
  }
  if (verb == "unset-var") {
    rule->action = CheckRule::Action::kUnsetVar;
    if (parts.size() > 1 || d.size() > 2) {
      rep.error(d.loc, kw, "expects 'unset-var(NAME)' alone");
      return false;
    }
    return true;
  }
  rule->action = CheckRule::Action::kSetVar;
  for (size_t i = 1; i < parts.size(); ++i) {
    if (!expr::parse_var_cond(parts[i], &rule->var_conds, &err)) {
      rep.error(d.loc, kw, err);
      return false;
    }
  }
  const bool fmt = verb == "set-var-fmt";
  if (d.size() != 3) {
    rep.error(
        d.loc, kw,
        std::string("expects ") + (fmt ? "'set-var-fmt(NAME) FORMAT'" : "'set-var(NAME) EXPR'"));
    return false;
  }
  expr::declare_set_var_target(rule->var);
  if (fmt) {
    rule->var_fmt = parse_check_format(d, kw, d[2], rep);
    return rule->var_fmt != nullptr;
  }
  rule->var_expr = expr::parse_sample_expr(d[2], kCheckUse, &err);
  if (!rule->var_expr) {
    rep.error(d.loc, kw, "invalid expression '" + d[2] + "': " + err);
    return false;
  }
  return true;
}

bool own_check_rules(const Directive& d, const std::string& kw, CheckConfig::RulesKind kind,
                     CheckConfig& c, Reporter& rep) {
  if (c.rules_inherited) {
    c.rules.clear();
    c.rules_kind = CheckConfig::RulesKind::kNone;
    c.rules_inherited = false;
    c.rules_line = 0;
  }
  if (c.rules_kind != CheckConfig::RulesKind::kNone && c.rules_kind != kind) {
    rep.error(d.loc, kw,
              kind == CheckConfig::RulesKind::kTcp
                  ? "cannot be mixed with http-check rules in one section"
                  : "cannot be mixed with tcp-check rules in one section");
    return false;
  }
  c.rules_kind = kind;
  if (c.rules_line == 0) {
    c.rules_line = d.loc.line;
    c.rules_file = d.loc.file;
  }
  return true;
}

}  // namespace hearth::config::detail
