#include "config/validate.h"

#include "config/address.h"
#include "config/proxy_ids.h"
#include "config/validate_binds.h"
#include "config/validate_checks.h"
#include "config/validate_log.h"
#include "config/validate_track.h"

namespace hearth::config {
namespace {

bool is_frontend(const ProxyConfig& p) {
  return p.kind == ProxyKind::kFrontend || p.kind == ProxyKind::kListen;
}
bool is_backend(const ProxyConfig& p) {
  return p.kind == ProxyKind::kBackend || p.kind == ProxyKind::kListen;
}

const char* kind_name(ProxyKind kind) {
  switch (kind) {
    case ProxyKind::kFrontend:
      return "frontend";
    case ProxyKind::kBackend:
      return "backend";
    case ProxyKind::kListen:
      return "listen";
    case ProxyKind::kDefaults:
      return "defaults";
  }
  return "?";
}

std::string where(const SourceLoc& loc) { return loc.file + ":" + std::to_string(loc.line); }

class Validator {
 public:
  explicit Validator(ParseResult& r) : r_(r), config_(r.config) {}
  void run();

 private:
  void error(const SourceLoc& loc, std::string kw, std::string msg) {
    r_.errors.push_back(Diagnostic{loc, std::move(kw), std::move(msg)});
  }
  void warning(const SourceLoc& loc, std::string kw, std::string msg) {
    r_.warnings.push_back(Diagnostic{loc, std::move(kw), std::move(msg)});
  }
  void check_names(size_t index);
  void check_frontend(const ProxyConfig& p);
  void check_backend_ref(const ProxyConfig& p, const std::string& name, const SourceLoc& loc,
                         const char* kw);
  void check_servers(const ProxyConfig& p);
  void check_settings(const ProxyConfig& p);
  void settle_layer7_balance(ProxyConfig& p);
  void settle_dispatch(ProxyConfig& p);
  void check_balance_factor(const ProxyConfig& p);
  void check_resolution(const ServerConfig& s);

