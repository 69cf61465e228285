// The peers sections at run time (Runtime::create_peers): each enabled
// section gets its local peer's listening socket, its remote peers and the
// tables it replicates (its own "table" lines and the proxies' stick-tables
// that name it).
#include <unistd.h>

#include <cstdlib>

#include "app/process.h"
#include "app/runtime.h"
#include "app/tls_bind.h"
#include "app/tls_server.h"
#include "net/socket.h"
#include "net/tls_transport.h"
#include "peers/registry.h"
#include "stick/registry.h"

namespace hearth::app {
namespace {

std::string at(const config::SourceLoc& loc, const std::string& kw) {
  return loc.file + ":" + std::to_string(loc.line) + ": '" + kw + "': ";
}

}  // namespace

void Runtime::create_peers(const config::Config& cfg, std::vector<std::string>* errors) {
  peer_sections.clear();
  peers::clear_sections();
  const char* env = std::getenv("HAPROXY_LOCALPEER");
  const std::string local = env && *env ? env : host_name();
  for (const config::PeersConfig& pc : cfg.peers) {
    if (pc.disabled) continue;  // nothing listens, nothing is replicated
    const config::PeerLine* self = nullptr;
    std::vector<peers::PeerSpec> remotes;
    bool ok = true;
    for (const config::PeerLine& l : pc.peers) {
      if (l.name == local) {
        self = &l;
        continue;
      }
      if (l.address.empty()) {
        errors->push_back(at(l.loc, "server") + "peer '" + l.name + "' has no address (only the " +
                          "local peer, '" + local + "', may go without one)");
        ok = false;
        continue;
      }
      std::string err;
      auto a = net::Address::parse(l.address, &err);
      if (!a) {
        errors->push_back(at(l.loc, "peer") + "'" + l.address + "': " + err);
        ok = false;
        continue;
      }
      peers::PeerSpec spec{l.name, *a, true, nullptr};
      if (l.tls.enabled) {
        auto settings = tls_server_settings(l.tls, cfg.global.tls, &err);
        std::unique_ptr<net::Transport> x;
        if (settings) x = net::make_tls_client_transport(*settings, &err);
        if (!x) {
          errors->push_back(at(l.loc, "peer") + "'" + l.name + " ssl': " + err);
          ok = false;
          continue;
        }
        spec.xprt = std::move(x);
      }
      remotes.push_back(std::move(spec));
    }
    if (!self) {
      errors->push_back(at(pc.loc, "peers") + "no peer named '" + local +
                        "' (the local peer: -L, localpeer or the host name) in peers section '" +
                        pc.name + "'");
      continue;
    }
    if (!ok) continue;
    // Where remote peers reach this one: the bind line, else its peer line.
    const std::string& where = !pc.bind.empty() ? pc.bind : self->address;
    const config::SourceLoc& wloc = !pc.bind.empty() ? pc.bind_loc : self->loc;
    int fd = -1;
    if (!where.empty()) {
      if (auto inherited = net::parse_fd_spec(where)) {
        fd = *inherited;
      } else {
        std::string err;
        auto a = net::Address::parse(where, &err);
        if (a) fd = net::make_listener(*a, net::ListenOptions{}, &err);
        if (fd < 0) {
          errors->push_back(at(wloc, pc.bind.empty() ? "peer" : "bind") + "'" + where +
                            "': " + err);
          continue;
        }
      }
    }
    std::unique_ptr<net::Transport> bind_xprt;
    if (fd >= 0 && pc.bind_tls.enabled) {
      std::string err;
      std::vector<std::string> warned;
      bind_xprt = make_bind_transport(pc.bind_tls, cfg.global.tls, &err, &warned,
                                      wloc.file + ":" + std::to_string(wloc.line));
      for (const std::string& w : warned) warnings.push_back(at(wloc, "bind") + w);
      if (!bind_xprt) {
        errors->push_back(at(wloc, "bind") + "'" + where + " ssl': " + err);
        if (!net::parse_fd_spec(where)) ::close(fd);
        continue;
      }
    }
    std::vector<stick::Table*> tables;
    for (const auto& t : stick::all_tables())
      if (t->config().peers == pc.name) tables.push_back(t.get());
    peer_sections.push_back(std::make_unique<peers::Section>(
        pc.name, local, std::move(remotes), std::move(tables), fd, nbthread, std::move(bind_xprt)));
    peer_sections.back()->set_expect_local(reloaded && fd >= 0);
    peers::register_section(peer_sections.back().get());
  }
}

}  // namespace hearth::app
