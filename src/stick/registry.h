#pragma once
// The stick tables of the running configuration, by name (the proxy that
// declares each), in declaration order. Filled while the runtime is built,
// before workers run; read from any thread afterwards.
#include <memory>
#include <string_view>
#include <vector>

#include "stick/table.h"

namespace hearth::stick {

void register_table(std::shared_ptr<Table> t);
// Returns: the table or nullptr.
Table* find_table(std::string_view name);
const std::vector<std::shared_ptr<Table>>& all_tables();
// Returns: the table at `index` in registration order (a resolved
// expr::TableRef's), or nullptr.
inline Table* table_at(int index) {
  const auto& v = all_tables();
  return index >= 0 && size_t(index) < v.size() ? v[size_t(index)].get() : nullptr;
}
void clear_tables();

}  // namespace hearth::stick
