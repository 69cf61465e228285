#include "expr/server_ref.h"

namespace hearth::expr {
namespace {

thread_local ServerRefScope* current_scope = nullptr;

}  // namespace

ServerRefScope::ServerRefScope() : prev_(current_scope) { current_scope = this; }

ServerRefScope::~ServerRefScope() { current_scope = prev_; }

void ServerRefScope::note(const std::string& ref) {
  if (current_scope) current_scope->refs_.push_back(ref);
}

}  // namespace hearth::expr
