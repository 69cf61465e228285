#pragma once
// Variables (HAProxy manual 2.8 and "set-var"): named samples in five scopes.
// proc lives as long as the process, sess as the client connection, txn as
// one transaction, req and res as its request and response processing.
// Names are resolved to ids when the configuration is read; a store keeps a
// few variables and their bytes inline, so setting one does not allocate.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "expr/sample.h"

namespace hearth::expr {

// kCheck: a health check's own variables, alive for one check.
enum class VarScope : uint8_t { kProc, kSess, kTxn, kReq, kRes, kCheck };
constexpr int kVarScopes = 6;

struct VarName {
  VarScope scope = VarScope::kTxn;
  uint32_t id = 0;   // process-wide, one per distinct name
  std::string text;  // "txn.name" as written
};

// Parses "scope.name" (scope: proc, sess, txn, req, res or check; the name made of
// letters, digits, '.' and '_'). Returns: false with *err.
bool parse_var_name(std::string_view s, VarName* out, std::string* err);

class VarStore {
 public:
  VarStore() = default;
  VarStore(const VarStore&) = delete;
  VarStore& operator=(const VarStore&) = delete;

  // Copies `s` (and its bytes) under `id`, replacing any previous value.
  void set(uint32_t id, const Sample& s);
  // Returns: false if unset; else *out views the stored bytes (valid until
  // the variable is set again or the store cleared).
  bool get(uint32_t id, Sample* out) const;
  // Deletes the variable (afterwards neither "ifexists" nor "ifset" holds).
  void unset(uint32_t id);
  // Creates the variable without a value if it does not exist ("ifexists"
  // then holds, "ifset" does not): what a set-var whose condition failed
  // leaves behind in HAProxy.
  void declare(uint32_t id);
  bool exists(uint32_t id) const { return find(id) != nullptr; }
  void clear();
  size_t size() const { return n_ + overflow_.size(); }

 private:
  struct Entry {
    uint32_t id;
    Sample value;
    bool set;
  };
  static constexpr size_t kInlineVars = 8;
  static constexpr size_t kInlineBytes = 512;

  Entry* find(uint32_t id);
  const Entry* find(uint32_t id) const;
  std::string_view keep(std::string_view bytes);

  Entry inline_[kInlineVars];
  size_t n_ = 0;
  std::vector<Entry> overflow_;
  char bytes_[kInlineBytes];
  size_t used_ = 0;
  std::vector<std::unique_ptr<char[]>> big_;  // bytes that did not fit inline
};

// The conditions of set-var(name,cond...): ifexists, ifnotexists, ifempty,
// ifnotempty, ifset, ifnotset, ifgt, iflt, as bits.
enum VarCond : uint16_t {
  kVarIfExists = 1 << 0,
  kVarIfNotExists = 1 << 1,
  kVarIfEmpty = 1 << 2,
  kVarIfNotEmpty = 1 << 3,
  kVarIfSet = 1 << 4,
  kVarIfNotSet = 1 << 5,
  kVarIfGt = 1 << 6,
  kVarIfLt = 1 << 7,
};
// Returns: false with *err if `name` is not a condition; else adds its bit.
bool parse_var_cond(std::string_view name, uint16_t* conds, std::string* err);
// Returns: true if every condition holds for setting a variable to `input`;
// `exists` and `cur` (its value, nullptr if not set) describe the variable.
bool var_conds_hold(uint16_t conds, bool exists, const Sample* cur, const Sample& input);
// The same for `id` in `store`.
bool var_conds_hold(uint16_t conds, const VarStore& store, uint32_t id, const Sample& input);
// set-var's effect, action or converter: stores `input` if the conditions
// hold; else leaves a new variable declared (unless ifexists failed).
// Returns: whether it was stored.
bool set_var_if(VarStore& store, uint32_t id, uint16_t conds, const Sample& input);

}  // namespace hearth::expr
