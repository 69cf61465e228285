#pragma once
// Log-format strings (HAProxy manual 8.2.4) as rule values use them: text,
// "%%" for a percent sign, "%[expr]" sample expressions and the %-variables
// that name a fetch (%ci, %b, %HM, ...). Compiled once; evaluated into a
// thread-local buffer. A missing sample contributes nothing, as in HAProxy's
// header values.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "expr/sample_expr.h"

namespace hearth::expr {

class LogFormat {
 public:
  struct Node {
    std::string text;                  // literal text, when expr is null
    std::unique_ptr<SampleExpr> expr;  // a sample to print
    std::string prefix;                // printed before the sample (%HV's "HTTP/")
  };

  // Returns: true if the format has no expression (its text is fixed).
  bool literal() const { return nodes_.size() <= 1 && (nodes_.empty() || !nodes_[0].expr); }
  const std::string& source() const { return source_; }
  // Where its fetches read (FetchUse bits, union over the expressions).
  uint8_t use() const { return use_; }

  // Parses `s`. `use` is where it will be evaluated. Returns: the format, or
  // nullptr with *err naming the problem.
  static std::unique_ptr<LogFormat> parse(std::string_view s, uint8_t use, std::string* err);

  // Returns: the formatted text, valid until the thread's next eval.
  std::string_view eval(FetchContext& ctx) const;

 private:
  std::string source_;
  std::vector<Node> nodes_;
  uint8_t use_ = 0;
};

// Appends the printed form of `s` to *out (integers in decimal, addresses
// dotted or in IPv6 text, strings as they are, booleans as 0/1).
void print_sample(const Sample& s, std::string* out);

}  // namespace hearth::expr
