#include "stick/registry.h"

namespace hearth::stick {
namespace {

std::vector<std::shared_ptr<Table>>& tables() {
  static auto* v = new std::vector<std::shared_ptr<Table>>();
  return *v;
}

}  // namespace

void register_table(std::shared_ptr<Table> t) { tables().push_back(std::move(t)); }

Table* find_table(std::string_view name) {
  for (const auto& t : tables())
    if (t->config().name == name) return t.get();
  return nullptr;
}

const std::vector<std::shared_ptr<Table>>& all_tables() { return tables(); }

void clear_tables() { tables().clear(); }

}  // namespace hearth::stick
