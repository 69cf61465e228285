#pragma once
// ACLs (HAProxy manual 7.1): "acl NAME CRITERION [FLAGS] [OPERATOR] [VALUE]...".
// An ACL is one or more tests, OR'ed; each test is a sample expression and a
// pattern set. Built once when the configuration is read.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "expr/pattern.h"
#include "expr/pattern_ref.h"
#include "expr/sample_expr.h"

namespace hearth::expr {

struct AclTest {
  std::unique_ptr<SampleExpr> expr;
  MatchMethod method = MatchMethod::kFound;
  // The pattern references it reads: each "-f FILE" (shared with every other
  // user of the file), then its own inline patterns (a ref of its own, as
  // HAProxy's, so the runtime API can change them too).
  std::vector<PatUse> sets;
  // Returns: true if `s` matches a pattern of any set.
  bool match(const Sample& s) const;
  // http_auth_group(USERLIST) GROUP...: the patterns are group names, and
  // the test holds when the authenticated user belongs to one of them.
  bool auth_groups = false;
};

class Acl {
 public:
  explicit Acl(std::string name) : name_(std::move(name)) {}
  const std::string& name() const { return name_; }
  // Where its fetches have data (FetchUse bits, united over tests: HAProxy
  // accepts an ACL where at least one of its tests may match).
  uint8_t use() const { return use_; }
  void add(AclTest t);
  // Returns: true if any test matches; a multi-valued fetch (hdr) tries
  // each of its values.
  bool eval(FetchContext& ctx) const;

 private:
  std::string name_;
  std::vector<AclTest> tests_;
  uint8_t use_ = 0;
};

// Reads pattern files (-f): one pattern a line, leading blanks stripped;
// empty lines and lines starting with '#' skipped (" #x" is the pattern "#x",
// as the manual says). Tests give their own.
class PatternSource {
 public:
  virtual ~PatternSource() = default;
  // Returns: false with *err if the file cannot be read.
  virtual bool read_lines(const std::string& path, std::vector<std::string>* lines,
                          std::string* err) = 0;
};
PatternSource& file_patterns();

// Parses the words of an ACL test (criterion, flags, operator, values).
// Returns: false with *err; *warning is set (and the test kept) when nothing
// follows a non-boolean criterion, so it can never match.
bool parse_acl_test(const std::vector<std::string>& words, PatternSource& files, AclTest* out,
                    std::string* err, std::string* warning);

// ACL names: letters, digits, '-', '_', '.', ':'.
bool valid_acl_name(std::string_view name);

}  // namespace hearth::expr
