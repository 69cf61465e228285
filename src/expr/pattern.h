#pragma once
// ACL patterns and the matching methods of HAProxy manual 7.1: found, bool,
// int, ip, bin, len, str, sub, reg, beg, end, dir, dom. Patterns are parsed
// once, by the method's rules; exact strings sit in a hash set.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "expr/regex.h"
#include "expr/sample.h"

namespace hearth::expr {

enum class MatchMethod : uint8_t {
  kFound,
  kBool,
  kInt,
  kIp,
  kBin,
  kLen,
  kStr,
  kSub,
  kReg,
  kBeg,
  kEnd,
  kDir,
  kDom,
};

// Returns: the method called `name` ("str", "beg", ...), or nullopt.
std::optional<MatchMethod> match_method_of(std::string_view name);
// Returns: the method an ACL uses by default on a sample of type `t`, or
// nullopt when "-m" is required (binary samples).
std::optional<MatchMethod> default_match(SmpType t);
const char* match_method_name(MatchMethod m);

// Integer comparison operators (eq, ge, gt, le, lt) before integer patterns.
enum class IntOp : uint8_t { kEq, kGe, kGt, kLe, kLt };

class PatternSet {
 public:
  explicit PatternSet(MatchMethod m) : method_(m) {}

  MatchMethod method() const { return method_; }
  // Adds one pattern as written. `icase` matches letters in any case.
  // Returns: false with *err if the pattern is not valid for the method.
  bool add(std::string_view text, bool icase, IntOp op, std::string* err);
  size_t size() const { return count_; }

  // Returns: true if `s` (a sample that exists) matches a pattern.
  bool match(Sample s) const { return find(std::move(s)) >= 0; }
  // Returns: the position (in the order added) of the pattern `s` matches,
  // or -1: the first match, except for exact strings and networks, where
  // the finest (the longest prefix) wins, as in HAProxy's trees. With
  // `groups` (kReg), the captures of that match (Regex::kMaxGroups views).
  int find(Sample s, std::string_view* groups = nullptr) const;

 private:
  struct Range {
    int64_t lo, hi;
    int index;
  };
  struct Net {
    bool v6;
    unsigned char addr[16];
    unsigned char mask[16];
    int bits;  // prefix length
    int index;
  };
  struct Text {
    std::string s;
    bool icase;
    int index;
  };
  struct Re {
    std::shared_ptr<const Regex> re;
    int index;
  };
  int find_int(int64_t v) const;
  int find_ip(const Sample& s) const;
  int find_text(std::string_view v, std::string_view* groups) const;
  bool match_one(std::string_view v, const Text& t) const;

  MatchMethod method_;
  size_t count_ = 0;
  std::vector<Range> ranges_;
  std::vector<Net> nets_;
  std::vector<Text> texts_;  // all string methods but exact
  std::vector<Re> regexes_;
  std::unordered_map<std::string, int> exact_;        // kStr, case-sensitive
  std::unordered_map<std::string, int> exact_lower_;  // kStr with -i, lower-cased
};

}  // namespace hearth::expr
