#include "expr/vars.h"

#include <cstring>
#include <map>
#include <mutex>

namespace hearth::expr {
namespace {

uint32_t name_id(std::string_view name) {
  static std::mutex mu;
  static std::map<std::string, uint32_t, std::less<>> ids;
  std::lock_guard<std::mutex> g(mu);
  auto it = ids.find(name);
  if (it != ids.end()) return it->second;
  const auto id = uint32_t(ids.size() + 1);
  ids.emplace(std::string(name), id);
  return id;
}

}  // namespace

bool parse_var_name(std::string_view s, VarName* out, std::string* err) {
  static constexpr std::pair<std::string_view, VarScope> kScopes[] = {
      {"proc", VarScope::kProc}, {"sess", VarScope::kSess}, {"txn", VarScope::kTxn},
      {"req", VarScope::kReq},   {"res", VarScope::kRes},   {"check", VarScope::kCheck}};
  const size_t dot = s.find('.');
  bool found = false;
  if (dot != std::string_view::npos) {
    for (const auto& [name, scope] : kScopes) {
      if (s.substr(0, dot) == name) {
        out->scope = scope;
        found = true;
      }
    }
  }
  if (!found) {
    *err = "invalid variable name '" + std::string(s) +
           "': expects a scope among proc, sess, txn, req, res, check, then '.' and a name";
    return false;
  }
  const std::string_view name = s.substr(dot + 1);
  bool ok = !name.empty();
  for (char c : name)
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '.' || c == '_');
  if (!ok) {
    *err = "invalid variable name '" + std::string(s) +
           "': a name is made of letters, digits, '.' and '_'";
    return false;
  }
  out->text = std::string(s);
  out->id = name_id(name);  // the scope is kept apart: txn.x and sess.x share an id
  return true;
}

VarStore::Entry* VarStore::find(uint32_t id) {
  for (size_t i = 0; i < n_; ++i)
    if (inline_[i].id == id) return &inline_[i];
  for (Entry& e : overflow_)
    if (e.id == id) return &e;
  return nullptr;
}

const VarStore::Entry* VarStore::find(uint32_t id) const {
  return const_cast<VarStore*>(this)->find(id);
}

std::string_view VarStore::keep(std::string_view bytes) {
  if (bytes.empty()) return {};
  if (bytes.size() <= kInlineBytes - used_) {
    char* p = bytes_ + used_;
    std::memcpy(p, bytes.data(), bytes.size());
    used_ += bytes.size();
    return std::string_view(p, bytes.size());
  }
  big_.emplace_back(new char[bytes.size()]);
  std::memcpy(big_.back().get(), bytes.data(), bytes.size());
  return std::string_view(big_.back().get(), bytes.size());
}

void VarStore::set(uint32_t id, const Sample& s) {
  Sample copy = s;
  if (s.type == SmpType::kStr || s.type == SmpType::kBin || s.type == SmpType::kMeth)
    copy.str = keep(s.str);
  if (Entry* e = find(id)) {
    e->value = copy;
    e->set = true;
    return;
  }
  if (n_ < kInlineVars)
    inline_[n_++] = Entry{id, copy, true};
  else
    overflow_.push_back(Entry{id, copy, true});
}

bool VarStore::get(uint32_t id, Sample* out) const {
  const Entry* e = find(id);
  if (!e || !e->set) return false;
  *out = e->value;
  return true;
}

void VarStore::unset(uint32_t id) {
  // unset-var deletes the variable: "ifexists" no longer holds (HAProxy 2.6).
  for (size_t i = 0; i < n_; ++i) {
    if (inline_[i].id == id) {
      inline_[i] = inline_[--n_];
      return;
    }
  }
  for (size_t i = 0; i < overflow_.size(); ++i) {
    if (overflow_[i].id == id) {
      overflow_.erase(overflow_.begin() + long(i));
      return;
    }
  }
}

void VarStore::declare(uint32_t id) {
  if (find(id)) return;
  Sample none;
  if (n_ < kInlineVars)
    inline_[n_++] = Entry{id, none, false};
  else
    overflow_.push_back(Entry{id, none, false});
}

void VarStore::clear() {
  n_ = 0;
  used_ = 0;
  overflow_.clear();
  big_.clear();
}

bool parse_var_cond(std::string_view name, uint16_t* conds, std::string* err) {
  static constexpr std::pair<std::string_view, uint16_t> kConds[] = {
      {"ifexists", kVarIfExists}, {"ifnotexists", kVarIfNotExists},
      {"ifempty", kVarIfEmpty},   {"ifnotempty", kVarIfNotEmpty},
      {"ifset", kVarIfSet},       {"ifnotset", kVarIfNotSet},
      {"ifgt", kVarIfGt},         {"iflt", kVarIfLt}};
  for (const auto& [n, bit] : kConds) {
    if (n == name) {
      *conds |= bit;
      return true;
    }
  }
  *err = "unknown set-var condition '" + std::string(name) +
         "' (expects ifexists, ifnotexists, ifempty, ifnotempty, ifset, ifnotset, ifgt, iflt)";
  return false;
}

bool var_conds_hold(uint16_t conds, const VarStore& store, uint32_t id, const Sample& input) {
  if (conds == 0) return true;
  Sample cur;
  const bool set = store.get(id, &cur);
  return var_conds_hold(conds, store.exists(id), set ? &cur : nullptr, input);
}

bool var_conds_hold(uint16_t conds, bool exists, const Sample* cur_or_null, const Sample& input) {
  if (conds == 0) return true;
  const bool set = cur_or_null != nullptr;
  const Sample cur = set ? *cur_or_null : Sample();
  const bool scalar =
      input.type != SmpType::kStr && input.type != SmpType::kBin && input.type != SmpType::kMeth;
  const bool empty = !scalar && input.str.empty();
  if ((conds & kVarIfExists) && !exists) return false;
  if ((conds & kVarIfNotExists) && exists) return false;
  if ((conds & kVarIfEmpty) && !empty) return false;
  if ((conds & kVarIfNotEmpty) && empty) return false;
  if ((conds & kVarIfSet) && !set) return false;
  if ((conds & kVarIfNotSet) && set) return false;
  // ifgt / iflt compare integers only; with anything else they hold.
  const bool ints = set && cur.type == SmpType::kSint && input.type == SmpType::kSint;
  if ((conds & kVarIfGt) && ints && !(cur.sint > input.sint)) return false;
  if ((conds & kVarIfLt) && ints && !(cur.sint < input.sint)) return false;
  return true;
}

bool set_var_if(VarStore& store, uint32_t id, uint16_t conds, const Sample& input) {
  if (var_conds_hold(conds, store, id, input)) {
    store.set(id, input);
    return true;
  }
  if (!(conds & kVarIfExists)) store.declare(id);
  return false;
}

}  // namespace hearth::expr
