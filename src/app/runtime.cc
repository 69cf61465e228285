#include "app/runtime.h"

#include <arpa/inet.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>

#include "app/external_check_spec.h"
#include "app/tls_bind.h"
#include "app/tls_server.h"
#include "backend/dynamic_cookie.h"
#include "backend/fd_pressure.h"
#include "backend/server_track.h"
#include "config/proxy_ids.h"
#include "config/validate_binds.h"
#include "core/clock.h"
#include "core/per_thread.h"
#include "core/task_profile.h"
#include "mux/mux_h1.h"
#include "net/cert_store.h"
#include "net/pipe_pool.h"
#include "stick/registry.h"
#include "stream/accept_rate.h"
#include "stream/event_sinks.h"
#include "stream/sample_fetch.h"
#include "stream/session_log.h"

namespace hearth::app {

// A bind line's socket options. Its backlog, when unset, is the frontend's
// maxconn, as in HAProxy (or 1024 when the frontend sets none).
SharedListenSocket::~SharedListenSocket() {
  if (fd >= 0) close(fd);
}

net::ListenOptions listen_options(const config::BindOptions& b, const config::ProxyConfig& p) {
  const int fe_maxconn = p.maxconn;
  net::ListenOptions o;
  // option tcp-smart-accept: on by default in HTTP mode, as HAProxy.
  o.delay_ack = p.smart_accept.value_or(p.mode == config::Mode::kHttp);
  o.backlog = b.backlog > 0 ? b.backlog : fe_maxconn > 0 ? fe_maxconn : 1024;
  o.v6only = b.v6only;
  o.tfo = b.tfo;
  o.defer_accept = b.defer_accept;
  o.transparent = b.transparent;
  o.interface = b.interface;
  o.mss = b.mss;
  o.tcp_ut_ms = int(b.tcp_ut_ms);
  o.unix_perms = {b.unix_mode, b.unix_uid, b.unix_gid};
  return o;
}

namespace {

std::string where(const config::SourceLoc& loc, const char* keyword) {
  return loc.file + ":" + std::to_string(loc.line) + ": '" + keyword + "': ";
}

int64_t ms(const std::optional<int64_t>& v) { return v ? *v : 0; }

// Returns: the proxy's stats page settings, "stats scope ." naming the proxy;
// null when it has no page.
std::shared_ptr<const config::StatsPageConfig> stats_page_of(const config::ProxyConfig& p) {
  if (!p.stats.enabled) return nullptr;
  auto st = std::make_shared<config::StatsPageConfig>(p.stats);
  for (std::string& name : st->scope)
    if (name == ".") name = p.name;
  return st;
}

void fill_backend_settings(const config::ProxyConfig& p, backend::BackendSettings* bs) {
  bs->mode = p.mode;
  bs->timeouts.connect = ms(p.timeouts.connect);
  bs->timeouts.server = ms(p.timeouts.server);
  bs->timeouts.server_fin = ms(p.timeouts.server_fin);
  bs->timeouts.tunnel = ms(p.timeouts.tunnel);
  bs->timeouts.queue = ms(p.timeouts.queue);
  bs->timeouts.tarpit = p.timeouts.tarpit ? *p.timeouts.tarpit : ms(p.timeouts.connect);
  bs->retries = p.retries;
  bs->redispatch = p.redispatch;
  bs->allbackups = p.allbackups;
  bs->balance_args = p.balance_args;
  bs->hash_type = p.hash_type;
  bs->hash_balance_factor = p.hash_balance_factor;
  bs->abortonclose = p.abortonclose;
  bs->pretend_keepalive = p.pretend_keepalive;
  bs->independent_streams = p.independent_streams;
  bs->log_health_checks = p.log_health_checks;
  bs->listen = p.kind == config::ProxyKind::kListen;
  bs->disabled = p.disabled;
  bs->splice = p.splice;
  bs->srv_sock = backend::sock_options(p.srv_tcpka, p.nolinger, p.smart_connect);
  bs->conn_mode = p.http_conn_mode;
  bs->prefer_last_server = p.prefer_last_server;
  bs->max_ka_queue = p.max_ka_queue;
  bs->buffer_request = p.http_buffer_request;
  bs->restrict_hdr_names = p.restrict_req_hdr_names;
  bs->forwardfor = p.forwardfor;
  bs->originalto = p.originalto;
  bs->retry_on = p.retry_on;
  bs->request_rules = p.http_request_rules;
  bs->redirect_rules = p.redirect_rules;
  bs->response_rules = p.http_response_rules;
  bs->after_response_rules = p.http_after_response_rules;
  bs->tcp = p.tcp;
  bs->errors = p.errors;
  bs->cookie = p.cookie;
  bs->persist = p.persist;
  bs->persist_rules = p.persist_rules;
}

void fill_frontend(const config::ProxyConfig& p, const config::GlobalConfig& g,
                   std::vector<std::shared_ptr<stream::LogSink>> sinks, stream::Frontend* fe) {
  fe->name = p.name;
  fe->mode = p.mode;
  fe->maxconn = p.maxconn;
  fe->sess_rate_limit = uint32_t(p.rate_limit_sessions);
  fe->description = p.description;
  fe->cli_sock = backend::sock_options(p.cli_tcpka, p.nolinger, false);
  fe->splice = p.splice;
  fe->log = !sinks.empty();
  fe->dontlognull = p.dontlognull;
  fe->independent_streams = p.independent_streams;
  // option httplog needs HTTP: a TCP frontend gets the tcplog format, as in
  // HAProxy (config validation warns). The predefined formats always compile.
  std::string err;
  stream::configure_frontend_log(p, p.mode == config::Mode::kHttp, &fe->logs, &err);
  stream::set_log_sinks(&fe->logs, std::move(sinks));
  fe->logs.tag = p.log_tag.empty() ? g.log_tag : p.log_tag;
  fe->logs.sd = p.logcfg.sd;
  fe->logs.error = p.logcfg.error;
  fe->logs.separate_errors = p.log_separate_errors;
  fe->logs.dontlog_normal = p.dontlog_normal;
  fe->timeouts.client = ms(p.timeouts.client);
  fe->timeouts.client_fin = ms(p.timeouts.client_fin);
  fe->timeouts.client_hs = ms(p.timeouts.client_hs);
  fe->timeouts.http_request = ms(p.timeouts.http_request);
  fe->timeouts.keep_alive = ms(p.timeouts.http_keep_alive);
  // As HAProxy: only a proxy with a backend side falls back on its connect timeout.
  fe->timeouts.tarpit = p.timeouts.tarpit                      ? *p.timeouts.tarpit
                        : p.kind == config::ProxyKind::kListen ? ms(p.timeouts.connect)
                                                               : 0;
  fe->http.conn_mode = p.http_conn_mode;
  fe->http.forwardfor = p.forwardfor;
  fe->http.originalto = p.originalto;
  fe->http.monitor_uri = p.monitor_uri;
  fe->http.monitor_fail = p.monitor_fail;
  fe->http.use_proxy_header = p.http_use_proxy_header;
  fe->http.buffer_request = p.http_buffer_request;
  fe->http.restrict_hdr_names = p.restrict_req_hdr_names;
  fe->http.request_rules = p.http_request_rules;
  fe->http.redirect_rules = p.redirect_rules;
  fe->http.response_rules = p.http_response_rules;
  fe->http.after_response_rules = p.http_after_response_rules;
  fe->tcp = p.tcp;
  fe->http.errors = p.errors;
  fe->http.stats = stats_page_of(p);
  mux::MuxH1::set_max_headers(size_t(g.tune_http_maxhdr));
}

}  // namespace

bool Runtime::add_check(const config::ProxyConfig& p, const config::ServerConfig& sc,
                        backend::Backend* be, backend::Server* s,
                        std::vector<std::string>* errors) {
  backend::CheckSpec spec;
  if (!check_spec(p, sc, be, s, &spec, errors)) return false;
  pending_checks_.push_back({be, s, std::move(spec)});
  return true;
}

bool Runtime::check_spec(const config::ProxyConfig& p, const config::ServerConfig& sc,
                         backend::Backend* be, backend::Server* s, backend::CheckSpec* out,
                         std::vector<std::string>* errors) const {
  backend::CheckSpec& spec = *out;
  spec.addr = s->address();
  if (!sc.check_addr.empty()) {
    spec.follow_server = false;
    const bool v6 = sc.check_addr.find(':') != std::string::npos;
    std::string text = (v6 ? "[" + sc.check_addr + "]" : sc.check_addr) + ":" +
                       std::to_string(s->address().port());
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
  spec.init = sc.init_state;
  spec.connect_timeout_ms = ms(p.timeouts.connect);
  spec.check_timeout_ms = ms(p.timeouts.check);
  spec.program = std::make_shared<backend::CheckProgram>(backend::build_check_program(p.check));
  spec.names = {be->name(), be->id, s->name, s->puid};
  if (p.check.type == config::CheckType::kExternal)
    spec.external = external_check_spec(p, *be, *s, insecure_fork_wanted);
  for (const backend::CheckStep& st : spec.program->steps) {
    if (st.rule.action != config::CheckRule::Action::kConnect || !st.rule.connect.ssl) continue;
    if (!s->check_tls_xprt && !s->tls_xprt) {
      errors->push_back(where(sc.loc, "server") + "server '" + sc.name +
                        "': a check rule connects with 'ssl' but the server has no TLS settings "
                        "('ssl' or 'check-ssl')");
      return false;
    }
  }
  return true;
}

// agent-check: connect to agent-addr (else the server's address) on
// agent-port, send agent-send, read one line (health_agent.cc).
bool Runtime::add_agent(const config::ProxyConfig& p, const config::ServerConfig& sc,
                        backend::Backend* be, backend::Server* s,
                        std::vector<std::string>* errors) {
  backend::CheckSpec spec;
  if (!agent_spec(p, sc, be, s, &spec, errors)) return false;
  pending_checks_.push_back({be, s, std::move(spec)});
  return true;
}

bool Runtime::agent_spec(const config::ProxyConfig& p, const config::ServerConfig& sc,
                         backend::Backend* be, backend::Server* s, backend::CheckSpec* out,
                         std::vector<std::string>* errors) const {
  backend::CheckSpec& spec = *out;
  if (sc.agent_port == 0) {
    errors->push_back(where(sc.loc, "server") + "server '" + sc.name +
                      "': 'agent-check' needs 'agent-port'");
    return false;
  }
  spec.addr = s->address();
  spec.agent = true;
  spec.intervals.inter = sc.agent_inter.value_or(sc.inter);
  spec.rise = 1;
  spec.fall = 1;
  spec.connect_timeout_ms = ms(p.timeouts.connect);
  spec.check_timeout_ms = ms(p.timeouts.check);
  spec.program = std::make_shared<backend::CheckProgram>(
      backend::build_agent_program(sc.agent_addr, sc.agent_port, sc.agent_send));
  spec.names = {be->name(), be->id, s->name, s->puid};
  s->agent_addr = sc.agent_addr;
  s->agent_port = sc.agent_port;
  s->agent_send = sc.agent_send;
  return true;
}

void Runtime::start_health() {
  const size_t n = pending_checks_.size();
  // As HAProxy: the first checks are spread over the smallest interval of
  // all, bounded by max-spread-checks, so that they do not all fire at once.
  int64_t window = 0;
  for (const PendingCheck& pc : pending_checks_)
    if (window == 0 || pc.spec.intervals.inter < window) window = pc.spec.intervals.inter;
  if (max_spread_checks_ms > 0 && window > max_spread_checks_ms) window = max_spread_checks_ms;
  for (size_t k = 0; k < n; ++k) {
    PendingCheck& pc = pending_checks_[k];
    // ... and the checks over the threads, so that no loop carries them all.
    pc.spec.first_delay_ms = window * int64_t(k) / int64_t(n);
    pc.spec.spread_pct = spread_checks_pct;
    checks.push_back(std::make_unique<backend::HealthCheck>(pc.be, pc.server, std::move(pc.spec),
                                                            int(k % size_t(nbthread))));
  }
  pending_checks_.clear();
  // Trackers start as the servers they track (init-state, state files).
  for (auto& be : backends)
    for (auto& s : be->servers())
      if (!s->track.srv) backend::sync_trackers(*s);
  const int64_t now = MonotonicClock::instance()->now_ms();
  for (auto& be : backends) {
    for (auto& s : be->servers()) s->health.start(s->serving(), now);
    be->servers_changed();  // init-state may have started some servers DOWN
  }
  for (auto& [s, since_s] : restored_since_s_) s->health.set_last_change_ms(now - since_s * 1000);
  restored_since_s_.clear();
}

namespace {

// "host:port" → host (brackets dropped).
std::string host_of(const std::string& address) {
  std::string h = address.substr(0, address.rfind(':'));
  if (h.size() > 1 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  return h;
}

bool is_ip_literal(const std::string& host) {
  unsigned char buf[16];
  return host.empty() || host == "*" || inet_pton(AF_INET, host.c_str(), buf) == 1 ||
         inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

}  // namespace

void Runtime::create_resolvers(const config::Config& cfg) {
  std::vector<dns::Resolvers*> all;
  bool has_default = false;
  for (const config::ResolversConfig& r : cfg.resolvers) has_default |= r.name == "default";
  std::vector<config::ResolversConfig> sections = cfg.resolvers;
  // As HAProxy: a "default" section from /etc/resolv.conf when none is named
  // so (nothing uses it unless a server names it; `show resolvers` lists it).
  config::ResolversConfig def;
  def.name = "default";
  def.implicit = true;
  std::string why;
  if (!has_default &&
      config::append_resolv_conf("/etc/resolv.conf", config::SourceLoc{}, def, &why) &&
      !def.nameservers.empty())
    sections.push_back(std::move(def));
  for (size_t k = 0; k < sections.size(); ++k) {
    resolvers.push_back(
        std::make_unique<dns::Resolvers>(std::move(sections[k]), int(k % size_t(nbthread))));
    all.push_back(resolvers.back().get());
  }
  dns::set_all_resolvers(std::move(all));
}

dns::Resolvers* Runtime::find_resolvers(const std::string& name) {
  if (name.empty()) return nullptr;
  for (auto& r : resolvers)
    if (r->name() == name) return r.get();
  return nullptr;
}

bool Runtime::init_addr(const config::ProxyConfig& p, const config::ServerConfig& sc,
                        backend::Server* s, std::vector<std::string>* errors) {
  const size_t colon = sc.address.rfind(':');
  const std::string port = colon == std::string::npos ? "0" : sc.address.substr(colon + 1);
  auto none = [&](uint16_t at) {
    std::string err;
    s->set_address(*net::Address::parse("0.0.0.0:" + std::to_string(at), &err));
    s->has_addr.store(false);
    s->port_from_client = sc.port_from_client;
    s->port_offset = sc.port_offset;
  };
  if (!sc.srv_record.empty()) {  // an SRV slot: empty until a record fills it
    s->srv_record = sc.srv_record;
    none(0);
    return true;
  }
  std::vector<std::string> failed;
  if (init_server_addr(sc, s, &failed, last_addr(*cfg_, p, sc.name))) return true;
  if (sc.resolve.resolvers.empty()) {
    errors->insert(errors->end(), failed.begin(), failed.end());
    return false;
  }
  for (const std::string& f : failed)
    warnings.push_back(f + "; disabling server until it resolves");
  none(uint16_t(std::atoi(port.c_str())));
  return true;
}

backend::Backend* Runtime::find_backend(const std::string& name) {
  for (auto& b : backends)
    if (b->name() == name) return b.get();
  return nullptr;
}

int Runtime::fullconn_of(const config::ProxyConfig& be) const {
  if (be.fullconn) return be.fullconn;
  // HAProxy's default: 10% of the maxconn of the frontends that lead to it
  // (default_backend, use_backend with a fixed name, a listen's own).
  int64_t total = 0;
  for (const config::ProxyConfig& f : cfg_->proxies) {
    if (f.kind == config::ProxyKind::kBackend || f.disabled) continue;
    bool leads = f.default_backend == be.name || (&f == &be);
    for (const config::SwitchingRule& r : f.use_backends) leads |= !r.fmt && r.backend == be.name;
    if (leads) total += f.maxconn ? f.maxconn : cfg_->global.maxconn;
  }
  return int((total + 9) / 10);
}

bool Runtime::fill_server(const config::ProxyConfig& p, const config::ServerConfig& sc,
                          backend::Backend* be, const config::TlsGlobal& tls, backend::Server* s,
                          std::vector<std::string>* errors) {
  if (!set_connect_options(sc, sc.source.empty() ? p.source : sc.source, server_bufs_, s, errors))
    return false;
  std::string tls_err;
  if (!set_server_tls(p, sc, tls, s, &tls_err)) {
    errors->push_back(where(sc.loc, "server") + "'server " + p.name + "/" + sc.name +
                      "': " + tls_err);
    return false;
  }
  s->redir = sc.redir;
  if (sc.cookie) {
    s->set_cookie(*sc.cookie);
    s->cookie_from_config = true;
  }
  s->name = sc.name;
  s->weight = sc.weight;
  // As HAProxy: minconn alone (or above maxconn) is a static maxconn, and
  // maxconn alone a static limit.
  s->maxconn = std::max(sc.maxconn, sc.minconn);
  s->minconn = sc.minconn && sc.minconn < sc.maxconn ? sc.minconn : s->maxconn.load();
  s->fullconn = be->settings.fullconn;
  s->maxqueue = sc.maxqueue;
  s->be_load = &be->counters.cur_conns;
  s->backup = sc.backup;
  s->non_stick = sc.non_stick;
  s->shutdown_on_down = sc.shutdown_on_down;
  s->shutdown_backups_on_up = sc.shutdown_backups_on_up;
  s->iweight = sc.weight;
  s->disabled.store(sc.disabled);
  s->config_maint.store(sc.disabled);
  s->check_port = sc.check_port.value_or(0);
  s->check_addr = sc.check_addr;
  s->passive.mode = sc.observe;
  s->passive.error_limit = sc.error_limit;
  s->passive.on_error = sc.on_error;
  s->slowstart_s = backend::slowstart_period_s(sc.slowstart);
  // An unchecked server's counter reads as HAProxy's: just UP, at the
  // configured rise (show servers state prints it).
  s->health.rise = sc.rise;
  s->health.fall = sc.fall;
  s->health.health.store(sc.disabled ? 0 : s->health.rise);  // as HAProxy shows it
  backend::PoolSettings& ps = s->pool_settings;
  ps.reuse = p.http_reuse;
  if (p.timeouts.reuse_window) ps.reuse_window_ms = *p.timeouts.reuse_window;
  if (sc.pool_max_conn) ps.max_conn = *sc.pool_max_conn;
  if (sc.pool_low_conn) ps.low_conn = *sc.pool_low_conn;
  if (sc.max_reuse) ps.max_reuse = *sc.max_reuse;
  s->reuse_guard.set_threshold_ppm(sc.reuse_guard_ppm);
  ps.idle_timeout_ms = sc.pool_idle_timeout ? *sc.pool_idle_timeout : ms(p.timeouts.pool_idle);
  if (sc.pool_purge_delay) ps.purge_delay_ms = *sc.pool_purge_delay;
  s->make_pools(nbthread);
  // As HAProxy, a server written with a name shows it (srv_fqdn) even
  // when nothing resolves it at run time (a UNIX socket has none).
  if (const std::string host = host_of(sc.address);
      sc.srv_record.empty() && !is_ip_literal(host) && !s->address().is_unix())
    s->set_hostname(host);
  return true;
}

backend::Backend* Runtime::build_backend(const config::ProxyConfig& p, int id,
                                         std::vector<std::string>* errors) {
  auto be = std::make_unique<backend::Backend>(p.name, p.balance, p.random_draws);
  be->id = id;
  be->description = p.description;
  be->id_forced = p.id != 0;
  fill_backend_settings(p, &be->settings);
  be->settings.fullconn = fullconn_of(p);
  be->settings.stats = stats_page_of(p);
  set_event_log(p, be.get(), errors);
  const std::vector<int> puids = server_ids(p);
  for (size_t k = 0; k < p.servers.size(); ++k) {
    const config::ServerConfig& sc = p.servers[k];
    auto s = std::make_unique<backend::Server>();
    if (!init_addr(p, sc, s.get(), errors)) continue;
    if (!fill_server(p, sc, be.get(), cfg_->global.tls, s.get(), errors)) continue;
    s->puid = puids[k];
    s->puid_forced = sc.id != 0;
    backend::Server* added = be->add_server(std::move(s));
    if (dns::Resolvers* rs = find_resolvers(sc.resolve.resolvers)) {
      rs->add_server(be.get(), added, sc);
      added->referenced = true;  // its resolvers section holds it
    }
    // A server resolved at run time is checked once it has an address.
    if (sc.check && (added->has_addr || !sc.resolve.resolvers.empty()) && !p.disabled)
      add_check(p, sc, be.get(), added, errors);
    if (sc.agent_check && !p.disabled) add_agent(p, sc, be.get(), added, errors);
  }
  if (!p.dispatch.empty() || p.transparent) {
    // HAProxy: dispatch wins over option transparent.
    config::ServerConfig sc;
    sc.loc = p.dispatch_loc;
    sc.name = "<NOSRV>";
    sc.address = p.dispatch.empty() ? "0.0.0.0:0" : p.dispatch;
    sc.port_from_client = p.dispatch.empty();  // transparent: the client's destination
    auto s = std::make_unique<backend::Server>();
    if (init_addr(p, sc, s.get(), errors) &&
        fill_server(p, sc, be.get(), cfg_->global.tls, s.get(), errors)) {
      s->fallback = true;
      be->set_fallback(std::move(s));
    }
  }
  be->settings.stick_rules = p.stick_rules;
  be->dyn_cookie.key = p.dynamic_cookie_key;
  be->dyn_cookie.enabled = p.cookie.dynamic;
  for (const std::string& w : backend::refresh_dynamic_cookies(*be))
    warnings.push_back(where(p.cookie.loc, "cookie") + w);
  for (const config::UseServerRule& r : p.use_servers) {
    backend::Server* s = r.fmt ? nullptr : be->server_named(r.server);
    if (s) s->referenced = true;
    be->settings.use_servers.push_back(backend::BackendSettings::UseServer{r, s});
  }
  be->finalize();
  backends.push_back(std::move(be));
  return backends.back().get();
}

void Runtime::open_global_logs(const config::Config& cfg, std::vector<std::string>* errors) {
  const config::GlobalConfig& g = cfg.global;
  log_hostname_set_ = g.log_send_hostname.has_value();
  log_tag_ = g.log_tag;
  std::string host;
  if (g.log_send_hostname) {
    host = *g.log_send_hostname;
    char name[256] = {};
    if (host.empty() && gethostname(name, sizeof name - 1) == 0) host = name;
  }
  stream::set_log_hostname(host);
  int max_len = 0;
  for (const config::LogTarget& t : g.logs) max_len = std::max(max_len, t.maxlen);
  for (const config::ProxyConfig& p : cfg.proxies)
    for (const config::LogTarget& t : p.logs) max_len = std::max(max_len, t.maxlen);
  stream::set_max_log_len(max_len);
  for (const config::LogTarget& t : g.logs)
    if (auto s = open_log(t, g.log_send_hostname.has_value(), errors))
      global_logs.push_back(std::move(s));
}

void Runtime::create_rings(const config::Config& cfg) {
  stream::clear_rings();
  ring_bufsize_ = size_t(cfg.global.tune_bufsize);
  // buf0 first (listed before the configuration's rings, as in HAProxy),
  // unless the configuration has its own.
  bool own_buf0 = false;
  for (const config::RingConfig& r : cfg.rings) own_buf0 |= r.name == "buf0";
  stream::install_event_sinks(!own_buf0);
  for (const config::RingConfig& r : cfg.rings)
    stream::register_ring(std::make_shared<stream::LogRing>(r));
}

std::shared_ptr<stream::LogSink> Runtime::open_log(const config::LogTarget& t, bool hostname_set,
                                                   std::vector<std::string>* errors) {
  std::shared_ptr<stream::LogRing> ring;
  if (t.kind == config::LogTarget::Kind::kRing) ring = stream::find_ring(t.address);
  if (t.kind == config::LogTarget::Kind::kTcp) {
    // As HAProxy: a ring of tune.bufsize bytes named "ring#N", in the
    // target's format, with one server (legacy framing) at the address.
    config::RingConfig rc;
    rc.loc = t.loc;
    rc.name = "ring#" + std::to_string(++implicit_rings_);
    rc.description =
        "implicit ring of the log target at " + t.loc.file + ":" + std::to_string(t.loc.line);
    rc.format = t.format_set   ? t.format
                : hostname_set ? config::SyslogFormat::kRfc3164
                               : config::SyslogFormat::kLocal;
    rc.maxlen = t.maxlen;
    rc.size = ring_bufsize_;
    rc.servers.push_back(config::RingServerConfig{t.loc, "log", t.address, false});
    ring = std::make_shared<stream::LogRing>(rc);
    stream::register_ring(ring);
  }
  std::string err;
  std::shared_ptr<stream::LogSink> s = stream::LogSink::open(t, hostname_set, &err, ring);
  if (!s) errors->push_back(err);
  return s;
}

void Runtime::create_ring_forwarders(std::vector<std::string>* errors) {
  int k = 0;
  for (const auto& ring : stream::all_rings()) {
    for (size_t i = 0; i < ring->config().servers.size(); ++i) {
      const config::RingServerConfig& sc = ring->config().servers[i];
      std::string err;
      auto addr = net::Address::parse(sc.address, &err);
      if (!addr) {
        errors->push_back(where(sc.loc, "server") + "'" + sc.address + "': " + err);
        continue;
      }
      ring_forwarders.push_back(
          std::make_unique<stream::RingForwarder>(ring, i, *addr, k++ % std::max(1, nbthread)));
    }
  }
}

std::vector<std::shared_ptr<stream::LogSink>> Runtime::proxy_logs(
    const config::ProxyConfig& p, bool hostname_set, std::vector<std::string>* errors) {
  std::vector<std::shared_ptr<stream::LogSink>> out;
  if (p.log_global) out = global_logs;
  for (const config::LogTarget& t : p.logs)
    if (auto s = open_log(t, hostname_set, errors)) out.push_back(std::move(s));
  return out;
}

void Runtime::set_event_log(const config::ProxyConfig& p, backend::Backend* be,
                            std::vector<std::string>* errors) {
  auto sinks = proxy_logs(p, log_hostname_set_, errors);
  if (sinks.empty()) return;
  auto log = std::make_shared<stream::FrontendLog>();
  stream::set_log_sinks(log.get(), std::move(sinks));
  log->tag = p.log_tag.empty() ? log_tag_ : p.log_tag;
  be->settings.event_log = [log](int8_t level, const std::string& line) {
    stream::send_log_line(*log, level, {}, line);
  };
}

bool Runtime::build(const config::Config& cfg, std::vector<std::string>* errors) {
  cfg_ = &cfg;
  // Before any certificate is loaded (binds, servers, peers).
  net::set_extra_files({cfg.global.tls.extra_key, cfg.global.tls.extra_bundle,
                        cfg.global.tls.extra_del_ext});
  nbthread = cfg.global.nbthread;
  set_stat_threads(nbthread);  // before any proxy or server holds counters
  hard_stop_after_ms = ms(cfg.global.hard_stop_after);
  spread_checks_pct = cfg.global.process.spread_checks;
  insecure_fork_wanted = cfg.global.insecure_fork_wanted;
  max_spread_checks_ms = cfg.global.process.max_spread_checks_ms;
  create_rings(cfg);
  open_global_logs(cfg, errors);
  stream::Frontend::set_global_maxconn(cfg.global.maxconn);
  stream::process_rates().conn_limit.store(uint32_t(cfg.global.maxconnrate));
  stream::process_rates().sess_limit.store(uint32_t(cfg.global.maxsessrate));
  stream::process_rates().ssl_limit.store(uint32_t(cfg.global.maxsslrate));
  const config::GlobalConfig& g = cfg.global;
  server_bufs_ = SocketBuffers{g.tune_sndbuf_server, g.tune_rcvbuf_server};
  tuning = Tuning{g.tune_maxaccept, g.tune_maxpollevents, g.tune_runqueue_depth,
                  g.tune_sndbuf_client, g.tune_rcvbuf_client};
  stream::set_log_uri_len(size_t(g.tune_http_logurilen));
  ProfilingMode profiling = ProfilingMode::kAuto;  // the word was checked at load
  profiling_mode_of(g.profiling_tasks, &profiling);
  set_profiling_mode(profiling);
  net::set_recv_enough(size_t(g.tune_recv_enough));
  rlimit nofile{};  // as apply_limits() left it
  getrlimit(RLIMIT_NOFILE, &nofile);
  backend::set_fd_ratios(long(nofile.rlim_cur), g.tune_pool_low_fd_ratio,
                         g.tune_pool_high_fd_ratio);
  const config::SpliceGlobal& sp = cfg.global.splice;
  net::configure_pipes({!sp.nosplice, sp.maxpipes.value_or(cfg.global.maxconn / 4), sp.pipesize});
  // Every backend and listen section is a backend (a listen without servers
  // answers 503, as in HAProxy). References between sections were checked
  // by config::validate().
  // Proxy ids: "id", else the order of the sections, from 1 (defaults have none;
  // a stats socket's internal proxy comes first, as in HAProxy).
  const std::vector<int> ids = config::proxy_ids(cfg);
  create_resolvers(cfg);
  for (size_t i = 0; i < cfg.proxies.size(); ++i) {
    const config::ProxyConfig& p = cfg.proxies[i];
    if (p.kind == config::ProxyKind::kBackend || p.kind == config::ProxyKind::kListen)
      build_backend(p, ids[i], errors);
  }
  link_tracks(cfg);
  mark_fetch_references(cfg);
  stream::clear_backend_registry();
  for (const auto& be : backends) stream::register_backend(be.get());
  // Stick tables: one per proxy that declares one, shared by the threads.
  stick::clear_tables();
  for (const config::ProxyConfig& p : cfg.proxies)
    if (p.stick_table) stick::register_table(std::make_shared<stick::Table>(*p.stick_table));
  for (const config::PeersConfig& pc : cfg.peers)
    for (const auto& t : pc.tables) stick::register_table(std::make_shared<stick::Table>(*t));
  create_peers(cfg, errors);

  for (size_t i = 0; i < cfg.proxies.size(); ++i) {
    const config::ProxyConfig& p = cfg.proxies[i];
    if (p.kind != config::ProxyKind::kFrontend && p.kind != config::ProxyKind::kListen) continue;
    if (p.disabled) continue;  // "disabled": no listener at all
    FrontendRuntime fr;
    fr.fe = std::make_unique<stream::Frontend>();
    stream::Frontend& fe = *fr.fe;
    fe.id = ids[i];
    fill_frontend(p, cfg.global, proxy_logs(p, cfg.global.log_send_hostname.has_value(), errors),
                  &fe);
    if (p.kind == config::ProxyKind::kListen) fe.own_backend = find_backend(p.name);
    fe.default_backend =
        p.default_backend.empty() ? fe.own_backend : find_backend(p.default_backend);
    for (const config::SwitchingRule& r : p.use_backends)
      if (r.fmt)
        fe.switching.push_back({nullptr, r.cond, r.fmt});
      else if (backend::Backend* be = find_backend(r.backend))
        fe.switching.push_back({be, r.cond, nullptr});
    const std::vector<int> bids = config::bind_ids(p);
    for (size_t k = 0; k < p.binds.size(); ++k) {
      const config::BindConfig& b = p.binds[k];
      BindSpec spec;
      spec.loc = b.loc;
      spec.text = b.address;
      spec.listen = listen_options(b.opts, p);
      spec.threads = b.opts.threads;
      auto owned = std::make_unique<net::BindInfo>();
      net::BindInfo* info = owned.get();
      info->name = b.opts.name;
      info->accept_proxy = b.opts.accept_proxy;
      info->id = bids[k];
      info->maxconn = b.opts.maxconn;
      spec.info = info;
      fr.bind_infos.push_back(std::move(owned));
      spec.xprt = net::raw_transport();
      if (b.opts.tls.enabled) {
        std::string err;
        std::vector<std::string> warned;
        std::unique_ptr<net::Transport> tls =
            make_bind_transport(b.opts.tls, cfg.global.tls, &err, &warned,
                                b.loc.file + ":" + std::to_string(b.loc.line));
        for (const std::string& w : warned)
          warnings.push_back(where(b.loc, "bind") + "'" + b.address + " ssl': " + w);
        if (!tls) {
          errors->push_back(where(b.loc, "bind") + "'" + b.address + " ssl': " + err);
          continue;
        }
        spec.xprt = tls.get();
        fr.transports.push_back(std::move(tls));
      }
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
        if (a->is_unix()) spec.shared = std::make_shared<SharedListenSocket>();
      }
      if (p.socket_stats) {  // HAProxy's listener rows: counters for this line
        info->stats_slot = int(fe.bind_stats.size());
        auto bs = std::make_unique<stream::BindStats>();
        bs->bind = info;
        if (spec.inherited_fd < 0) bs->addr = spec.addr.str();
        fe.bind_stats.push_back(std::move(bs));
      }
      fr.binds.push_back(spec);
    }
    frontends.push_back(std::move(fr));
  }
  load_server_states(cfg);
  apply_warm_state();
  start_health();
  create_ring_forwarders(errors);
  cfg_ = nullptr;
  return errors->empty();
}

}  // namespace hearth::app
