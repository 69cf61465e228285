#include "app/dynamic_servers.h"

#include <arpa/inet.h>

#include <condition_variable>
#include <mutex>

#include "app/runtime.h"
#include "app/worker.h"
#include "backend/backend.h"
#include "backend/health_check.h"
#include "backend/server_state_lock.h"
#include "backend/server_track.h"
#include "config/address.h"
#include "config/dynamic_server.h"
#include "core/clock.h"
#include "net/tls_transport.h"

namespace hearth::app {
namespace {

const config::ProxyConfig* section_of(const config::Config& cfg, const std::string& name) {
  for (const config::ProxyConfig& p : cfg.proxies)
    if (p.name == name && p.kind != config::ProxyKind::kFrontend) return &p;
  return nullptr;
}

// "cli:0: 'server': message" → "message" (the runtime's errors name a place).
std::string bare(const std::string& error) {
  const std::string tag = "'server': ";
  const size_t at = error.find(tag);
  return at == std::string::npos ? error : error.substr(at + tag.size());
}

// Returns: true if `address` needs no resolution: an IP, none at all, or a
// UNIX socket.
bool is_ip(const std::string& address) {
  if (config::check_unix_address(address)) return true;
  std::string h = address.substr(0, address.rfind(':'));
  if (h.size() > 1 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  unsigned char buf[16];
  return h.empty() || h == "*" || inet_pton(AF_INET, h.c_str(), buf) == 1 ||
         inet_pton(AF_INET6, h.c_str(), buf) == 1;
}

// The server that "track [<backend>/]<server>" of new server `s` of `be`
// names (null: none, with HAProxy's refusal in *err).
backend::TrackLink track_target(const std::vector<std::unique_ptr<backend::Backend>>& backends,
                                backend::Backend& be, const backend::Server& s,
                                const std::string& track, std::string* err) {
  const size_t slash = track.find('/');
  const std::string px = slash == std::string::npos ? be.name() : track.substr(0, slash);
  const std::string sv = slash == std::string::npos ? track : track.substr(slash + 1);
  backend::Backend* tbe = nullptr;
  for (const auto& b : backends)
    if (b->name() == px) tbe = b.get();
  if (!tbe) {
    *err = "unable to find required proxy '" + px + "' for tracking.";
    return {};
  }
  backend::Server* target = tbe->server_named(sv);
  if (!target) {
    *err = "unable to find required server '" + sv + "' for tracking.";
    return {};
  }
  const bool checked = target->health.checked || target->agent_health.checked || target->track.srv;
  *err = backend::track_refusal(be, s, *tbe, *target, checked);
  if (!err->empty()) return {};
  return {tbe, target};
}

}  // namespace

std::string DynamicServers::add(backend::Backend& be, const std::string& name,
                                const std::vector<std::string>& args) {
  std::string err;
  std::optional<config::ServerConfig> sc =
      config::parse_dynamic_server(name, args, &err, be.settings.mode);
  if (!sc) return err + "\n\n";
  if (be.server_named(name)) return "Already exists a server with the same name in backend.\n\n";
  for (const auto& o : be.servers())
    if (sc->id > 0 && o->puid == sc->id)
      return "'id' : custom id " + std::to_string(sc->id) + " already used by server '" + o->name +
             "'.\n\n";
  const config::ProxyConfig* p = section_of(*cfg_, be.name());
  if (!p) return "No such backend.\n";
  // As HAProxy's init-addr "none" for dynamic servers: an IP is taken as it
  // is, a name is not resolved (the server has no address).
  sc->init_addr = {is_ip(sc->address) ? "libc" : "none"};
  // As HAProxy, a dynamic server's checks follow its traffic's TLS and PROXY
  // header only when told so (check-ssl, check-send-proxy): reg-tests
  // server/cli_add_check_server.vtc and cli_add_ssl_server.vtc.
  if (sc->tls.check_ssl < 0) sc->tls.check_ssl = 0;
  auto s = std::make_unique<backend::Server>();
  std::vector<std::string> errors;
  if (!init_server_addr(*sc, s.get(), &errors) ||
      !rt_->fill_server(*p, *sc, &be, cfg_->global.tls, s.get(), &errors))
    return bare(errors.front()) + "\n\n";
  if (!sc->check_send_proxy) s->check_pp_version = 0;
  backend::TrackLink tracked;
  if (!sc->track.empty()) {
    tracked = track_target(rt_->backends, be, *s, sc->track, &err);
    if (!tracked.srv) return err + "\n\n";
  }
  s->puid = sc->id ? sc->id : be.free_puid();  // before the checks, which name it
  s->puid_forced = sc->id != 0;
  s->dynamic = true;
  // No dynamic cookie ("cookie ... dynamic"), as HAProxy 2.6: a response
  // from it clears the client's persistence cookie (compared side by side).
  s->disabled.store(true);                    // in maintenance until "enable server", as HAProxy
  if (!sc->check) s->health.health.store(0);  // as HAProxy shows it, until a change
  // Checks: built now, disabled until "enable health" / "enable agent".
  std::vector<backend::CheckSpec> specs;
  if (sc->check) {
    backend::CheckSpec spec;
    if (!rt_->check_spec(*p, *sc, &be, s.get(), &spec, &errors))
      return bare(errors.front()) + "\n\n";
    specs.push_back(std::move(spec));
  }
  if (sc->agent_check) {
    backend::CheckSpec spec;
    if (!rt_->agent_spec(*p, *sc, &be, s.get(), &spec, &errors))
      return bare(errors.front()) + "\n\n";
    specs.push_back(std::move(spec));
  }
  const int nthreads = int(workers_->size());
  std::vector<std::unique_ptr<backend::HealthCheck>> checks;
  for (backend::CheckSpec& spec : specs) {
    spec.spread_pct = rt_->spread_checks_pct;
    const int thread = nthreads > 0 ? next_check_thread_++ % nthreads : 0;
    checks.push_back(std::make_unique<backend::HealthCheck>(&be, s.get(), std::move(spec), thread));
  }
  s->health.enabled.store(false);
  s->agent_health.enabled.store(false);
  s->health.start(false, MonotonicClock::instance()->now_ms());
  std::vector<backend::HealthCheck*> to_start;
  for (auto& c : checks) to_start.push_back(c.get());
  backend::Server* added = s.get();
  const bool done = isolation_.run([&] {
    backend::ServerStateGuard guard;  // the link with the states it copies
    be.add_dynamic_server(std::move(s));
    if (tracked.srv) {  // it starts as the server it tracks, still in maintenance
      backend::link_track(be, *added, *tracked.be, *tracked.srv);
      backend::sync_trackers(*added);
    }
    for (auto& c : checks) rt_->checks.push_back(std::move(c));
  });
  if (!done) return "Could not pause the worker threads; no server was added.\n\n";
  // Started on their threads before the answer: an "enable server" that
  // follows finds them running there.
  for (backend::HealthCheck* hc : to_start) {
    EventLoop* loop = (*workers_)[size_t(hc->thread())]->loop();
    on_worker(hc->thread(), [hc, loop] { hc->start(loop); });
  }
  return "New server registered.\n\n";
}

bool DynamicServers::on_worker(int thread, std::function<void()> fn) const {
  struct Call {
    std::function<void()> fn;
    std::mutex mu;
    std::condition_variable cv;
    bool done = false;
  };
  auto call = std::make_shared<Call>();
  call->fn = std::move(fn);
  auto* arg = new std::shared_ptr<Call>(call);
  (*workers_)[size_t(thread)]->loop()->post(
      [](void* a) {
        std::unique_ptr<std::shared_ptr<Call>> c(static_cast<std::shared_ptr<Call>*>(a));
        (*c)->fn();
        std::lock_guard<std::mutex> g((*c)->mu);
        (*c)->done = true;
        (*c)->cv.notify_all();
      },
      arg);
  std::unique_lock<std::mutex> lk(call->mu);
  return call->cv.wait_for(lk, std::chrono::seconds(2), [&] { return call->done; });
}

void DynamicServers::close_idle(backend::Server& s) const {
  for (const auto& w : *workers_) {
    const int t = w->index();
    on_worker(t, [&s, t] {
      if (t < int(s.pools.size()) && s.pools[size_t(t)])
        s.pools[size_t(t)]->tick(MonotonicClock::instance()->now_ms(), false);
    });
  }
}

bool DynamicServers::unused(backend::Backend& be, backend::Server& s) const {
  if (s.cur_sess.load() > 0 || be.server_queue_length(&s) > 0) return false;
  for (const auto& pool : s.pools)
    if (pool && (pool->idle_count() > 0 || pool->avail_count() > 0)) return false;
  return true;
}

std::string DynamicServers::del(backend::Backend& be, backend::Server& s) {
  if (s.referenced)
    return "This server cannot be removed at runtime due to other configuration elements "
           "pointing to it.\n";
  if (!s.in_maintenance()) return "Only servers in maintenance mode can be deleted.\n";
  close_idle(s);  // idle connections are nobody's: closed on their own threads first
  const char* refused = nullptr;
  const bool done = isolation_.run([&] {
    backend::ServerStateGuard guard;  // no propagation walks the list it leaves
    // Workers parked: nothing takes a slot, parks a connection, queues or
    // (an agent) ends the maintenance meanwhile, so what is checked here
    // holds when the server goes.
    if (!s.in_maintenance())
      refused = "Only servers in maintenance mode can be deleted.\n";
    else if (!unused(be, s))
      refused = "Server still has connections attached to it, cannot remove it.\n";
    if (refused) return;
    be.retire_server(&s);
    backend::unlink_track(s);  // a tracker leaves its tracked server's list
    // Results of checks in flight stop counting (HealthCheck::admin_enable).
    s.health.enabled.store(false);
    s.agent_health.enabled.store(false);
  });
  if (!done) return "Could not pause the worker threads; the server was not deleted.\n";
  if (refused) return refused;
  // Its client certificate is no longer in use ("show ssl cert": Unused).
  net::tls_forget_client(s.tls_xprt.get());
  net::tls_forget_client(s.check_tls_xprt.get());
  // Its checks end on their own threads; their objects stay with the runtime.
  for (backend::HealthCheck* hc : {s.check, s.agent})
    if (hc) on_worker(hc->thread(), [hc] { hc->stop(); });
  return "Server deleted.\n";
}

}  // namespace hearth::app