  ParseResult& r_;
  const Config& config_;
};

// A frontend and a backend may share a name (they are looked up separately),
// but no two proxies with a common role may.
void Validator::check_names(size_t index) {
  const ProxyConfig& p = config_.proxies[index];
  for (size_t j = 0; j < index; ++j) {
    const ProxyConfig& q = config_.proxies[j];
    if (q.name != p.name) continue;
    if ((is_frontend(p) && is_frontend(q)) || (is_backend(p) && is_backend(q))) {
      error(p.loc, kind_name(p.kind),
            "name '" + p.name + "' is already used by the " + kind_name(q.kind) + " at " +
                where(q.loc) + ": choose another name");
      return;
    }
  }
}

// A frontend needs a bind line. Its backends (default_backend, use_backend)
// are optional, as in HAProxy: a request that no rule sends anywhere gets a
// 503 (a TCP connection is closed).
void Validator::check_frontend(const ProxyConfig& p) {
  const std::string kw = kind_name(p.kind);
  if (p.binds.empty()) {
    error(p.loc, kw, "'" + p.name + "' has no bind line: add 'bind ADDR:PORT'");
  }
  validate_binds(p, config_.global.nbthread, r_);
  if (!p.default_backend.empty())
    check_backend_ref(p, p.default_backend, p.default_backend_loc, "default_backend");
  for (const SwitchingRule& r : p.use_backends)
    if (!r.fmt) check_backend_ref(p, r.backend, r.loc, "use_backend");  // dynamic: at run time
}

// The one rule for a frontend naming a backend (default_backend and every
// use_backend): it must exist, and its mode must be the frontend's.
void Validator::check_backend_ref(const ProxyConfig& p, const std::string& name,
                                  const SourceLoc& loc, const char* kw) {
  const ProxyConfig* be = config_.find(name, /*want_backend=*/true);
  if (be == nullptr) {
    const bool is_fe = config_.find(name, false) != nullptr;
    error(loc, kw,
          "no backend or listen section named '" + name + "'" +
              (is_fe ? " ('" + name + "' is a frontend, which cannot serve as a backend)" : ""));
    return;
  }
  if (p.mode == Mode::kHttp && be->mode == Mode::kTcp) {
    error(loc, kw,
          std::string(kind_name(be->kind)) + " '" + be->name + "' is in tcp mode but " +
              kind_name(p.kind) + " '" + p.name + "' is in http mode: add 'mode http' to '" +
              be->name + "' (or use 'mode tcp' in both)");
  } else if (p.mode == Mode::kTcp && be->mode == Mode::kHttp) {
    error(loc, kw,
          std::string(kind_name(be->kind)) + " '" + be->name + "' is in http mode but " +
              kind_name(p.kind) + " '" + p.name +
              "' is in tcp mode: Hearth does not upgrade a TCP stream to HTTP yet; use the "
              "same mode in both");
  }
}

// A server's "resolvers" must name a section; its other resolution options
// only matter with one (as in HAProxy, where they are accepted and unused).
void Validator::check_resolution(const ServerConfig& s) {
  const ServerResolveConfig& r = s.resolve;
  if (r.resolvers.empty()) {
    if (!s.srv_record.empty())
      error(s.loc, "server-template",
            "server '" + s.name + "': the SRV label '" + s.srv_record +
                "' is resolved at run time only: add 'resolvers NAME'");
    else if (!r.nets.empty() || r.dup_ip >= 0 || r.ignore_weight)
      warning(s.loc, "server",
              "server '" + s.name +
                  "': resolve-net and resolve-opts have no effect without 'resolvers'");
    return;
  }
  for (const ResolversConfig& rc : config_.resolvers)
    if (rc.name == r.resolvers) return;
  error(s.loc, "server",
        "server '" + s.name + "': no resolvers section named '" + r.resolvers + "'");
}

void Validator::check_servers(const ProxyConfig& p) {
  for (const UseServerRule& r : p.use_servers) {
    if (r.fmt) continue;  // a name computed per request: checked then
    bool found = false;
    for (const ServerConfig& sc : p.servers) found = found || sc.name == r.server;
    if (!found)
      error(r.loc, "use-server", "no server named '" + r.server + "' in '" + p.name + "'");
  }
  if (p.servers.empty() && p.kind == ProxyKind::kBackend) {
    warning(p.loc, "backend", "'" + p.name + "' has no server: every connection to it will fail");
  }
  for (size_t i = 0; i < p.servers.size(); ++i) {
    const ServerConfig& s = p.servers[i];
    const std::string why = check_server_address(s.address);
    if (!why.empty()) {
      error(s.loc, "server",
            "server '" + s.name + "': invalid address '" + s.address + "': " + why);
    }
    check_resolution(s);
    if (s.weight < 0 || s.weight > 256) {
      error(s.loc, "server",
            "server '" + s.name + "': weight expects 0 to 256, got " + std::to_string(s.weight));
    }
    if (s.maxconn < 0) {
      error(s.loc, "server", "server '" + s.name + "': maxconn expects 0 (no limit) or more");
    }
    // As HAProxy: a server at the any-address (":", "0.0.0.0", "[::]", e.g.
    // unset variables) is let through; its checks then fail to connect.
    const bool any_host = s.address.rfind("0.0.0.0:", 0) == 0 || s.address.rfind("[::]:", 0) == 0 ||
                          s.address.rfind("*:", 0) == 0;
    if (s.check && s.port_from_client && !s.check_port && !any_host) {
      error(s.loc, "server",
            "server '" + s.name +
                "': its port comes from the client, so 'check' needs 'port N' to know where to "
                "check");
    }
    for (size_t j = 0; j < i; ++j) {
      if (p.servers[j].name == s.name) {
        error(s.loc, "server",
              "server name '" + s.name + "' is already used in '" + p.name + "' at " +
                  where(p.servers[j].loc) + ": choose another name");
        break;
      }
    }
    for (size_t j = 0; j < i && s.id != 0; ++j) {
      if (p.servers[j].id == s.id) {
        error(s.loc, "server",
              "server '" + s.name + "': id " + std::to_string(s.id) + " is already used by '" +
                  p.servers[j].name + "' at " + where(p.servers[j].loc));
        break;
      }
    }
  }
}

void Validator::check_settings(const ProxyConfig& p) {
  const std::string kw = kind_name(p.kind);
  if (p.maxconn < 0) error(p.loc, kw, "'" + p.name + "': maxconn expects 0 (global limit) or more");
  if (p.maxconn > config_.global.maxconn) {
    warning(p.loc, kw,
            "'" + p.name + "': maxconn " + std::to_string(p.maxconn) +
                " exceeds the global maxconn " + std::to_string(config_.global.maxconn) +
                ", which caps it");
  }
  if (is_frontend(p) && !p.timeouts.client) {
    warning(p.loc, kw, "'" + p.name + "' has no 'timeout client': idle clients are never dropped");
  }
  if (is_backend(p) && (!p.timeouts.connect || !p.timeouts.server)) {
    warning(p.loc, kw,
            "'" + p.name +
                "' lacks 'timeout connect' or 'timeout server': stalled servers are "
                "waited for forever");
  }
  if (p.mode == Mode::kTcp && is_frontend(p) &&
      (p.log_format == LogFormat::kHttp || p.log_format == LogFormat::kHttpClf ||
       p.log_format == LogFormat::kHttps)) {
    warning(p.loc, "option httplog",
            "'" + p.name + "' is in tcp mode: it logs with the tcplog format instead");
  }
  validate_log_settings(p, r_);
  if (p.mode == Mode::kTcp && p.stats.enabled)  // HAProxy ignores it with a warning
    error(SourceLoc{p.stats.file, p.stats.line}, "stats",
          "'" + p.name + "' is in tcp mode: the stats page needs 'mode http'");
  validate_check_rules(p, r_);
  if (p.mode == Mode::kTcp) {
    // As HAProxy: cookie persistence and cookie captures need HTTP.
    if (is_backend(p) && !p.cookie.name.empty())
      warning(p.cookie.loc, "cookie",
              "ignored: '" + p.name + "' is in tcp mode; cookie persistence needs 'mode http'");
    if (is_frontend(p) && !p.logcfg.cookie_cap.name.empty())
      warning(p.logcfg.cookie_cap.loc, "capture cookie",
              "ignored: '" + p.name + "' is in tcp mode; it needs 'mode http'");
    for (const ServerConfig& s : p.servers) {
      if (!s.cookie) continue;
      warning(s.loc, "server",
              "'" + p.name + "/" + s.name + "': its 'cookie' is ignored, as '" + p.name +
                  "' is in tcp mode");
      break;
    }
    const std::pair<const std::vector<HttpRule>*, const char*> lists[] = {
        {&p.http_request_rules, "http-request"},
        {&p.http_response_rules, "http-response"},
        {&p.http_after_response_rules, "http-after-response"},
        {&p.redirect_rules, "redirect"}};
    for (const auto& [rules, kw] : lists) {
      if (rules->empty()) continue;
      warning((*rules)[0].loc, kw,
              "ignored: '" + p.name + "' is in tcp mode; these rules need 'mode http'");
      break;
    }
  }
}

void Validator::run() {
  if (config_.global.maxconn < 1) error(SourceLoc{}, "maxconn", "global maxconn expects 1 or more");
  for (size_t i = 0; i < config_.proxies.size(); ++i) {
    const ProxyConfig& p = config_.proxies[i];
    check_names(i);
    if (is_frontend(p)) check_frontend(p);
    if (is_backend(p)) check_servers(p);
    check_settings(p);
  }
  validate_log_rings(config_, r_);
  validate_proxy_ids(r_);
  validate_tracks(r_);
  for (ProxyConfig& p : r_.config.proxies)
    if (is_backend(p)) {
      settle_layer7_balance(p);
      check_balance_factor(p);
      settle_dispatch(p);
    }
}

// As HAProxy 2.6: dispatch and option transparent take every session of a
// backend without a "balance" line (its servers only serve use-server
// rules); a balance algorithm ignores a dispatch address (a warning) and
// cannot go with option transparent (an error).
void Validator::settle_dispatch(ProxyConfig& p) {
  if (!p.balance_set) return;
  if (p.transparent) {
    error(p.loc, "option transparent",
          "'" + p.name + "' cannot use both transparent and balance mode");
  } else if (!p.dispatch.empty()) {
    warning(p.dispatch_loc, "dispatch",
            "the dispatch address of '" + p.name + "' is ignored in balance mode");
    p.dispatch.clear();
  }
}

// As HAProxy: a hash of the HTTP request cannot be taken in a tcp-mode
// backend, which balances round robin instead (with a warning).
void Validator::settle_layer7_balance(ProxyConfig& p) {
  if (p.mode != Mode::kTcp || !is_layer7(p.balance)) return;
  warning(p.loc, "balance",
          "'" + p.name +
              "' is in tcp mode: a layer 7 hash needs 'mode http'; "
              "falling back to round robin");
  p.balance = BalanceAlgo::kRoundRobin;
}

// hash-balance-factor bounds consistent hashing and balance random only;
// HAProxy ignores it elsewhere without a word, Hearth says so.
void Validator::check_balance_factor(const ProxyConfig& p) {
  if (p.hash_balance_factor == 0) return;
  const bool consistent = is_hashing(p.balance) && p.hash_type.method == HashMethod::kConsistent;
  if (consistent || p.balance == BalanceAlgo::kRandom) return;
  warning(p.loc, "hash-balance-factor",
          "'" + p.name +
              "': has no effect here: it bounds 'hash-type consistent' hashing and "
              "'balance random' only");
}

}  // namespace

void validate(ParseResult& r) { Validator(r).run(); }

}  // namespace hearth::config
