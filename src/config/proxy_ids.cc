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
  std::vector<int> fixed;
  for (const ProxyConfig& p : c.proxies) fixed.push_back(p.id);
  return number_ids(fixed);
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
