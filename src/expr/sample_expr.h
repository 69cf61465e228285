#pragma once
// Sample expressions: a fetch and a chain of converters, "hdr(host),lower",
// compiled once when the configuration is read (types checked along the
// chain with HAProxy's casts) and evaluated per request without parsing.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "expr/arg.h"
#include "expr/converter.h"
#include "expr/fetch.h"

namespace hearth::expr {

struct ConvCall {
  const ConvDef* def;
  std::vector<Arg> args;
};

struct SampleExpr {
  const FetchDef* fetch = nullptr;
  std::vector<Arg> args;
  std::vector<ConvCall> convs;
  std::string text;  // as written, for messages

  // Returns: the type the expression yields.
  SmpType out_type() const { return convs.empty() ? fetch->out : convs.back().def->out; }
};

// Parses "fetch[(args)][,conv[(args)]]...". `fetch_name` may replace the
// fetch's name as written (an ACL derivative such as path_beg stands for
// path). `use` is where it will run (FetchUse bits): a fetch that reads
// something not available there is refused, as HAProxy does.
// With `end`, parsing stops at the first byte after a complete fetch or
// converter that is not ',' (the ']' closing "%[...]"), and *end is its
// position; without, the whole text must be the expression.
// Returns: the expression, or nullptr with *err.
std::unique_ptr<SampleExpr> parse_sample_expr(std::string_view text, uint8_t use, std::string* err,
                                              size_t* end = nullptr);

// Evaluates `e`: the fetch (through ctx unless it needs no stream), then
// each converter after casting its input. `it` carries a multi-valued
// fetch's position (see FetchIter). Returns: false if there is no sample.
bool eval_sample_expr(const SampleExpr& e, FetchContext& ctx, FetchIter& it, Sample& out);
// The same with a single value (the last occurrence of a header, ...).
bool eval_sample_expr(const SampleExpr& e, FetchContext& ctx, Sample& out);

}  // namespace hearth::expr
