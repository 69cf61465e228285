#pragma once
// Regular expressions for rules and, later, ACL matchers: PCRE2 (the library
// HAProxy's Debian package uses), compiled once at configuration load and
// matched without allocating. Pure code.
#include <memory>
#include <string>
#include <string_view>

namespace hearth::expr {

class Regex {
 public:
  static constexpr int kMaxGroups = 10;  // \0 (the whole match) to \9

  // Returns: the compiled pattern (matching letters in any case if `icase`),
  // or nullptr with *error saying why (and where in the pattern).
  static std::shared_ptr<const Regex> compile(std::string_view pattern, std::string* error,
                                              bool icase = false);
  // Returns: true if the pattern occurs in `subject`, captures not wanted.
  bool matches(std::string_view subject) const;
  ~Regex();
  Regex(const Regex&) = delete;
  Regex& operator=(const Regex&) = delete;

  // Searches `subject` for the pattern (not anchored unless the pattern is).
  // `not_bol`: the subject does not start a line, so '^' does not match at its
  // start (regsub's later rounds, as HAProxy's REG_NOTBOL).
  // Returns: true on a match; groups[0..kMaxGroups) then hold the whole match
  // and the captures (empty views for groups that did not take part).
  bool search(std::string_view subject, std::string_view* groups, bool not_bol = false) const;
  const std::string& pattern() const { return pattern_; }

 private:
  Regex(void* code, std::string pattern) : code_(code), pattern_(std::move(pattern)) {}
  void* code_;  // pcre2_code_8
  std::string pattern_;
};

// Appends to *out the expansion of a replacement format: "\N" (N a digit) is
// capture N, "\xHH" the byte HH, "\C" for any other C is C itself; the rest is
// copied as is.
void expand_replacement(std::string_view fmt, const std::string_view* groups, std::string* out);

}  // namespace hearth::expr
