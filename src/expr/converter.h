#pragma once
// Converters (HAProxy manual 7.3.1): transformations applied after a fetch,
// each with its argument types and input and output types. Results that are
// new bytes go to the thread's scratch chunks (sample.h); nothing allocates.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "expr/arg.h"
#include "expr/fetch.h"
#include "expr/sample.h"

namespace hearth::expr {

struct ConvDef {
  std::string_view name;
  ArgSpec args;
  SmpType in;
  SmpType out;
  // Returns: false if the sample cannot be converted (the expression then
  // has no sample).
  // `ctx` serves the converters that read or set variables.
  bool (*fn)(const Arg* args, size_t nargs, Sample& smp, FetchContext& ctx);
  // Optional check of the typed arguments at load time (may rework them,
  // e.g. load a map file).
  bool (*check)(const ConvDef& def, std::vector<Arg>& args, std::string* err) = nullptr;
  // For map converters: the keys' match method (a MatchMethod) and whether
  // values take back-references (map_regm).
  uint8_t map_match = 0;
  bool map_regm = false;
};

// Returns: the converter called `name`, or nullptr.
const ConvDef* find_converter(std::string_view name);
// The map converters: map, map_<match>, map_<match>_<output>
// (map_converters.cc). Returns: nullptr if `name` is none of them.
const ConvDef* find_map_converter(std::string_view name);
// Hashes, encodings, dates, variables and the rest (converters_more.cc).
// Returns: nullptr if `name` is none of them.
const ConvDef* find_more_converter(std::string_view name);

}  // namespace hearth::expr
