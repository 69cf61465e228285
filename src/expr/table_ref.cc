#include "expr/table_ref.h"

namespace hearth::expr {
namespace {

thread_local TableRefScope* current_scope = nullptr;

}  // namespace

TableRefScope::TableRefScope() : prev_(current_scope) { current_scope = this; }

TableRefScope::~TableRefScope() { current_scope = prev_; }

std::shared_ptr<TableRef> TableRefScope::make(std::string name, std::string keyword) {
  auto ref = std::make_shared<TableRef>();
  ref->name = std::move(name);
  ref->keyword = std::move(keyword);
  if (current_scope) current_scope->refs_.push_back(ref);
  return ref;
}

}  // namespace hearth::expr
