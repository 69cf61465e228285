#pragma once
// Arguments of fetches and converters: typed and checked when the
// configuration is read (HAProxy manual 7.3), so evaluation never parses.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "expr/regex.h"
#include "expr/table_ref.h"
#include "expr/userlist.h"
#include "expr/vars.h"

namespace hearth::expr {

enum class ArgType : uint8_t {
  kSint,   // a decimal integer
  kStr,    // any text
  kMask4,  // an IPv4 netmask: dotted (255.255.0.0) or a bit count
  kMask6,  // an IPv6 netmask: a bit count
  kRegex,  // a PCRE2 regular expression
  kVar,    // a variable name, "txn.name"
  kUsr,    // a userlist name, resolved once the configuration is read
  kTab,    // a stick table (its proxy's name), resolved once the configuration is read
};

struct Arg {
  ArgType type = ArgType::kStr;
  int64_t sint = 0;
  std::string str;
  unsigned char mask[16] = {};  // kMask4 (4 bytes), kMask6
  std::shared_ptr<const Regex> regex;
  VarName var;                                 // kVar
  std::shared_ptr<const class Map> map;        // the file of a map converter
  std::shared_ptr<UserlistRef> userlist;       // kUsr
  std::shared_ptr<TableRef> table;             // kTab
  std::shared_ptr<const class JsonPath> json;  // json_query's path, compiled
};

// What a keyword accepts: between `min` and the number of `types` arguments.
struct ArgSpec {
  uint8_t min = 0;
  std::vector<ArgType> types;
};

// Splits "a,b,c" (the text between the parentheses) into arguments as
// HAProxy's make_arg_list() does: commas separate, single or double quotes
// group text (quotes removed). Out of single quotes, a backslash escapes a
// backslash, a space or a quote, makes \r \n \t control bytes, and stays as
// it is before anything else ("\2" reaches regsub); in single quotes it is
// an ordinary byte.
// Returns: false with *err if a quote is not closed.
bool split_args(std::string_view text, std::vector<std::string>* out, std::string* err);

// Types `raw` as `spec` says. `what` names the keyword in errors, as in
// "fetch method 'hdr'". Returns: false with *err on a count or type mismatch.
bool make_args(const std::vector<std::string>& raw, const ArgSpec& spec, const std::string& what,
               std::vector<Arg>* out, std::string* err);

}  // namespace hearth::expr
