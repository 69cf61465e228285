#include "app/runtime.h"

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

}  // namespace

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
    be->add_server(std::move(s));
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
    if (p.mode == config::Mode::kHttp || bcfg->mode == config::Mode::kHttp) {
      errors->push_back(where(p.loc, "mode") +
                        "'mode http' is not available in this build yet; use 'mode tcp'");
      continue;
    }
    FrontendRuntime fr;
    fr.fe = std::make_unique<stream::Frontend>();
    stream::Frontend& fe = *fr.fe;
    fe.name = p.name;
    fe.mode = stream::ProxyMode::kTcp;
    fe.backend = be;
    fe.maxconn = p.maxconn;
    fe.log = log_stdout && p.log_global;
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
  return errors->empty();
}

}  // namespace hearth::app
