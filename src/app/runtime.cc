#include "app/runtime.h"

#include "core/clock.h"

namespace hearth::app {
namespace {

std::string where(const config::SourceLoc& loc, const char* keyword) {
  return loc.file + ":" + std::to_string(loc.line) + ": '" + keyword + "': ";
}

backend::LbKind lb_kind(config::BalanceAlgo a) {
  switch (a) {
    case config::BalanceAlgo::kRoundRobin: return backend::LbKind::kRoundRobin;
    case config::BalanceAlgo::kLeastConn: return backend::LbKind::kLeastConn;
    case config::BalanceAlgo::kSource: return backend::LbKind::kSource;
    case config::BalanceAlgo::kRandom: return backend::LbKind::kRandom;
    case config::BalanceAlgo::kFirst: return backend::LbKind::kFirst;
  }
  return backend::LbKind::kRoundRobin;
}

int64_t ms(const std::optional<int64_t>& v) { return v ? *v : 0; }

std::vector<stream::HttpRuleRt> convert_rules(const std::vector<config::HttpRule>& in) {
  std::vector<stream::HttpRuleRt> out;
  for (const config::HttpRule& r : in) {
    stream::HttpRuleRt o;
    switch (r.action) {
      case config::HttpRule::Action::kSetHeader: o.action = stream::HttpRuleRt::Action::kSetHeader; break;
      case config::HttpRule::Action::kDelHeader: o.action = stream::HttpRuleRt::Action::kDelHeader; break;
      case config::HttpRule::Action::kReturn: o.action = stream::HttpRuleRt::Action::kReturn; break;
      case config::HttpRule::Action::kDeny: o.action = stream::HttpRuleRt::Action::kDeny; break;
    }
    o.name = r.name;
    o.value = r.value;
    o.status = r.status;
    o.content_type = r.content_type;
    out.push_back(std::move(o));
  }
  return out;
}

uint32_t retry_mask(const std::vector<std::string>& words) {
  if (words.empty()) return stream::kRetryConnFailure;  // HAProxy's default
  static const struct { const char* word; uint32_t bits; } kWords[] = {
      {"none", 0}, {"conn-failure", stream::kRetryConnFailure},
      {"empty-response", stream::kRetryEmptyResponse}, {"junk-response", stream::kRetryJunkResponse},
      {"response-timeout", stream::kRetryResponseTimeout}, {"0rtt-rejected", 0},
      {"404", stream::kRetry404}, {"408", stream::kRetry408}, {"425", stream::kRetry425},
      {"500", stream::kRetry500}, {"501", stream::kRetry501}, {"502", stream::kRetry502},
      {"503", stream::kRetry503}, {"504", stream::kRetry504},
      {"all-retryable-errors", stream::kRetryConnFailure | stream::kRetryEmptyResponse |
                                   stream::kRetryJunkResponse | stream::kRetryResponseTimeout |
                                   stream::kRetry500 | stream::kRetry502 | stream::kRetry503 |
                                   stream::kRetry504}};
  uint32_t m = 0;
  for (const std::string& w : words)
    for (auto& k : kWords)
      if (w == k.word) m |= k.bits;
  return m;
}

// HTTP settings: client-side ones from the frontend, server-side ones (reuse,
// retries, response rules) from the backend.
void fill_http_settings(const config::ProxyConfig& fe, const config::ProxyConfig& be,
                        const config::GlobalConfig& g, stream::HttpSettings* hs) {
  hs->http_request_ms = ms(fe.timeouts.http_request);
  hs->keep_alive_ms = ms(fe.timeouts.http_keep_alive);
  if (be.timeouts.reuse_window) hs->proven_window_ms = *be.timeouts.reuse_window;
  auto mode = [](config::HttpConnMode m) {
    switch (m) {
      case config::HttpConnMode::kServerClose: return stream::HttpConnMode::kServerClose;
      case config::HttpConnMode::kClose: return stream::HttpConnMode::kClose;
      default: return stream::HttpConnMode::kKeepAlive;
    }
  };
  // The most closing of the two sides wins, as in HAProxy.
  stream::HttpConnMode a = mode(fe.http_conn_mode), b = mode(be.http_conn_mode);
  hs->conn_mode = int(a) > int(b) ? a : b;
  switch (be.http_reuse) {
    case config::HttpReuse::kNever: hs->reuse = stream::HttpReuse::kNever; break;
    case config::HttpReuse::kSafe: hs->reuse = stream::HttpReuse::kSafe; break;
    case config::HttpReuse::kAggressive: hs->reuse = stream::HttpReuse::kAggressive; break;
    case config::HttpReuse::kAlways: hs->reuse = stream::HttpReuse::kAlways; break;
  }
  hs->forwardfor = fe.forwardfor || be.forwardfor;
  hs->prefer_last_server = be.prefer_last_server;
  hs->retry_on = retry_mask(be.retry_on);
  hs->request_rules = convert_rules(fe.http_request_rules);
  if (&fe != &be) {
    auto more = convert_rules(be.http_request_rules);
    hs->request_rules.insert(hs->request_rules.end(), more.begin(), more.end());
  }
  hs->response_rules = convert_rules(be.http_response_rules);
  if (&fe != &be) {
    auto more = convert_rules(fe.http_response_rules);
    hs->response_rules.insert(hs->response_rules.end(), more.begin(), more.end());
  }
  hs->max_headers = size_t(g.tune_http_maxhdr);
}

backend::InitState init_state(config::InitState s) {
  switch (s) {
    case config::InitState::kFullyUp: return backend::InitState::kFullyUp;
    case config::InitState::kUp: return backend::InitState::kUp;
    case config::InitState::kDown: return backend::InitState::kDown;
    case config::InitState::kFullyDown: return backend::InitState::kFullyDown;
  }
  return backend::InitState::kUp;
}

// option httpchk, http-check send and http-check expect as a check spec.
bool fill_http_check(const config::HttpCheckConfig& hc, backend::CheckSpec* spec) {
  spec->http = true;
  spec->request = backend::build_check_request(hc.method, hc.uri, hc.version,
                                               hc.raw_header_lines, hc.headers, hc.body);
  switch (hc.expect) {
    case config::HttpCheckConfig::ExpectKind::kNone: return true;
    case config::HttpCheckConfig::ExpectKind::kStatus:
      spec->expect =
          backend::StatusExpect::status(hc.expect_ranges, hc.expect_negate, hc.expect_pattern);
      return true;
    case config::HttpCheckConfig::ExpectKind::kRStatus:
      return backend::StatusExpect::rstatus(hc.expect_pattern, hc.expect_negate, &spec->expect);
  }
  return true;
}

}  // namespace

bool Runtime::add_check(const config::ProxyConfig& p, const config::ServerConfig& sc,
                        backend::Backend* be, backend::Server* s,
                        std::vector<std::string>* errors) {
  backend::CheckSpec spec;
  spec.addr = s->addr;
  if (!sc.check_addr.empty()) {
    const bool v6 = sc.check_addr.find(':') != std::string::npos;
    std::string text = (v6 ? "[" + sc.check_addr + "]" : sc.check_addr) + ":" +
                       std::to_string(s->addr.port());
    std::string err;
    auto a = net::Address::parse(text, &err);
    if (!a) {
      errors->push_back(where(sc.loc, "server") + "server '" + sc.name + "' check address '" +
                        sc.check_addr + "': " + err);
      return false;
    }
    spec.addr = *a;
  }
  if (sc.check_port) spec.addr.set_port(*sc.check_port);
  spec.intervals.inter = sc.inter;
  spec.intervals.fastinter = sc.fastinter.value_or(0);
  spec.intervals.downinter = sc.downinter.value_or(0);
  spec.rise = sc.rise;
  spec.fall = sc.fall;
  spec.init = init_state(sc.init_state);
  spec.connect_timeout_ms = ms(p.timeouts.connect);
  spec.check_timeout_ms = ms(p.timeouts.check);
  if (p.http_check.enabled && !fill_http_check(p.http_check, &spec)) {
    errors->push_back(where(sc.loc, "server") + "server '" + sc.name +
                      "': the http-check expect regex does not compile");
    return false;
  }
  pending_checks_.push_back({be, s, std::move(spec)});
  return true;
}

void Runtime::start_health() {
  const size_t n = pending_checks_.size();
  for (size_t k = 0; k < n; ++k) {
    PendingCheck& pc = pending_checks_[k];
    // Spread the first checks over the first interval, and the checks over
    // the threads, so they do not all fire at once on one loop.
    pc.spec.first_delay_ms = pc.spec.intervals.inter * int64_t(k) / int64_t(n);
    checks.push_back(std::make_unique<backend::HealthCheck>(pc.be, pc.server, std::move(pc.spec),
                                                            int(k % size_t(nbthread))));
  }
  pending_checks_.clear();
  const int64_t now = MonotonicClock::instance()->now_ms();
  for (auto& be : backends) {
    for (auto& s : be->servers()) s->health.start(s->serving(), now);
    be->servers_changed();  // init-state may have started some servers DOWN
  }
}

backend::Backend* Runtime::find_backend(const std::string& name) {
  for (auto& b : backends)
    if (b->name() == name) return b.get();
  return nullptr;
}

backend::Backend* Runtime::build_backend(const config::ProxyConfig& p,
                                         std::vector<std::string>* errors) {
  auto be = std::make_unique<backend::Backend>(p.name, lb_kind(p.balance), p.random_draws);
  for (const config::ServerConfig& sc : p.servers) {
    std::string err;
    auto addr = net::Address::parse(sc.address, &err);
    if (!addr) {
      errors->push_back(where(sc.loc, "server") + "server '" + sc.name + "' address '" +
                        sc.address + "': " + err);
      continue;
    }
    auto s = std::make_unique<backend::Server>();
    s->name = sc.name;
    s->addr = *addr;
    s->weight = sc.weight;
    s->maxconn = sc.maxconn;
    s->backup = sc.backup;
    s->disabled.store(sc.disabled);
    if (sc.pool_max_conn) s->pool_limits.max_conn = *sc.pool_max_conn;
    if (sc.max_reuse) s->pool_limits.max_reuse = *sc.max_reuse;
    s->pool_limits.idle_timeout_ms =
        sc.pool_idle_timeout ? *sc.pool_idle_timeout : ms(p.timeouts.pool_idle);
    if (sc.pool_purge_delay) s->pool_purge_delay_ms = *sc.pool_purge_delay;
    s->make_idle_pools(nbthread);
    backend::Server* added = be->add_server(std::move(s));
    if (sc.check) add_check(p, sc, be.get(), added, errors);
  }
  be->finalize();
  backends.push_back(std::move(be));
  return backends.back().get();
}

bool Runtime::build(const config::Config& cfg, std::vector<std::string>* errors) {
  nbthread = cfg.global.nbthread;
  hard_stop_after_ms = ms(cfg.global.hard_stop_after);
  log_stdout = cfg.global.log_stdout;
  stream::Frontend::set_global_maxconn(cfg.global.maxconn);
  for (const config::ProxyConfig& p : cfg.proxies)
    if (p.kind == config::ProxyKind::kBackend ||
        (p.kind == config::ProxyKind::kListen && !p.servers.empty()))
      build_backend(p, errors);

  for (const config::ProxyConfig& p : cfg.proxies) {
    if (p.kind != config::ProxyKind::kFrontend && p.kind != config::ProxyKind::kListen) continue;
    const std::string& be_name = p.default_backend.empty() ? p.name : p.default_backend;
    backend::Backend* be = find_backend(be_name);
    const config::ProxyConfig* bcfg = cfg.find(be_name, true);
    if (!be || !bcfg) {
      errors->push_back(where(p.loc, "default_backend") + "proxy '" + p.name +
                        "' has no backend to send traffic to");
      continue;
    }
    if (p.mode != bcfg->mode) {
      errors->push_back(where(p.loc, "mode") + "proxy '" + p.name + "' (mode " +
                        (p.mode == config::Mode::kHttp ? "http" : "tcp") + ") uses backend '" +
                        be_name + "' of another mode");
      continue;
    }
    FrontendRuntime fr;
    fr.fe = std::make_unique<stream::Frontend>();
    stream::Frontend& fe = *fr.fe;
    fe.name = p.name;
    fe.mode = p.mode == config::Mode::kHttp ? stream::ProxyMode::kHttp : stream::ProxyMode::kTcp;
    if (fe.mode == stream::ProxyMode::kHttp) fill_http_settings(p, *bcfg, cfg.global, &fe.http);
    fe.backend = be;
    fe.maxconn = p.maxconn;
    fe.log = log_stdout && p.log_global;
    fe.dontlognull = p.dontlognull;
    // option httplog needs HTTP: a TCP frontend keeps the tcplog line, as in
    // HAProxy (config validation warns). Without either option, tcplog too.
    fe.log_format = fe.mode == stream::ProxyMode::kHttp && p.log_format == config::LogFormat::kHttp
                        ? stream::LogFormat::kHttp
                        : stream::LogFormat::kTcp;
    // Client-side timeouts come from the frontend, server-side ones from the backend.
    fe.timeouts.client = ms(p.timeouts.client);
    fe.timeouts.client_fin = ms(p.timeouts.client_fin);
    fe.timeouts.connect = ms(bcfg->timeouts.connect);
    fe.timeouts.server = ms(bcfg->timeouts.server);
    fe.timeouts.server_fin = ms(bcfg->timeouts.server_fin);
    fe.timeouts.tunnel = ms(bcfg->timeouts.tunnel);
    fe.timeouts.queue = ms(bcfg->timeouts.queue);
    fe.retries = bcfg->retries;
    fe.redispatch = bcfg->redispatch;
    for (const config::BindConfig& b : p.binds) {
      BindSpec spec;
      spec.loc = b.loc;
      spec.text = b.address;
      if (auto fd = net::parse_fd_spec(b.address)) {
        spec.inherited_fd = *fd;
      } else {
        std::string err;
        auto a = net::Address::parse(b.address, &err);
        if (!a) {
          errors->push_back(where(b.loc, "bind") + "'" + b.address + "': " + err);
          continue;
        }
        spec.addr = *a;
      }
      fr.binds.push_back(spec);
    }
    frontends.push_back(std::move(fr));
  }
  start_health();
  return errors->empty();
}

}  // namespace hearth::app
