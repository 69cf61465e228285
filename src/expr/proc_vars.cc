#include "expr/proc_vars.h"

#include <algorithm>
#include <cstring>

#include "expr/vars.h"

namespace hearth::expr {
namespace {

bool has_bytes(SmpType t) {
  return t == SmpType::kStr || t == SmpType::kBin || t == SmpType::kMeth;
}

}  // namespace

ProcVars& ProcVars::instance() {
  static ProcVars vars;
  return vars;
}

bool ProcVars::get(uint32_t id, Sample* out) const {
  std::lock_guard<std::mutex> g(mu_);
  auto it = vars_.find(id);
  if (it == vars_.end() || !it->second.set) return false;
  *out = it->second.value;
  if (has_bytes(out->type) && !out->str.empty()) {
    Chunk c = next_chunk();
    const size_t n = std::min(out->str.size(), c.size);
    std::memcpy(c.data, out->str.data(), n);
    out->str = std::string_view(c.data, n);
  }
  return true;
}

bool ProcVars::set_if(uint32_t id, uint16_t conds, const Sample& in) {
  std::lock_guard<std::mutex> g(mu_);
  auto it = vars_.find(id);
  const bool exists = it != vars_.end();
  const bool set = exists && it->second.set;
  if (!var_conds_hold(conds, exists, set ? &it->second.value : nullptr, in)) {
    // As in a VarStore: a failed condition other than ifexists declares it.
    if (!exists && !(conds & kVarIfExists)) vars_.emplace(id, Entry{});
    return false;
  }
  Entry& e = exists ? it->second : vars_[id];
  e.value = in;
  e.value.may_change = false;
  if (has_bytes(in.type)) {
    e.bytes.assign(in.str.data(), in.str.size());
    e.value.str = e.bytes;
  } else {
    e.bytes.clear();
  }
  e.set = true;
  return true;
}

void ProcVars::unset(uint32_t id) {
  std::lock_guard<std::mutex> g(mu_);
  vars_.erase(id);
}

void ProcVars::declare(uint32_t id) {
  std::lock_guard<std::mutex> g(mu_);
  vars_.try_emplace(id);
}

void ProcVars::clear() {
  std::lock_guard<std::mutex> g(mu_);
  vars_.clear();
}

}  // namespace hearth::expr
