#pragma once
// Variables of scope proc: one store for the whole process, read and written
// by every worker thread, by the global section's set-var lines at load time
// and by the runtime API ("get var", "set var"). A mutex guards it: proc
// variables are rare next to the per-transaction scopes, which stay lock-free
// in their own VarStore. A value is copied out under the lock, so a reader
// never views bytes another thread may be replacing.
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "expr/sample.h"

namespace hearth::expr {

class ProcVars {
 public:
  static ProcVars& instance();

  // Returns: false if `id` is not set; else its value in *out, the bytes of a
  // string or binary copied into one of this thread's chunks (next_chunk()).
  bool get(uint32_t id, Sample* out) const;
  // set-var's effect with conditions (vars.h set_var_if).
  // Returns: whether the value was stored.
  bool set_if(uint32_t id, uint16_t conds, const Sample& in);
  void unset(uint32_t id);
  // Creates `id` without a value unless it exists.
  void declare(uint32_t id);
  // Forgets every variable (a new configuration, tests).
  void clear();

 private:
  struct Entry {
    Sample value;       // str views `bytes`
    std::string bytes;  // owned copy of a string, binary or method name
    bool set = false;
  };
  mutable std::mutex mu_;
  std::unordered_map<uint32_t, Entry> vars_;
};

}  // namespace hearth::expr
