#include "config/validate_track.h"

#include <map>
#include <utility>

namespace hearth::config {
namespace {

using Key = std::pair<std::string, std::string>;  // proxy, server

bool is_backend(const ProxyConfig& p) { return p.kind != ProxyKind::kFrontend; }

const ServerConfig* find_server(const ProxyConfig& p, const std::string& name) {
  for (const ServerConfig& s : p.servers)
    if (s.name == name) return &s;
  return nullptr;
}

}  // namespace

void validate_tracks(ParseResult& r) {
  std::map<std::string, const ProxyConfig*> backends;
  for (const ProxyConfig& p : r.config.proxies)
    if (is_backend(p)) backends.emplace(p.name, &p);
  std::map<Key, Key> linked;  // tracker -> tracked, for the links accepted so far
  for (const ProxyConfig& p : r.config.proxies) {
    if (!is_backend(p)) continue;
    for (const ServerConfig& s : p.servers) {
      if (s.track.empty()) continue;
      const size_t slash = s.track.find('/');
      const std::string px = slash == std::string::npos ? p.name : s.track.substr(0, slash);
      const std::string sv = slash == std::string::npos ? s.track : s.track.substr(slash + 1);
      const auto fail = [&](const std::string& msg) {
        r.errors.push_back(
            Diagnostic{s.loc, "server", "'server " + p.name + "/" + s.name + "' : " + msg});
      };
      const auto be = backends.find(px);
      if (be == backends.end()) {
        fail("unable to find required proxy '" + px + "' for tracking.");
        continue;
      }
      const ServerConfig* target = find_server(*be->second, sv);
      if (!target) {
        fail("unable to find required server '" + sv + "' for tracking.");
        continue;
      }
      const std::string name = px + "/" + sv;
      if (!target->check && !target->agent_check && target->track.empty()) {
        fail("unable to use " + name +
             " for tracking as it does not have any check nor agent enabled.");
        continue;
      }
      const Key self{p.name, s.name};
      Key at{px, sv};
      bool loops = at == self;
      for (auto it = linked.find(at); !loops && it != linked.end(); it = linked.find(it->second))
        loops = it->second == self;
      if (loops) {
        fail("unable to track " + name + " as it belongs to a tracking chain looping back to " +
             p.name + "/" + s.name + ".");
        continue;
      }
      linked.emplace(self, at);
    }
  }
}

}  // namespace hearth::config
