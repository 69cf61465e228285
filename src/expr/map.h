#pragma once
// Map files (HAProxy manual 7.3.1, "map"): one key and one value a line,
// the key matched by one of the ACL methods, the value typed as the
// converter's output. A file is loaded once per (path, method, output) and
// shared by every converter that names it.
#include <memory>
#include <string>
#include <vector>

#include "expr/acl.h"
#include "expr/pattern.h"

namespace hearth::expr {

class Map {
 public:
  // Loads `path` through `files`. `out` is kStr, kSint or kAddr; `regm`
  // makes values expand \N back-references to the key's captures.
  // Returns: the map, or nullptr with *err (file and line of a bad entry).
  static std::shared_ptr<const Map> load(const std::string& path, MatchMethod m, SmpType out,
                                         bool regm, PatternSource& files, std::string* err);

  // Returns: true and the value for `key` in *out, or false if no key matches.
  bool lookup(const Sample& key, Sample* out) const;
  size_t size() const { return values_.size(); }
  SmpType out() const { return out_; }

  // Parses `text` as a value of type `out` into *s (kept views point into
  // `text`). Returns: false if it is not one.
  static bool typed_value(const std::string& text, SmpType out, Sample* s);

 private:
  explicit Map(MatchMethod m) : keys_(m) {}

  PatternSet keys_;
  std::vector<std::string> values_;
  std::vector<Sample> typed_;
  SmpType out_ = SmpType::kStr;
  bool regm_ = false;
};

}  // namespace hearth::expr
