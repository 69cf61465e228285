// Keywords of defaults, frontend, backend and listen sections: dispatch, and
// the simple ones (mode, bind, default_backend, timeout, retries,
// maxconn, log, http-reuse, retry-on). Servers, options and HTTP rules have
// their own files.
#include <algorithm>

#include "config/keywords.h"
#include "config/units.h"

namespace hearth::config::detail {
namespace {

using Handler = void (*)(const Directive&, ProxySection&, Reporter&);

void parse_mode(const Directive& d, ProxySection& s, Reporter& rep) {
  if (!check_arity(d, "mode", 2, 2, "mode tcp|http", rep)) return;
  if (d[1] == "tcp")
    s.proxy.mode = Mode::kTcp;
  else if (d[1] == "http")
    s.proxy.mode = Mode::kHttp;
  else
    rep.error(d.loc, "mode", "unsupported mode '" + d[1] + "': expects tcp or http");
}

void parse_default_backend(const Directive& d, ProxySection& s, Reporter& rep) {
  if (!check_arity(d, "default_backend", 2, 2, "default_backend NAME", rep)) return;
  s.proxy.default_backend = d[1];
  s.proxy.default_backend_loc = d.loc;
}

// What content switching reads: the connection, the request head (HTTP) or
// the bytes tcp-request content rules inspected (TCP).
constexpr uint8_t kSwitchUse = expr::kUseConn | expr::kUseReq | expr::kUseL6Req;

// use_backend NAME [if|unless CONDITION]: rules are kept in the order
// written; conditions arrive with ACLs.
void parse_use_backend(const Directive& d, ProxySection& s, Reporter& rep) {
  if (d.size() < 2) {
    rep.error(d.loc, "use_backend", "missing backend name: use_backend NAME [if|unless COND]");
    return;
  }
  SwitchingRule rule{d.loc, d[1], nullptr, nullptr};
  if (d[1].find('%') != std::string::npos) {
    std::string err;
    rule.fmt = expr::LogFormat::parse(d[1], kSwitchUse, &err);
    if (!rule.fmt) {
      rep.error(d.loc, "use_backend", err);
      return;
    }
  }
  if (!parse_condition_at(d, 2, s, kSwitchUse, "use_backend", &rule.cond, rep)) return;
  s.proxy.use_backends.push_back(std::move(rule));
}

struct TimeoutSpec {
  const char* name;
  std::optional<int64_t> Timeouts::*field;
  unsigned allowed;
};

const TimeoutSpec kTimeouts[] = {
    {"connect", &Timeouts::connect, kBackSide},
    {"client", &Timeouts::client, kFrontSide},
    {"server", &Timeouts::server, kBackSide},
    {"tunnel", &Timeouts::tunnel, kBackSide},
    {"client-fin", &Timeouts::client_fin, kFrontSide},
    {"client-hs", &Timeouts::client_hs, kFrontSide},
    {"server-fin", &Timeouts::server_fin, kBackSide},
    {"queue", &Timeouts::queue, kBackSide},
    {"http-request", &Timeouts::http_request, kAnywhere},
    {"http-keep-alive", &Timeouts::http_keep_alive, kAnywhere},
    {"pool-idle", &Timeouts::pool_idle, kBackSide},
    {"reuse-window", &Timeouts::reuse_window, kBackSide},
    {"check", &Timeouts::check, kBackSide},
    {"tarpit", &Timeouts::tarpit, kAnywhere},
};

void parse_timeout(const Directive& d, ProxySection& s, Reporter& rep) {
  const std::string accepted =
      "connect, client, server, tunnel, client-fin, client-hs, server-fin, queue, http-request, "
      "http-keep-alive, pool-idle, reuse-window, check or tarpit";
  if (d.size() < 2) {
    rep.error(d.loc, "timeout", "missing timeout name: expects " + accepted);
    return;
  }
  const std::string kw = "timeout " + d[1];
  for (const TimeoutSpec& t : kTimeouts) {
    if (d[1] != t.name) continue;
    if (!check_arity(d, kw, 3, 3, kw + " DURATION", rep)) return;
    auto ms = duration_arg(d, 2, kw, rep);
    if (!ms) return;
    if (!check_section(d, kw, s.proxy.kind, t.allowed, Misplaced::kIgnore, rep)) return;
    s.proxy.timeouts.*(t.field) = *ms;
    return;
  }
  rep.error(d.loc, kw, "unknown timeout '" + d[1] + "': expects " + accepted);
}

void parse_retries(const Directive& d, ProxySection& s, Reporter& rep) {
  if (!check_arity(d, "retries", 2, 2, "retries N", rep)) return;
  if (auto n = int_arg(d, 1, "retries", 0, 100, rep)) s.proxy.retries = static_cast<int>(*n);
}

void parse_maxconn(const Directive& d, ProxySection& s, Reporter& rep) {
  if (!check_arity(d, "maxconn", 2, 2, "maxconn N", rep)) return;
  if (auto n = int_arg(d, 1, "maxconn", 0, 10000000, rep)) s.proxy.maxconn = static_cast<int>(*n);
}

// rate-limit sessions N: the frontend takes at most N new sessions per
// second; the others wait in its sockets' backlogs.
void parse_rate_limit(const Directive& d, ProxySection& s, Reporter& rep) {
  if (d.size() >= 2 && d[1] != "sessions") {
    rep.error(d.loc, "rate-limit", "unknown limit '" + d[1] + "': expects 'sessions'");
    return;
  }
  if (!check_arity(d, "rate-limit", 3, 3, "rate-limit sessions N", rep)) return;
  if (auto n = int_arg(d, 2, "rate-limit sessions", 0, 10000000, rep))
    s.proxy.rate_limit_sessions = static_cast<int>(*n);
}

void parse_max_ka_queue(const Directive& d, ProxySection& s, Reporter& rep) {
  const std::string kw = "max-keep-alive-queue";
  if (!check_arity(d, kw, 2, 2, kw + " N", rep)) return;
  if (auto n = int_arg(d, 1, kw, -1, 10000000, rep)) s.proxy.max_ka_queue = static_cast<int>(*n);
}

void parse_fullconn(const Directive& d, ProxySection& s, Reporter& rep) {
  if (!check_arity(d, "fullconn", 2, 2, "fullconn N", rep)) return;
  if (auto n = int_arg(d, 1, "fullconn", 0, 10000000, rep)) s.proxy.fullconn = static_cast<int>(*n);
}

// dispatch ADDR:PORT: where a backend without "balance" sends its sessions
// (validate.cc settles it against a balance line).
void parse_dispatch(const Directive& d, ProxySection& s, Reporter& rep) {
  if (!check_arity(d, "dispatch", 2, 2, "dispatch ADDR:PORT", rep)) return;
  // The address itself is checked with the servers' (runtime); here its shape.
  const size_t colon = d[1].rfind(':');
  const std::string port = colon == std::string::npos ? "" : d[1].substr(colon + 1);
  const auto n = port.empty() ? std::nullopt : parse_int(port);
  if (colon == 0 || !n || *n < 1 || *n > 65535)
    return rep.error(d.loc, "dispatch",
                     "expects an address with a port, such as 10.0.0.1:80, got '" + d[1] + "'");
  s.proxy.dispatch = d[1];
  s.proxy.dispatch_loc = d.loc;
}

void parse_log(const Directive& d, ProxySection& s, Reporter& rep) {
  if (d.size() == 2 && d[1] == "global") {
    s.proxy.log_global = true;
    return;
  }
  // In a backend, the targets receive its server state changes (health_log.h).
  LogTarget t;
  if (parse_log_target(d, &t, rep)) s.proxy.logs.push_back(std::move(t));
}

void parse_log_tag(const Directive& d, ProxySection& s, Reporter& rep) {
  if (!check_arity(d, "log-tag", 2, 2, "log-tag TAG", rep)) return;
  if (d[1].empty()) return rep.error(d.loc, "log-tag", "expects a non-empty tag");
  s.proxy.log_tag = d[1];
}

void parse_http_reuse(const Directive& d, ProxySection& s, Reporter& rep) {
  if (!check_arity(d, "http-reuse", 2, 2, "http-reuse never|safe|aggressive|always", rep)) return;
  const std::string& v = d[1];
  if (v == "never")
    s.proxy.http_reuse = HttpReuse::kNever;
  else if (v == "safe")
    s.proxy.http_reuse = HttpReuse::kSafe;
  else if (v == "aggressive")
    s.proxy.http_reuse = HttpReuse::kAggressive;
  else if (v == "always")
    s.proxy.http_reuse = HttpReuse::kAlways;
  else
    rep.error(d.loc, "http-reuse",
              "unknown mode '" + v + "': expects never, safe, aggressive or always");
}

void parse_retry_on(const Directive& d, ProxySection& s, Reporter& rep) {
  static const struct {
    const char* word;
    uint32_t bits;
  } kWords[] = {{"none", 0},
                {"conn-failure", kRetryConnFailure},
                {"empty-response", kRetryEmptyResponse},
                {"junk-response", kRetryJunkResponse},
                {"response-timeout", kRetryResponseTimeout},
                {"0rtt-rejected", 0},  // no 0-RTT in Hearth: never happens
                {"404", kRetry404},
                {"408", kRetry408},
                {"425", kRetry425},
                {"500", kRetry500},
                {"501", kRetry501},
                {"502", kRetry502},
                {"503", kRetry503},
                {"504", kRetry504},
                {"all-retryable-errors", kRetryAllRetryable}};
  if (!check_arity(d, "retry-on", 2, 64, "retry-on KEYWORD...", rep)) return;
  uint32_t mask = 0;
  bool none = false;
  for (size_t i = 1; i < d.size(); ++i) {
    const auto* k = std::find_if(std::begin(kWords), std::end(kWords),
                                 [&](const auto& e) { return d[i] == e.word; });
    if (k == std::end(kWords)) {
      std::vector<std::string> accepted;
      for (const auto& e : kWords) accepted.push_back(e.word);
      rep.error(d.loc, "retry-on", "unknown keyword '" + d[i] + "': expects " + one_of(accepted));
      return;
    }
    mask |= k->bits;
    none = none || d[i] == "none";
  }
  if (none && d.size() > 2) {
    rep.error(d.loc, "retry-on", "'none' cannot be combined with other keywords");
    return;
  }
  s.proxy.retry_on = mask;
}

void parse_no(const Directive& d, ProxySection& s, Reporter& rep) {
  if (d.size() >= 2 && d[1] == "option") {
    parse_option(d, s, rep);
  } else if (d.size() == 2 && d[1] == "log") {
    s.proxy.log_global = false;  // drops what a defaults section gave too
    s.proxy.logs.clear();
  } else {
    const std::string kw = d.size() >= 2 ? "no " + d[1] : "no";
    rep.error(d.loc, kw, "'no' only applies to 'option NAME' and 'log'");
  }
}

struct KeywordSpec {
  const char* name;
  unsigned allowed;
  Misplaced misplaced;
  Handler handler;
};

// timeout, option and no check their section per sub-keyword.
const KeywordSpec kKeywords[] = {
    {"mode", kAnywhere, Misplaced::kReject, parse_mode},
    {"bind", kInFrontend, Misplaced::kReject, parse_bind},
    {"default_backend", kFrontSide, Misplaced::kReject, parse_default_backend},
    {"use_backend", kInFrontend, Misplaced::kReject, parse_use_backend},
    {"acl", kInProxies, Misplaced::kReject, parse_acl},
    {"server", kInBackend, Misplaced::kReject, parse_server},
    {"server-template", kInBackend, Misplaced::kReject, parse_server_template},
    {"default-server", kBackSide, Misplaced::kReject, parse_default_server},
    {"source", kBackSide, Misplaced::kIgnore, parse_proxy_source},
    {"timeout", kAnywhere, Misplaced::kReject, parse_timeout},
    {"retries", kBackSide, Misplaced::kIgnore, parse_retries},
    {"maxconn", kFrontSide, Misplaced::kIgnore, parse_maxconn},
    {"rate-limit", kFrontSide, Misplaced::kIgnore, parse_rate_limit},
    {"fullconn", kBackSide, Misplaced::kIgnore, parse_fullconn},
    {"dispatch", kInBackend, Misplaced::kReject, parse_dispatch},
    {"max-keep-alive-queue", kBackSide, Misplaced::kIgnore, parse_max_ka_queue},
    {"log", kAnywhere, Misplaced::kReject, parse_log},
    {"log-tag", kAnywhere, Misplaced::kReject, parse_log_tag},
    {"option", kAnywhere, Misplaced::kReject, parse_option},
    {"no", kAnywhere, Misplaced::kReject, parse_no},
    {"http-reuse", kBackSide, Misplaced::kIgnore, parse_http_reuse},
    {"http-request", kAnywhere, Misplaced::kReject, parse_http_rule},
    {"http-response", kAnywhere, Misplaced::kReject, parse_http_rule},
    {"http-after-response", kAnywhere, Misplaced::kReject, parse_http_rule},
    {"monitor-uri", kFrontSide, Misplaced::kIgnore, parse_monitor_uri},
    {"monitor", kInFrontend, Misplaced::kReject, parse_monitor},
    {"stats", kAnywhere, Misplaced::kReject, parse_proxy_stats},
    {"redirect", kInProxies, Misplaced::kReject, parse_legacy_redirect},
    {"use-server", kInBackend, Misplaced::kReject, parse_use_server},
    {"tcp-request", kAnywhere, Misplaced::kReject, parse_tcp_rule},
    {"tcp-response", kAnywhere, Misplaced::kReject, parse_tcp_rule},
    {"retry-on", kBackSide, Misplaced::kIgnore, parse_retry_on},
    {"http-check", kBackSide, Misplaced::kReject, parse_http_check},
    {"tcp-check", kBackSide, Misplaced::kReject, parse_tcp_check},
    {"external-check", kBackSide, Misplaced::kIgnore, parse_external_check},
    {"errorfile", kAnywhere, Misplaced::kReject, parse_error_keyword},
    {"errorfiles", kAnywhere, Misplaced::kReject, parse_error_keyword},
    {"errorloc", kAnywhere, Misplaced::kReject, parse_error_keyword},
    {"errorloc302", kAnywhere, Misplaced::kReject, parse_error_keyword},
    {"errorloc303", kAnywhere, Misplaced::kReject, parse_error_keyword},
    {"http-error", kAnywhere, Misplaced::kReject, parse_error_keyword},
    {"load-server-state-from-file", kBackSide, Misplaced::kIgnore, parse_load_server_state},
    {"server-state-file-name", kBackSide, Misplaced::kIgnore, parse_server_state_file_name},
    {"stick-table", kInProxies, Misplaced::kReject, parse_stick_table},
    {"stick", kInBackend, Misplaced::kReject, parse_stick_rule},
    {"cookie", kBackSide, Misplaced::kIgnore, parse_cookie},
    {"dynamic-cookie-key", kBackSide, Misplaced::kIgnore, parse_dynamic_cookie_key},
    // Warned about in a frontend, refused in defaults (parse_persist_rule), as HAProxy.
    {"force-persist", kBackSide, Misplaced::kIgnore, parse_persist_rule},
    {"ignore-persist", kBackSide, Misplaced::kIgnore, parse_persist_rule},
};

}  // namespace

void add_binds(const std::string& list, const SourceLoc& loc, ProxyConfig& proxy) {
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    BindConfig b;
    b.loc = loc;
    b.address = list.substr(start, comma - start);
    proxy.binds.push_back(std::move(b));
    start = comma + 1;
  }
}

