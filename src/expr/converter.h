#pragma once
// Converters (HAProxy manual 7.3.1): transformations applied after a fetch,
// each with its argument types and input and output types. Results that are
// new bytes go to the thread's scratch chunks (sample.h); nothing allocates.
#include <string>
#include <string_view>
#include <vector>

#include "expr/arg.h"
#include "expr/sample.h"

namespace hearth::expr {

struct ConvDef {
  std::string_view name;
  ArgSpec args;
  SmpType in;
  SmpType out;
  // Returns: false if the sample cannot be converted (the expression then
  // has no sample).
  bool (*fn)(const Arg* args, size_t nargs, Sample& smp);
  // Optional check of the typed arguments at load time (may rework them).
  bool (*check)(std::vector<Arg>& args, std::string* err) = nullptr;
};

// Returns: the converter called `name`, or nullptr.
const ConvDef* find_converter(std::string_view name);

}  // namespace hearth::expr
