#include "config/proxy_ids.h"

#include <map>
#include <set>

namespace hearth::config {

std::vector<int> number_ids(const std::vector<int>& fixed) {
  std::set<int> used;  // the fixed ids, then those given out
  for (int id : fixed)
    if (id) used.insert(id);
  std::vector<int> out;
  int next = 1;
  for (int id : fixed) {
    if (id) {
      out.push_back(id);
    } else {
      while (used.count(next)) ++next;
      used.insert(next);
      out.push_back(next);
    }
    ++next;
  }
  return out;
}

std::vector<int> proxy_ids(const Config& c) {
  // A stats socket brings HAProxy's internal CLI proxy, numbered first.
  const bool cli = !c.global.stats_sockets.empty();
  std::vector<int> fixed;
  if (cli) fixed.push_back(0);
  for (const ProxyConfig& p : c.proxies) fixed.push_back(p.id);
  std::vector<int> ids = number_ids(fixed);
  if (cli) ids.erase(ids.begin());
  return ids;
}

void validate_proxy_ids(ParseResult& r) {
  std::map<int, const ProxyConfig*> seen;
  for (const ProxyConfig& p : r.config.proxies) {
    if (!p.id) continue;
    auto [it, fresh] = seen.emplace(p.id, &p);
    if (fresh) continue;
    const ProxyConfig& q = *it->second;
    r.errors.push_back(Diagnostic{p.id_loc, "id",
                                  "id " + std::to_string(p.id) + " of '" + p.name +
                                      "' is already the id of '" + q.name + "' (" + q.id_loc.file +
                                      ":" + std::to_string(q.id_loc.line) +
                                      "): each proxy needs its own"});
  }
}

}  // namespace hearth::config
