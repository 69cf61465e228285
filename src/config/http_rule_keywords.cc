// "http-request ACTION ..." and "http-response ACTION ...".
#include <cctype>
#include <fstream>
#include <sstream>

#include "config/keywords.h"
#include "config/rule_values.h"
#include "config/units.h"
#include "expr/var_access.h"

namespace hearth::config::detail {
namespace {

// HAProxy actions Hearth recognises but does not implement yet.
const char* const kLaterActions[] = {"cache-store",
                                     "cache-use",
                                     "do-resolve",
                                     "redirect",
                                     "send-spoe-group",
                                     "set-bandwidth-limit",
                                     "set-dst",
                                     "set-dst-port",
                                     "set-mark",
                                     "set-nice",
                                     "set-src",
                                     "set-src-port",
                                     "set-tos",
                                     "wait-for-handshake",
                                     "deny",
                                     "return"};

// set-var(NAME[,COND...]) EXPR | set-var-fmt(NAME[,COND...]) FMT | unset-var(NAME)
bool parse_var_action(const Directive& d, const std::string& kw, HttpRule& rule, Reporter& rep) {
  const std::string& a = d[1];
  const size_t open = a.find('(');
  if (open == std::string::npos || a.back() != ')') {
    rep.error(d.loc, kw,
              "expects the variable in parentheses, e.g. " + a.substr(0, open) + "(txn.name)");
    return false;
  }
  std::string inner = a.substr(open + 1, a.size() - open - 2);
  std::vector<std::string> parts;
  for (size_t p = 0;;) {
    const size_t c = inner.find(',', p);
    parts.push_back(inner.substr(p, c - p));
    if (c == std::string::npos) break;
    p = c + 1;
  }
  std::string err;
  if (!expr::parse_var_name(parts[0], &rule.var, &err)) {
    rep.error(d.loc, kw, err);
    return false;
  }
  if (rule.action == HttpRule::Action::kUnsetVar) {
    if (parts.size() > 1) {
      rep.error(d.loc, kw, "unset-var takes no condition");
      return false;
    }
    return check_arity(d, kw, 2, 2, "unset-var(NAME)", rep);
  }
  for (size_t i = 1; i < parts.size(); ++i) {
    if (!expr::parse_var_cond(parts[i], &rule.var_conds, &err)) {
      rep.error(d.loc, kw, err);
      return false;
    }
  }
  expr::declare_set_var_target(rule.var);
  const bool fmt = rule.action == HttpRule::Action::kSetVarFmt;
  if (!check_arity(d, kw, 3, 3, fmt ? "set-var-fmt(NAME) FORMAT" : "set-var(NAME) EXPR", rep))
    return false;
  if (fmt) {
    // The value is a log-format even when it is plain text.
    auto f = expr::LogFormat::parse(d[2], rule_use(d), &err);
    if (!f) {
      rep.error(d.loc, kw, err);
      return false;
    }
    rule.fmt = std::move(f);
    return true;
  }
  auto e = expr::parse_sample_expr(d[2], rule_use(d), &err);
  if (!e) {
    rep.error(d.loc, kw, err);
    return false;
  }
  rule.expr = std::move(e);
  return true;
}

// The -m of del-header. Returns: false after reporting.
bool parse_name_match(const Directive& d, const std::string& kw, const std::string& m,
                      const std::string& pattern, HttpRule& rule, Reporter& rep) {
  using M = HttpRule::NameMatch;
  if (m == "str")
    rule.name_match = M::kStr;
  else if (m == "beg")
    rule.name_match = M::kBeg;
  else if (m == "end")
    rule.name_match = M::kEnd;
  else if (m == "sub")
    rule.name_match = M::kSub;
  else if (m == "reg")
    rule.name_match = M::kReg;
  else {
    rep.error(d.loc, kw, "unknown matching method '" + m + "' (expects str, beg, end, sub or reg)");
    return false;
  }
  if (rule.name_match != M::kReg) return true;
  std::string why;
  rule.regex = expr::Regex::compile(pattern, &why);
  if (!rule.regex) {
    rep.error(d.loc, kw, "invalid regular expression '" + pattern + "': " + why);
    return false;
  }
  return true;
}

// set-header NAME VALUE | add-header NAME VALUE | del-header NAME
bool parse_header_action(const Directive& d, const std::string& kw, HttpRule& rule, Reporter& rep) {
  const bool set = rule.action != HttpRule::Action::kDelHeader;
  const bool with_m = !set && d.size() > 3 && d[3] == "-m";
  const size_t want = set ? 4 : with_m ? 5 : 3;
  if (!check_arity(d, kw, want, want, set ? kw + " NAME VALUE" : kw + " NAME [-m METHOD]", rep))
    return false;
  if (with_m && !parse_name_match(d, kw, d[4], d[2], rule, rep)) return false;
  if (with_m && rule.name_match != HttpRule::NameMatch::kStr) {
    rule.name = d[2];
    return true;
  }
  if (!is_header_name(d[2])) {
    rep.error(
        d.loc, kw,
        "invalid header name '" + d[2] + "': expects an HTTP token such as X-Forwarded-Proto");
    return false;
  }
  rule.name = d[2];
  if (!set) return true;
  return format_value(d, kw, d[3], rule, rep);
}

// replace-header NAME REGEX FMT | replace-value NAME REGEX FMT
bool parse_replace_action(const Directive& d, const std::string& kw, HttpRule& rule,
                          Reporter& rep) {
  if (!check_arity(d, kw, 5, 5, kw + " NAME REGEX FORMAT", rep)) return false;
  if (!is_header_name(d[2])) {
    rep.error(
        d.loc, kw,
        "invalid header name '" + d[2] + "': expects an HTTP token such as X-Forwarded-Proto");
    return false;
  }
  std::string why;
  rule.regex = expr::Regex::compile(d[3], &why);
  if (!rule.regex) {
    rep.error(d.loc, kw, "invalid regular expression '" + d[3] + "': " + why);
    return false;
  }
  auto fmt = literal_value(d, kw, d[4], rep);
  if (!fmt) return false;
  rule.name = d[2];
  rule.value = *fmt;
  return true;
}

// Returns: true and *a if `name` is an action of parse_uri_action.
bool uri_action(const std::string& name, HttpRule::Action* a) {
  static const std::pair<const char*, HttpRule::Action> kUri[] = {
      {"set-path", HttpRule::Action::kSetPath},
      {"set-pathq", HttpRule::Action::kSetPathq},
      {"set-query", HttpRule::Action::kSetQuery},
      {"set-uri", HttpRule::Action::kSetUri},
      {"set-method", HttpRule::Action::kSetMethod},
      {"replace-path", HttpRule::Action::kReplacePath},
      {"replace-pathq", HttpRule::Action::kReplacePathq},
      {"replace-uri", HttpRule::Action::kReplaceUri}};
  for (const auto& [n, act] : kUri) {
    if (name == n) {
      *a = act;
      return true;
    }
  }
  return false;
}

// set-path|set-pathq|set-query|set-uri|set-method FMT, and
// replace-path|replace-pathq|replace-uri REGEX REPLACEMENT.
bool parse_uri_action(const Directive& d, const std::string& kw, HttpRule& rule, Reporter& rep) {
  const bool replace = d[1].rfind("replace-", 0) == 0;
  if (!check_arity(d, kw, replace ? 4 : 3, replace ? 4 : 3,
                   replace ? kw + " REGEX REPLACEMENT" : kw + " FORMAT", rep))
    return false;
  if (!replace) return format_value(d, kw, d[2], rule, rep);
  std::string why;
  rule.regex = expr::Regex::compile(d[2], &why);
  if (!rule.regex) {
    rep.error(d.loc, kw, "invalid regular expression '" + d[2] + "': " + why);
    return false;
  }
  auto text = literal_value(d, kw, d[3], rep);
  if (!text) return false;
  rule.value = *text;
  return true;
}

// set-src, set-src-port, set-dst, set-dst-port.
bool addr_action(const std::string& name, HttpRule::Action* a) {
  using A = HttpRule::Action;
  if (name == "set-src")
    *a = A::kSetSrc;
  else if (name == "set-src-port")
    *a = A::kSetSrcPort;
  else if (name == "set-dst")
    *a = A::kSetDst;
  else if (name == "set-dst-port")
    *a = A::kSetDstPort;
  else
    return false;
  return true;
}

// ACTION EXPR: one sample expression. Returns: false after reporting.
bool parse_expr_action(const Directive& d, const std::string& kw, HttpRule& rule, Reporter& rep) {
  if (d.size() != 3) {
    rep.error(d.loc, kw,
              d.size() < 3 ? "missing sample expression: expects '" + kw + " EXPR'"
                           : "unexpected argument '" + d[3] + "': expects '" + kw + " EXPR'");
    return false;
  }
  std::string err;
  auto e = expr::parse_sample_expr(d[2], rule_use(d), &err);
  if (!e) {
    rep.error(d.loc, kw, err);
    return false;
  }
  rule.expr = std::move(e);
  return true;
}

// early-hint NAME FMT
bool parse_early_hint(const Directive& d, const std::string& kw, HttpRule& rule, Reporter& rep) {
  if (!check_arity(d, kw, 4, 4, kw + " NAME FORMAT", rep)) return false;
  if (!is_header_name(d[2])) {
    rep.error(d.loc, kw, "invalid header name '" + d[2] + "': expects an HTTP token such as Link");
    return false;
  }
  // HAProxy writes the 103's field names in lower case.
  rule.name = d[2];
  for (char& c : rule.name) c = char(std::tolower(static_cast<unsigned char>(c)));
  return format_value(d, kw, d[3], rule, rep);
}

// set-timeout server|tunnel DURATION|EXPR, in a proxy with a backend side
// (HAProxy 2.6 has no client target). A duration must not be 0.
bool parse_set_timeout(const Directive& d, const std::string& kw, const ProxySection& s,
                       HttpRule& rule, Reporter& rep) {
  if (s.proxy.kind == ProxyKind::kFrontend) {
    rep.error(d.loc, kw,
              "the server and tunnel timeouts belong to a backend: allowed in a backend, listen "
              "or defaults section only");
    return false;
  }
  if (d.size() < 3 || (d[2] != "server" && d[2] != "tunnel")) {
    rep.error(
        d.loc, kw,
        "expects 'server' or 'tunnel'" + (d.size() > 2 ? ", got '" + d[2] + "'" : std::string()));
    return false;
  }
  rule.timeout_tunnel = d[2] == "tunnel";
  if (d.size() != 4) {
    rep.error(d.loc, kw,
              d.size() < 4 ? "missing value: expects '" + kw + " " + d[2] + " TIMEOUT|EXPR'"
                           : "unexpected argument '" + d[4] + "'");
    return false;
  }
  // A value starting with a digit is a duration, anything else an expression.
  if (d[3].empty() || d[3][0] < '0' || d[3][0] > '9') {
    Directive e = d;
    e.words.erase(e.words.begin() + 2);  // EXPR at [2] for parse_expr_action
    return parse_expr_action(e, kw, rule, rep);
  }
  const auto ms = parse_duration_ms(d[3]);
  if (!ms) {
    rep.error(d.loc, kw, "invalid timeout '" + d[3] + "'");
    return false;
  }
  if (*ms == 0) {
    rep.error(d.loc, kw, "a timeout of 0 is not allowed");
    return false;
  }
  rule.wait_ms = *ms;
  return true;
}

// An action without arguments (allow): nothing may stand between it and
// "if"/"unless". Returns: false after reporting.
bool check_no_args(const Directive& d, const std::string& kw, size_t cond_at, size_t n,
                   Reporter& rep) {
  if (cond_at == d.size() && d.size() > n) {
    rep.error(d.loc, kw, "unexpected argument '" + d[n] + "': expects [if|unless COND]");
    return false;
  }
  return true;
}

// strict-mode on|off
bool parse_strict_mode(const Directive& d, const std::string& kw, size_t cond_at, HttpRule& rule,
                       Reporter& rep) {
  if (d.size() < 3 || (d[2] != "on" && d[2] != "off")) {
    rep.error(d.loc, kw, "expects 'on' or 'off'");
    return false;
  }
  rule.strict_on = d[2] == "on";
  return check_no_args(d, kw, cond_at, 3, rep);
}

// use-service NAME: one of the services Hearth has.
bool parse_use_service(const Directive& d, const std::string& kw, size_t cond_at, HttpRule& rule,
                       Reporter& rep) {
  if (d.size() < 3 || cond_at < 3) {
    rep.error(d.loc, kw, "expects a service name: prometheus-exporter");
    return false;
  }
  if (d[2] != "prometheus-exporter") {
    rep.error(d.loc, kw, "unknown service '" + d[2] + "'; Hearth has: prometheus-exporter");
    return false;
  }
  rule.name = d[2];
  return check_no_args(d, kw, cond_at, 3, rep);
}

// set-status CODE [reason STR]: a status from 100 to 999 (as HAProxy).
bool parse_set_status(const Directive& d, const std::string& kw, size_t cond_at, HttpRule& rule,
                      Reporter& rep) {
  const auto n = d.size() > 2 ? parse_int(d[2]) : std::nullopt;
  if (!n || *n < 100 || *n > 999) {
    rep.error(d.loc, kw,
              "expects a status code between 100 and 999" +
                  (d.size() > 2 ? ", got '" + d[2] + "'" : std::string()));
    return false;
  }
  rule.status = int(*n);
  size_t end = 3;
  if (d.size() > 3 && d[3] == "reason") {
    if (d.size() < 5 || (d[4] == "if" || d[4] == "unless")) {
      rep.error(d.loc, kw, "'reason' expects a text");
      return false;
    }
    auto text = literal_value(d, kw, d[4], rep);
    if (!text) return false;
    rule.value = *text;
    rule.has_body = true;  // a reason was given (it may be empty)
    end = 5;
  }
  return check_no_args(d, kw, cond_at, end, rep);
}

// auth [realm REALM]: the realm defaults to the proxy's name. As in
// HAProxy, the word after "realm" is the realm whatever it is.
bool parse_auth_action(const Directive& d, const std::string& kw, const std::string& proxy,
                       HttpRule& rule, size_t* cond_at, Reporter& rep) {
  rule.value = proxy;
  if (d.size() <= 2 || d[2] != "realm") return true;
  if (d.size() <= 3 || d[3].empty()) {
    rep.error(d.loc, kw, "missing realm value after 'realm'");
    return false;
  }
  if (d[3].find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
    rep.error(d.loc, kw, "the realm must not contain CR, LF or NUL characters");
    return false;
  }
  rule.value = d[3];
  *cond_at = 4;
  return true;
}

}  // namespace

// Rules in a defaults section: only a named one holds them (its proxies run
// them before their own). Returns: false after reporting.
bool defaults_may_hold_rules(const Directive& d, ProxySection& s, Reporter& rep) {
  if (s.proxy.kind != ProxyKind::kDefaults) return true;
  if (s.proxy.name.empty()) {
    rep.error(d.loc, d[0],
              "not allowed in an anonymous defaults section: name it (defaults NAME) and have "
              "proxies use it with 'from NAME'");
    return false;
  }
  s.rules_defaults = s.proxy.loc;
  return true;
}

void parse_http_rule(const Directive& d, ProxySection& s, Reporter& rep) {
  const bool request = d[0] == "http-request";
  const bool after = d[0] == "http-after-response";
  const std::string supported =
      request
          ? "set-header, add-header, del-header, replace-header, replace-value, set-var, "
            "set-var-fmt, unset-var, set-path, set-pathq, set-query, set-uri, set-method, "
            "replace-path, replace-pathq, replace-uri, set-src, set-src-port, set-dst, "
            "set-dst-port, set-priority-class, set-priority-offset, set-timeout, early-hint, "
            "redirect, auth, capture, set-log-level, "
            "disable-l7-retry, add-acl, del-acl, set-map, del-map, allow, deny, tarpit, return, "
            "reject, silent-drop, wait-for-body, normalize-uri, use-service, track-sc0, "
            "track-sc1, track-sc2, sc-inc-gpc, sc-inc-gpc0, sc-inc-gpc1, sc-set-gpt, sc-set-gpt0 "
            "or strict-mode"
      : after ? "set-header, add-header, del-header, replace-header, replace-value, set-var, "
                "set-var-fmt, unset-var, set-status, capture, allow or strict-mode"
              : "set-header, add-header, del-header, replace-header, replace-value, set-var, "
                "set-var-fmt, unset-var, set-status, redirect, capture, set-log-level, add-acl, "
                "del-acl, set-map, del-map, allow, deny, return, silent-drop, wait-for-body, "
                "track-sc0, track-sc1, track-sc2, sc-inc-gpc, sc-inc-gpc0, sc-inc-gpc1, "
                "sc-set-gpt, sc-set-gpt0 or strict-mode";
  if (d.size() < 2) {
    rep.error(d.loc, d[0], "missing action: expects " + supported);
    return;
  }
  const std::string kw = d[0] + " " + d[1];
  if (!defaults_may_hold_rules(d, s, rep)) return;
  HttpRule rule{};
  rule.loc = d.loc;
  bool ok = false;
  // The action's own words end where "if" / "unless" may begin: after its
  // fixed arguments, or (deny, return) after its option pairs.
  size_t cond_at = d.size();
  auto fixed = [&d, &cond_at](size_t n) {
    if (d.size() > n && (d[n] == "if" || d[n] == "unless")) cond_at = n;
  };
  Directive args = d;
  if (d[1] == "set-header" || d[1] == "add-header" || d[1] == "del-header") {
    rule.action = d[1] == "set-header"   ? HttpRule::Action::kSetHeader
                  : d[1] == "add-header" ? HttpRule::Action::kAddHeader
                                         : HttpRule::Action::kDelHeader;
    const bool del_m = rule.action == HttpRule::Action::kDelHeader && d.size() > 3 && d[3] == "-m";
    fixed(rule.action == HttpRule::Action::kDelHeader ? (del_m ? 5 : 3) : 4);
    args.words.resize(cond_at);
    ok = parse_header_action(args, kw, rule, rep);
  } else if (d[1] == "replace-header" || d[1] == "replace-value") {
    rule.action = d[1] == "replace-header" ? HttpRule::Action::kReplaceHeader
                                           : HttpRule::Action::kReplaceValue;
    fixed(5);
    args.words.resize(cond_at);
    ok = parse_replace_action(args, kw, rule, rep);
  } else if (!after && d[1] == "redirect") {
    cond_at = redirect_cond_at(d, 2);
    args.words.resize(cond_at);
    ok = parse_redirect_words(args, 2, false, kw, rule, rep);
    if (ok && !request && rule.redirect != HttpRule::RedirectType::kLocation) {
      rep.error(d.loc, kw, "only 'location' redirects are possible on a response");
      return;
    }
  } else if (request && (d[1] == "set-priority-class" || d[1] == "set-priority-offset")) {
    rule.action = d[1] == "set-priority-class" ? HttpRule::Action::kSetPriorityClass
                                               : HttpRule::Action::kSetPriorityOffset;
    fixed(3);
    args.words.resize(cond_at);
    ok = parse_expr_action(args, kw, rule, rep);
  } else if (request && addr_action(d[1], &rule.action)) {
    fixed(3);
    args.words.resize(cond_at);
    ok = parse_expr_action(args, kw, rule, rep);
  } else if (request && d[1] == "early-hint") {
    rule.action = HttpRule::Action::kEarlyHint;
    fixed(4);
    args.words.resize(cond_at);
    ok = parse_early_hint(args, kw, rule, rep);
  } else if (request && d[1] == "set-timeout") {
    rule.action = HttpRule::Action::kSetTimeout;
    fixed(4);
    args.words.resize(cond_at);
    ok = parse_set_timeout(args, kw, s, rule, rep);
  } else if (!after && parse_map_action(d, kw, rule, &cond_at, &ok, rep)) {
    // add-acl, del-acl, set-map, del-map
  } else if (d[1] == "allow") {
    rule.action = HttpRule::Action::kAllow;
    fixed(2);
    ok = check_no_args(d, kw, cond_at, 2, rep);
  } else if ((request && d[1] == "reject") || (!after && d[1] == "silent-drop")) {
    rule.action = d[1] == "reject" ? HttpRule::Action::kReject : HttpRule::Action::kSilentDrop;
    fixed(2);
    ok = check_no_args(d, kw, cond_at, 2, rep);
  } else if (d[1] == "strict-mode") {
    rule.action = HttpRule::Action::kStrictMode;
    fixed(3);
    ok = parse_strict_mode(d, kw, cond_at, rule, rep);
  } else if (!request && d[1] == "set-status") {
    rule.action = HttpRule::Action::kSetStatus;
    fixed(3);
    if (d.size() > 4 && d[3] == "reason") fixed(5);
    ok = parse_set_status(d, kw, cond_at, rule, rep);
  } else if (request && uri_action(d[1], &rule.action)) {
    fixed(d[1].rfind("replace-", 0) == 0 ? 4 : 3);
    args.words.resize(cond_at);
    ok = parse_uri_action(args, kw, rule, rep);
  } else if (d[1].rfind("set-var(", 0) == 0 || d[1].rfind("set-var-fmt(", 0) == 0 ||
             d[1].rfind("unset-var(", 0) == 0) {
    rule.action = d[1][0] == 'u'                       ? HttpRule::Action::kUnsetVar
                  : d[1].rfind("set-var-fmt(", 0) == 0 ? HttpRule::Action::kSetVarFmt
                                                       : HttpRule::Action::kSetVar;
    fixed(rule.action == HttpRule::Action::kUnsetVar ? 2 : 3);
    args.words.resize(cond_at);
    ok = parse_var_action(args, kw.substr(0, kw.find('(')), rule, rep);
  } else if (!after && d[1] == "wait-for-body") {
    rule.action = HttpRule::Action::kWaitForBody;
    cond_at = 2;
    while (cond_at < d.size() && d[cond_at] != "if" && d[cond_at] != "unless") ++cond_at;
    args.words.resize(cond_at);
    ok = parse_wait_for_body(args, kw, rule, rep);
  } else if (request && d[1] == "normalize-uri") {
    rule.action = HttpRule::Action::kNormalizeUri;
    ok = parse_normalize_uri(d, kw, s, rule, &cond_at, rep);
  } else if (request && d[1] == "auth") {
    rule.action = HttpRule::Action::kAuth;
    cond_at = 2;
    ok = parse_auth_action(d, kw, s.proxy.name, rule, &cond_at, rep);
  } else if (!after && (d[1] == "deny" || d[1] == "return" || (request && d[1] == "tarpit"))) {
    rule.action = d[1] == "deny"     ? HttpRule::Action::kDeny
                  : d[1] == "tarpit" ? HttpRule::Action::kTarpit
                                     : HttpRule::Action::kReturn;
    for (size_t i = 2; i < d.size();) {
      if (d[i] == "if" || d[i] == "unless") {
        cond_at = i;
        break;
      }
      const size_t w = reply_option_words(d[i], rule.action != HttpRule::Action::kReturn);
      i += w ? w : 2;
    }
    args.words.resize(cond_at);
    ok = parse_reply_action(args, kw, rule, rep);
  } else if (d[1] == "capture") {
    cond_at = std::min<size_t>(d.size(), 5);
    ok = parse_capture_action(d, kw, s, rule, rep);
  } else if (request && d[1] == "use-service") {
    rule.action = HttpRule::Action::kUseService;
    fixed(3);
    ok = parse_use_service(d, kw, cond_at, rule, rep);
  } else if (request && d[1] == "disable-l7-retry") {
    rule.action = HttpRule::Action::kDisableL7Retry;
    fixed(2);
    ok = check_no_args(d, kw, cond_at, 2, rep);
  } else if (!after && is_stick_action(d[1])) {
    auto st = std::make_shared<StickAction>();
    const uint8_t use = request ? expr::kUseConn | expr::kUseReq
                                : expr::kUseConn | expr::kUseRes | expr::kUseResBody;
    ok = parse_stick_action(d, 1, use, true, kw.substr(0, kw.find('(')), st.get(), &cond_at, rep);
    rule.action = HttpRule::Action::kStick;
    rule.stick = std::move(st);
  } else if (!after && d[1] == "set-log-level") {
    cond_at = std::min<size_t>(d.size(), 3);
    ok = parse_log_level_action(d, kw, rule, rep);
  } else {
    // Some actions carry their argument in parentheses: set-var(txn.x).
    const std::string action = d[1].substr(0, d[1].find('('));
    bool later = false;
    for (const char* a : kLaterActions) later = later || action == a;
    if (after) later = false;  // HAProxy has no other action there
    rep.error(d.loc, kw,
              later ? "Hearth does not support this action yet; supported: " + supported
                    : "unknown action; supported: " + supported);
    return;
  }
  if (!ok) return;
  const uint8_t where =
      request ? expr::kUseConn | expr::kUseReq : expr::kUseConn | expr::kUseRes | expr::kUseResBody;
  if (!parse_condition_at(d, cond_at, s, where, kw, &rule.cond, rep)) return;
  rule.reads_res_body = !request && reads_response_body(rule);
  std::vector<HttpRule>& list = request ? s.proxy.http_request_rules
                                : after ? s.proxy.http_after_response_rules
                                        : s.proxy.http_response_rules;
  // An unconditional early-hint joins the 103 of the early-hint rules right
  // before it, up to the nearest conditional one (HAProxy's grouping).
  if (rule.action == HttpRule::Action::kEarlyHint && !rule.cond) {
    for (size_t j = list.size(); j > 0 && list[j - 1].action == HttpRule::Action::kEarlyHint; --j) {
      ++list[j - 1].eh_group;
      if (list[j - 1].cond) break;
    }
  }
  list.push_back(std::move(rule));
}

}  // namespace hearth::config::detail
