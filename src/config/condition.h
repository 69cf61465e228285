#pragma once
// The condition language of `.if`/`.elif` and of `hearth -cc`, as HAProxy 2.6
// defines it:
//   expr   := and ( "||" and )*
//   and    := term ( "&&" term )*
//   term   := "!" term | "(" expr ")" | NUMBER | PREDICATE "(" ARGS ")"
// A NUMBER is read like strtol(..., 0) (so 0x10 and 010 are numbers) and is
// true when non-zero; an empty condition is false. Predicate arguments are
// the raw text between commas (no quoting, blanks kept):
//   defined(VAR)                 VAR is set in the environment
//   feature(NAME)                NAME is '+' in `-vv`'s feature list
//   streq(A,B) / strneq(A,B)     A and B are equal / differ
//   version_atleast(V) / version_before(V)
//                                against the HAProxy version Hearth follows
//   openssl_version_atleast(V) / openssl_version_before(V)
//                                against the libcrypto in use
//   ssllib_name_startswith(S)    the crypto library's name starts with S
// Versions are compared component by component ("2.6.1" > "2.6"), with
// "-devN" < "-preN" < "-rcN" < the release; an unreadable version counts as 0.
#include <string>
#include <string_view>

#include "config/lexer.h"

namespace hearth::config {

struct CondError {
  std::string message;  // what is wrong, quoting the text concerned
  size_t pos = 0;       // offset in the condition where the problem was seen
};

enum class CondValue { kFalse, kTrue, kError };

// Returns: the value of `text`, or kError with *err filled.
CondValue eval_condition(std::string_view text, const EnvLookup& env, CondError* err);

// Returns: <0, 0 or >0 as version `a` is before, equal to or after `b`.
int compare_versions(std::string_view a, std::string_view b);

}  // namespace hearth::config
