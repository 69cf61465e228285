#include "config/table_refs.h"

#include <map>

#include "config/keywords.h"

namespace hearth::config::detail {

void resolve_table_refs(const std::vector<PendingTableRef>& refs, Config& config, Reporter& rep) {
  // The proxies' tables, then the peers sections' (as the runtime registers them).
  std::map<std::string, std::shared_ptr<const stick::TableConfig>*, std::less<>> slot;
  std::map<std::string, int, std::less<>> index;
  int n = 0;
  for (ProxyConfig& p : config.proxies)
    if (p.stick_table) index.emplace(p.name, n++), slot.emplace(p.name, &p.stick_table);
  for (PeersConfig& pc : config.peers)
    for (auto& t : pc.tables) index.emplace(t->name, n++), slot.emplace(t->name, &t);
  for (const PendingTableRef& p : refs) {
    expr::TableRef& r = *p.ref;
    if (r.name.empty()) continue;  // reported where it was met (no proxy around it)
    const auto it = index.find(r.name);
    if (it == index.end()) {
      rep.error(p.loc, p.keyword,
                "unable to find stick-table '" + r.name + "' referenced by " + r.keyword);
      continue;
    }
    r.index = it->second;
    if (!r.server_id) continue;
    std::shared_ptr<const stick::TableConfig>& cur = *slot[r.name];
    if (cur->layout.find(stick::DataType::kServerId) &&
        cur->layout.find(stick::DataType::kServerKey))
      continue;
    auto t = std::make_shared<stick::TableConfig>(*cur);
    t->layout.add_server_id();
    cur = std::move(t);
  }
}

}  // namespace hearth::config::detail
