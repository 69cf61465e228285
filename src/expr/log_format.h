#pragma once
// Log-format strings (HAProxy manual 8.2.4). Two uses:
// - rule values (parse/eval): text, "%%" for a percent sign, "%[expr]" sample
//   expressions and every %-variable, printed from the transaction's state
//   when the rule runs (FetchContext::log_record()); a missing sample
//   contributes nothing;
// - access-log lines (parse_log/render): every %-variable of log_vars.h, the
//   +Q/+X/+E flags and %{..}o, spaces merged into one separator, a missing
//   sample printed "-".
// Compiled once at load; evaluated into a thread-local or caller's buffer.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "expr/log_record.h"
#include "expr/log_vars.h"
#include "expr/sample_expr.h"

namespace hearth::expr {

class LogFormat {
 public:
  struct Node {
    std::string text;                  // literal text, when expr is null
    std::unique_ptr<SampleExpr> expr;  // a sample to print
    std::string prefix;                // printed before the sample (%HV's "HTTP/")
    LogVar var = LogVar::kNone;        // a %-variable, rendered from a LogRecord
    uint8_t opts = 0;                  // kLogQuote | kLogHex | kLogEsc
    bool sep = false;                  // a run of spaces (parse_log only)
  };

  const std::string& source() const { return source_; }
  // Where its fetches read (FetchUse bits, union over the expressions).
  uint8_t use() const { return use_; }

  // Parses `s`. `use` is where it will be evaluated. Returns: the format, or
  // nullptr with *err naming the problem.
  static std::unique_ptr<LogFormat> parse(std::string_view s, uint8_t use, std::string* err);

  // Parses an access-log format (log-format, log-format-sd,
  // unique-id-format). Returns: the format, or nullptr with *err set.
  static std::unique_ptr<LogFormat> parse_log(std::string_view s, uint8_t use, std::string* err);

  // Returns: the formatted text, valid until the thread's next eval.
  std::string_view eval(FetchContext& ctx) const;

  // Appends the access-log text for `rec` to *out; `ctx` (may be null: no
  // sample) answers the %[expr] nodes.
  void render(FetchContext* ctx, const LogRecord& rec, std::string* out) const;

  // What rendering needs (parse_log only).
  bool uses(LogVar v) const;
  bool uses_request_line() const { return request_line_; }
  // The name of the first variable only an HTTP transaction has, or empty.
  std::string_view http_var() const { return http_var_; }
  bool empty() const { return nodes_.empty(); }

 private:
  std::string source_;
  std::vector<Node> nodes_;
  uint8_t use_ = 0;
  bool request_line_ = false;
  std::string http_var_;

  static std::unique_ptr<LogFormat> parse_any(std::string_view s, uint8_t use, bool log,
                                              std::string* err);
};

// Appends the printed form of `s` to *out (integers in decimal, addresses
// dotted or in IPv6 text, strings as they are, booleans as 0/1).
void print_sample(const Sample& s, std::string* out);

}  // namespace hearth::expr
