#pragma once
// ACL patterns and the matching methods of HAProxy manual 7.1: found, bool,
// int, ip, bin, len, str, sub, reg, beg, end, dir, dom. Patterns are parsed
// once, by the method's rules, into the indexes of pattern_index.h (str, bin,
// beg, end, dir, dom, ip), so large pattern files do not cost a scan per
// lookup; int, len, sub and reg keep a list, as in HAProxy.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "expr/pattern_index.h"
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

// Returns: true if `a` and `b` are equal, ASCII letters in any case.
bool iequal(std::string_view a, std::string_view b);

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
  // `text_outlives`: the bytes of `text` live longer than the set, which
  // then indexes them without a copy (a pattern reference's entries).
  // Returns: false with *err if the pattern is not valid for the method.
  bool add(std::string_view text, bool icase, IntOp op, std::string* err,
           bool text_outlives = false);
  size_t size() const { return count_; }

  // Returns: true if `s` (a sample that exists) matches a pattern.
  bool match(Sample s) const { return find(std::move(s)) >= 0; }
  // Returns: the position (in the order added) of the pattern `s` matches,
  // or -1: the first match, except for prefixes and networks, where the
  // longest wins (the first of equally long ones), as in HAProxy's trees. With
  // `groups` (kReg), the captures of that match (Regex::kMaxGroups views).
  int find(Sample s, std::string_view* groups = nullptr) const;

 private:
  struct Range {
    int64_t lo, hi;
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
  bool add_ip(std::string_view text, std::string* err);

  MatchMethod method_;
  size_t count_ = 0;
  std::vector<Range> ranges_;
  std::vector<Text> texts_;  // kSub
  std::vector<Re> regexes_;
  KeyTable exact_;  // kStr, kBin
  AffixIndex prefixes_{false};
  AffixIndex suffixes_{true};
  DelimIndex dirs_{false};
  DelimIndex domains_{true};
  NetIndex nets_;
};

}  // namespace hearth::expr