void parse_proxy_keyword(const Directive& d, ProxySection& s, Reporter& rep) {
  const std::string& kw = d[0];
  if (parse_log_keyword(d, s, rep) || parse_proxy_misc_keyword(d, s, rep) ||
      parse_balance_keyword(d, s, rep))
    return;
  for (const KeywordSpec& k : kKeywords) {
    if (kw != k.name) continue;
    if (check_section(d, kw, s.proxy.kind, k.allowed, k.misplaced, rep)) k.handler(d, s, rep);
    return;
  }
  if (kw == "contimeout" || kw == "clitimeout" || kw == "srvtimeout") {
    const char* modern = kw == "contimeout" ? "connect" : kw == "clitimeout" ? "client" : "server";
    rep.error(d.loc, kw, std::string("obsolete keyword: write 'timeout ") + modern + " DURATION'");
  } else if (is_haproxy_proxy_keyword(kw)) {
    rep.error(d.loc, kw, "Hearth does not support this keyword yet");
  } else {
    rep.error(d.loc, kw,
              "unknown keyword; supported in proxy sections: mode, bind, default_backend, "
              "use_backend, acl, server, default-server, source, balance, hash-type, "
              "hash-balance-factor, timeout, retries, "
              "maxconn, log, "
              "option, "
              "http-reuse, http-request, http-response, http-after-response, tcp-request, "
              "tcp-response, monitor-uri, monitor, redirect, use-server, retry-on, http-check, "
              "tcp-check, external-check, stats, "
              "cookie, dynamic-cookie-key, force-persist, ignore-persist");
  }
}

}  // namespace hearth::config::detail
