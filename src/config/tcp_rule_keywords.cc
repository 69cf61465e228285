// "tcp-request connection|session|content ACTION ...", "tcp-request
// inspect-delay T", "tcp-response content ACTION ..." and "tcp-response
// inspect-delay T". Every HAProxy 2.6 action Hearth does not run is refused
// by name.
#include <string>
#include <vector>

#include "config/keywords.h"
#include "expr/var_access.h"

namespace hearth::config::detail {
namespace {

using Action = TcpRule::Action;

enum class Kind { kConnection, kSession, kContent, kResponse };

struct Later {
  const char* action;
  const char* why;  // why Hearth refuses it, or nullptr
};

// HAProxy 2.6 actions of the tcp rule sets that Hearth does not run.
const Later kLater[] = {
    {"expect-proxy", "only tcp-request connection rules expect a PROXY header"},
    {"expect-netscaler-cip", "the NetScaler CIP protocol is not supported"},
    {"capture", "only tcp-request content rules capture"},
    {"do-resolve", "resolvers are not supported"},
    {"switch-mode", "switching a TCP stream to HTTP is not supported yet"},
    {"use-service", "services are not supported"},
    {"send-spoe-group", "SPOE is not supported"},
    {"set-mark", nullptr},
    {"set-tos", nullptr},
    {"set-nice", nullptr},
    {"set-bandwidth-limit", nullptr},
};

uint8_t where_of(Kind k) {
  switch (k) {
    case Kind::kContent:  // in http mode the request head is there too (HAProxy)
      return expr::kUseConn | expr::kUseL6Req | expr::kUseReq;
    case Kind::kResponse:
      return expr::kUseConn | expr::kUseL6Res;
    default:
      return expr::kUseConn;
  }
}

// set-var(NAME[,COND...]) EXPR | set-var-fmt(NAME[,COND...]) FMT |
// unset-var(NAME), at d[at]. *next: the word after the action's own.
// tcp_mode: the proxy is in mode tcp at this line (a format's HTTP
// variables are refused there).
bool parse_var(const Directive& d, size_t at, const std::string& kw, uint8_t where, bool tcp_mode,
               TcpRule& rule, size_t* next, Reporter& rep) {
  const std::string& a = d[at];
  const size_t open = a.find('(');
  if (open == std::string::npos || a.back() != ')') {
    rep.error(d.loc, kw,
              "expects the variable in parentheses, e.g. " + a.substr(0, open) + "(txn.name)");
    return false;
  }
  const std::string inner = a.substr(open + 1, a.size() - open - 2);
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
  if (rule.action == Action::kUnsetVar) {
    if (parts.size() > 1) {
      rep.error(d.loc, kw, "unset-var takes no condition");
      return false;
    }
    *next = at + 1;
    return true;
  }
  for (size_t i = 1; i < parts.size(); ++i) {
    if (!expr::parse_var_cond(parts[i], &rule.var_conds, &err)) {
      rep.error(d.loc, kw, err);
      return false;
    }
  }
  expr::declare_set_var_target(rule.var);
  const bool fmt = rule.action == Action::kSetVarFmt;
  if (at + 1 >= d.size() || d[at + 1] == "if" || d[at + 1] == "unless") {
    rep.error(d.loc, kw,
              std::string("missing argument: expects ") +
                  (fmt ? "set-var-fmt(NAME) FORMAT" : "set-var(NAME) EXPR"));
    return false;
  }
  if (fmt) {
    rule.fmt = expr::LogFormat::parse(d[at + 1], where, &err);
    if (!rule.fmt) {
      rep.error(d.loc, kw, err);
      return false;
    }
    // As HAProxy, judged by the mode in force at this line.
    if (tcp_mode && !rule.fmt->http_var().empty()) {
      rep.error(d.loc, kw,
                "format variable '" + std::string(rule.fmt->http_var()) +
                    "' needs an HTTP transaction: it is reserved for mode http");
      return false;
    }
  } else {
    rule.expr = expr::parse_sample_expr(d[at + 1], where, &err);
    if (!rule.expr) {
      rep.error(d.loc, kw, err);
      return false;
    }
  }
  *next = at + 2;
  return true;
}

const char* supported_of(Kind k) {
  switch (k) {
    case Kind::kResponse:
      return "accept, reject, close, silent-drop, set-var, set-var-fmt, unset-var, "
             "set-log-level, sc-inc-gpc, sc-inc-gpc0, sc-inc-gpc1, sc-set-gpt or sc-set-gpt0";
    case Kind::kContent:
      return "accept, reject, silent-drop, set-var, set-var-fmt, unset-var, set-log-level, "
             "capture, set-src, set-src-port, set-dst, set-dst-port, set-priority-class, "
             "set-priority-offset, track-sc0, track-sc1, track-sc2, sc-inc-gpc, sc-inc-gpc0, "
             "sc-inc-gpc1, sc-set-gpt or sc-set-gpt0";
    case Kind::kConnection:
      return "accept, reject, silent-drop, expect-proxy layer4, set-var, set-var-fmt, "
             "unset-var, set-src, set-src-port, set-dst, set-dst-port, track-sc0, track-sc1, "
             "track-sc2, sc-inc-gpc, sc-inc-gpc0, sc-inc-gpc1, sc-set-gpt or sc-set-gpt0";
    default:
      return "accept, reject, silent-drop, set-var, set-var-fmt, unset-var, set-src, "
             "set-src-port, set-dst, set-dst-port, track-sc0, track-sc1, track-sc2, "
             "sc-inc-gpc, sc-inc-gpc0, sc-inc-gpc1, sc-set-gpt or sc-set-gpt0";
  }
}

// ACTION EXPR (set-src, set-src-port, set-dst, set-dst-port, set-priority-*):
// the expression at d[3]. Connection and session rules run before any byte
// is read: their expression sees the connection only (where_of).
bool parse_expr_arg(const Directive& d, const std::string& action, const std::string& kw,
                    uint8_t where, TcpRule& rule, Reporter& rep) {
  if (d.size() < 4 || d[3] == "if" || d[3] == "unless") {
    rep.error(d.loc, kw, "missing argument: expects " + action + " EXPR");
    return false;
  }
  std::string err;
  rule.expr = expr::parse_sample_expr(d[3], where, &err);
  if (!rule.expr) rep.error(d.loc, kw, err);
  return rule.expr != nullptr;
}

// tcp-request content capture EXPR len N: declares the frontend's next
// request capture slot (as http-request capture ... len N), which the rule
// fills from the client's bytes.
bool parse_capture(const Directive& d, const std::string& kw, uint8_t where, ProxySection& s,
                   TcpRule& rule, Reporter& rep) {
  if (d.size() < 6 || d[4] != "len") {
    rep.error(d.loc, kw, "expects '" + kw + " EXPR len N'");
    return false;
  }
  const int len = parse_capture_len(d[5]);
  if (len < 0) {
    rep.error(d.loc, kw, "invalid length '" + d[5] + "': expects a number above 0");
    return false;
  }
  if (s.proxy.kind == ProxyKind::kBackend) {
    rep.error(d.loc, kw,
              "only a frontend or listen section has capture slots (HAProxy refuses it in a "
              "backend too)");
    return false;
  }
  std::string err;
  rule.action = Action::kCapture;
  rule.expr = expr::parse_sample_expr(d[3], where, &err);
  if (!rule.expr) {
    rep.error(d.loc, kw, err);
    return false;
  }
  rule.cap_id = declare_request_capture(d, s, len);
  return true;
}

void parse_inspect_delay(const Directive& d, ProxySection& s, Reporter& rep) {
  const bool req = d[0] == "tcp-request";
  const std::string kw = d[0] + " inspect-delay";
  if (!req && s.proxy.kind == ProxyKind::kFrontend) {
    rep.error(d.loc, kw, "only applies to backend, listen and defaults sections");
    return;
  }
  if (!check_arity(d, kw, 3, 3, d[0] + " inspect-delay DURATION", rep)) return;
  auto ms = duration_arg(d, 2, kw, rep);
  if (!ms) return;
  (req ? s.proxy.tcp.inspect_delay : s.proxy.tcp.res_inspect_delay) = *ms;
}

}  // namespace

void parse_tcp_rule(const Directive& d, ProxySection& s, Reporter& rep) {
  const bool req = d[0] == "tcp-request";
  const std::string sets =
      req ? "connection, session, content or inspect-delay" : "content or inspect-delay";
  if (d.size() < 2) {
    rep.error(d.loc, d[0], "missing rule set: expects " + sets);
    return;
  }
  if (d[1] == "inspect-delay") return parse_inspect_delay(d, s, rep);
  Kind kind;
  if (req && d[1] == "connection") {
    kind = Kind::kConnection;
  } else if (req && d[1] == "session") {
    kind = Kind::kSession;
  } else if (d[1] == "content") {
    kind = req ? Kind::kContent : Kind::kResponse;
  } else {
    rep.error(d.loc, d[0] + " " + d[1], "unknown rule set: expects " + sets);
    return;
  }
  std::string kw = d[0] + " " + d[1];
  const ProxyKind pk = s.proxy.kind;
  if (pk == ProxyKind::kDefaults) {
    // Checked against the proxies that inherit it (parser.cc), as HAProxy 2.6.
    if (!defaults_may_hold_rules(d, s, rep)) return;
    if (kind == Kind::kConnection || kind == Kind::kSession)
      s.rules_users |= ProxySection::kFrontendsOnly;
    if (kind == Kind::kResponse) s.rules_users |= ProxySection::kBackendsOnly;
  }
  if ((kind == Kind::kConnection || kind == Kind::kSession) && pk == ProxyKind::kBackend) {
    rep.error(d.loc, kw, "only applies to frontend and listen sections");
    return;
  }
  if (kind == Kind::kResponse && pk == ProxyKind::kFrontend) {
    rep.error(d.loc, kw, "only applies to backend and listen sections");
    return;
  }
  if (d.size() < 3) {
    rep.error(d.loc, kw, std::string("missing action: expects ") + supported_of(kind));
    return;
  }
  const std::string& a = d[2];
  const std::string action = a.substr(0, a.find('('));
  kw += " " + action;
  TcpRule rule;
  rule.file = d.loc.file;
  rule.line = d.loc.line;
  rule.stream_level = kind == Kind::kContent;
  rule.conn_level = kind == Kind::kConnection;
  size_t cond_at = 3;
  const uint8_t where = where_of(kind);
  if (action == "accept") {
    rule.action = Action::kAccept;
  } else if (action == "reject") {
    rule.action = Action::kReject;
  } else if (action == "silent-drop") {
    rule.action = Action::kSilentDrop;
  } else if (action == "close" && kind == Kind::kResponse) {
    rule.action = Action::kClose;
  } else if (action == "set-log-level" && (kind == Kind::kContent || kind == Kind::kResponse)) {
    // HAProxy 2.6 has it in content rules only (tcp-request and tcp-response).
    rule.action = Action::kSetLogLevel;
    LogLevel level = kLogInfo;
    if (!parse_set_log_level_word(d, 3, kw, &level, rep)) return;
    rule.log_level = level;
    cond_at = 4;
  } else if (kind != Kind::kResponse && (action == "set-src" || action == "set-src-port" ||
                                         action == "set-dst" || action == "set-dst-port")) {
    rule.action = action == "set-src"        ? Action::kSetSrc
                  : action == "set-src-port" ? Action::kSetSrcPort
                  : action == "set-dst"      ? Action::kSetDst
                                             : Action::kSetDstPort;
    if (!parse_expr_arg(d, action, kw, where, rule, rep)) return;
    cond_at = 4;
  } else if ((action == "set-priority-class" || action == "set-priority-offset") &&
             kind == Kind::kContent) {
    rule.action =
        action == "set-priority-class" ? Action::kSetPriorityClass : Action::kSetPriorityOffset;
    if (!parse_expr_arg(d, action, kw, where, rule, rep)) return;
    cond_at = 4;
  } else if (action == "expect-proxy" && kind == Kind::kConnection) {
    if (d.size() < 4 || d[3] != "layer4") {
      rep.error(d.loc, kw, "expects 'expect-proxy layer4' (the only layer HAProxy 2.6 has)");
      return;
    }
    rule.action = Action::kExpectProxy;
    cond_at = 4;
  } else if (action == "capture" && kind == Kind::kContent) {
    if (!parse_capture(d, kw, where, s, rule, rep)) return;
    cond_at = 6;
  } else if (is_stick_action(action)) {
    auto st = std::make_shared<StickAction>();
    if (!parse_stick_action(d, 2, where, kind != Kind::kResponse, kw, st.get(), &cond_at, rep))
      return;
    rule.action = Action::kStick;
    rule.stick = std::move(st);
  } else if (action == "set-var" || action == "set-var-fmt" || action == "unset-var") {
    rule.action = action == "set-var"       ? Action::kSetVar
                  : action == "set-var-fmt" ? Action::kSetVarFmt
                                            : Action::kUnsetVar;
    if (!parse_var(d, 2, kw, where, s.proxy.mode == Mode::kTcp, rule, &cond_at, rep)) return;
  } else {
    for (const Later& l : kLater) {
      if (action != l.action) continue;
      rep.error(d.loc, kw,
                std::string("Hearth does not support this action yet") +
                    (l.why ? std::string(" (") + l.why + ")" : std::string()) +
                    "; supported: " + supported_of(kind));
      return;
    }
    rep.error(d.loc, kw, std::string("unknown action; supported: ") + supported_of(kind));
    return;
  }
  if (!parse_condition_at(d, cond_at, s, where, kw, &rule.cond, rep)) return;
  TcpRules& t = s.proxy.tcp;
  switch (kind) {
    case Kind::kConnection:
      t.connection.push_back(std::move(rule));
      break;
    case Kind::kSession:
      t.session.push_back(std::move(rule));
      break;
    case Kind::kContent:
      t.content.push_back(std::move(rule));
      break;
    case Kind::kResponse:
      t.response.push_back(std::move(rule));
      break;
  }
}

}  // namespace hearth::config::detail
