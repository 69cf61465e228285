#include "config/table_refs.h"

#include <map>

#include "config/keywords.h"

namespace hearth::config::detail {

void resolve_table_refs(const std::vector<PendingTableRef>& refs, Config& config, Reporter& rep) {
  std::map<std::string, int, std::less<>> index;
  int n = 0;
  for (const ProxyConfig& p : config.proxies)
    if (p.stick_table) index.emplace(p.name, n++);
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
    for (ProxyConfig& px : config.proxies) {
      if (px.name != r.name || !px.stick_table ||
          px.stick_table->layout.find(stick::DataType::kServerId))
        continue;
      auto t = std::make_shared<stick::TableConfig>(*px.stick_table);
      t->layout.add_server_id();
      px.stick_table = std::move(t);
    }
  }
}

}  // namespace hearth::config::detail
