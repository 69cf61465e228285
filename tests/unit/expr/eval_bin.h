#pragma once
// For converter tests on binary input: evaluates "bin(HEX),CONVERTERS" with
// no stream behind it.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "expr/sample_expr.h"
#include "unit/expr/fake_context.h"

namespace hearth::expr::testing {

// Returns: the result as text ("true"/"false" for a boolean, else the
// bytes), or nullopt if there is no sample; a chain that does not load
// fails the test.
inline std::optional<std::string> eval_bin_hex(const std::string& hex, const std::string& convs) {
  FakeContext ctx;
  std::string err;
  auto e = parse_sample_expr("bin(" + hex + ")," + convs, kUseAny, &err);
  EXPECT_NE(e, nullptr) << convs << ": " << err;
  if (!e) return std::nullopt;
  Sample s;
  if (!eval_sample_expr(*e, ctx, s)) return std::nullopt;
  if (s.type == SmpType::kBool) return s.sint ? "true" : "false";
  return std::string(s.str);
}

}  // namespace hearth::expr::testing
