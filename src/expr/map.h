#pragma once
// Map files (HAProxy manual 7.3.1, "map"): one key and one value a line,
// the key matched by one of the ACL methods, the value typed as the
// converter's output. A file is one pattern reference (pattern_ref.h),
// shared by every converter and rule that names it and changed at run time
// by the runtime API and the set-map/del-map actions.
#include <memory>
#include <string>
#include <vector>

#include "expr/acl.h"
#include "expr/pattern.h"
#include "expr/pattern_ref.h"

namespace hearth::expr {

class Map {
 public:
  // Loads `path` through `files` (read once per process, then shared).
  // `out` is kStr, kSint or kAddr; `regm` makes values expand \N
  // back-references to the key's captures. Records the configuration line
  // as a user of the file.
  // Returns: the map, or nullptr with *err (file and line of a bad entry).
  static std::shared_ptr<const Map> load(const std::string& path, MatchMethod m, SmpType out,
                                         bool regm, PatternSource& files, std::string* err);

  // Returns: true and the value for `key` in *out (its bytes in a scratch
  // chunk), or false if no key matches.
  bool lookup(const Sample& key, Sample* out) const { return use_.expr->lookup(key, out); }
  SmpType out() const { return use_.expr->kind().out; }
  const PatUse& use() const { return use_; }

  // Parses `text` as a value of type `out` into *s (kept views point into
  // `text`). Returns: false if it is not one.
  static bool typed_value(const std::string& text, SmpType out, Sample* s);

  // Splits the lines of a map file into entries: the key up to the first
  // blank, the value after the blanks that follow, less trailing blanks.
  static std::vector<PatEntry> entries_of(const std::vector<std::string>& lines);

 private:
  explicit Map(PatUse u) : use_(std::move(u)) {}
  PatUse use_;
};

}  // namespace hearth::expr
