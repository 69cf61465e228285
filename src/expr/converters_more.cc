// Converters beyond the basic ones (HAProxy manual 7.3.1): this file holds
// those that read or set variables, iif(), and nbsrv / srv_queue (which ask
// the stream, through the fetches of the same names); the hashes, encodings and dates
// live in converters_hash.cc, converters_text.cc and converters_time.cc.
#include "expr/converters_more.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <cstring>

#include "expr/var_access.h"

namespace hearth::expr {
namespace {

using A = ArgType;
using T = SmpType;

// Appends `s` to the chunk `c` at *o, truncating at `cap` bytes.
void append(Chunk c, size_t cap, size_t* o, std::string_view s) {
  const size_t n = std::min(s.size(), cap - *o);
  if (n) std::memcpy(c.data + *o, s.data(), n);
  *o += n;
}

// iif(true,false): the input is a boolean.
bool conv_iif(const Arg* a, size_t, Sample& smp, FetchContext&) {
  smp.set_str(smp.sint ? a[0].str : a[1].str);
  return true;
}

// concat([start],[var],[end]): the variable, as a string, only if it is set
// and casts; HAProxy truncates the result to its buffer size less one.
bool conv_concat(const Arg* a, size_t n, Sample& smp, FetchContext& ctx) {
  Sample v;
  const bool have = n > 1 && a[1].type == A::kVar && var_arg(a[1], ctx, T::kStr, &v);
  Chunk c = next_chunk();
  const size_t cap = c.size - 1;
  size_t o = 0;
  append(c, cap, &o, smp.str);
  if (n > 0) append(c, cap, &o, a[0].str);
  if (have) append(c, cap, &o, v.str);
  if (n > 2) append(c, cap, &o, a[2].str);
  smp.set_str(std::string_view(c.data, o));
  return true;
}

// concat() and add_item(): a non-empty second argument must name a variable.
bool check_concat(const ConvDef&, std::vector<Arg>& args, std::string* err) {
  if (args.size() < 2 || args[1].str.empty()) return true;
  std::string why;
  if (to_var_arg(args[1], &why)) return true;
  *err = "failed to register variable name '" + args[1].str + "': " + why;
  return false;
}

// add_item(delim,[var][,suffix]): the delimiter goes only after a non-empty
// input, and only if something non-empty follows it.
bool conv_add_item(const Arg* a, size_t n, Sample& smp, FetchContext& ctx) {
  Sample v;
  const bool have = a[1].type == A::kVar && var_arg(a[1], ctx, T::kStr, &v);
  const std::string_view suffix = n > 2 ? std::string_view(a[2].str) : std::string_view();
  Chunk c = next_chunk();
  const size_t cap = c.size - 1;
  size_t o = 0;
  append(c, cap, &o, smp.str);
  if (!smp.str.empty() && ((have && !v.str.empty()) || !suffix.empty()))
    append(c, cap, &o, a[0].str);
  if (have) append(c, cap, &o, v.str);
  append(c, cap, &o, suffix);
  smp.set_str(std::string_view(c.data, o));
  return true;
}

bool check_add_item(const ConvDef& def, std::vector<Arg>& args, std::string* err) {
  if (!check_concat(def, args, err)) return false;
  if (args[1].str.empty() && (args.size() < 3 || args[2].str.empty())) {
    *err = "one of the optional arguments has to be nonempty";
    return false;
  }
  return true;
}

// strcmp(var): strncmp(3) over the shorter length (the difference of the
// first differing bytes, 0 at a common NUL), then the shorter string is less.
bool conv_strcmp(const Arg* a, size_t, Sample& smp, FetchContext& ctx) {
  Sample v;
  if (!var_arg(a[0], ctx, T::kStr, &v)) return false;
  const std::string_view l = smp.str, r = v.str;
  const size_t max = std::min(l.size(), r.size());
  int result = 0;
  for (size_t i = 0; i < max && result == 0; ++i) {
    result = int(static_cast<unsigned char>(l[i])) - int(static_cast<unsigned char>(r[i]));
    if (l[i] == '\0') break;
  }
  if (result == 0 && l.size() != r.size()) result = l.size() < r.size() ? -1 : 1;
  smp.set_sint(result);
  return true;
}

// secure_memcmp(var): constant time when the lengths are equal.
bool conv_secure_memcmp(const Arg* a, size_t, Sample& smp, FetchContext& ctx) {
  Sample v;
  if (!var_arg(a[0], ctx, T::kBin, &v)) return false;
  const bool same = smp.str.size() == v.str.size() &&
                    CRYPTO_memcmp(smp.str.data(), v.str.data(), smp.str.size()) == 0;
  smp.set_bool(same);
  return true;
}

// set-var(var[,cond...]): stores the input and passes it on if the conditions
// hold; else the converter fails (HAProxy's var_set() returns 0). As HAProxy,
// a failed condition other than ifexists still leaves a new variable declared
// (existing but not set).
bool conv_set_var(const Arg* a, size_t, Sample& smp, FetchContext& ctx) {
  return write_var(ctx, a[0].var, uint16_t(a[0].sint), smp);
}

// The conditions (at most four) are kept as VarCond bits in args[0].sint.
bool check_set_var(const ConvDef&, std::vector<Arg>& args, std::string* err) {
  uint16_t conds = 0;
  for (size_t i = 1; i < args.size(); ++i)
    if (!parse_var_cond(args[i].str, &conds, err)) return false;
  args[0].sint = conds;
  declare_set_var_target(args[0].var);
  return true;
}

// unset-var(var): passes the input on.
bool conv_unset_var(const Arg* a, size_t, Sample&, FetchContext& ctx) {
  return erase_var(ctx, a[0].var);
}

// nbsrv: the input names a backend; srv_queue: "backend/server". Both are
// answered by the fetch of the same name, given the input as its argument.
bool conv_proxy_state(const Arg*, size_t, Sample& smp, FetchContext& ctx, const char* fetch,
                      bool server) {
  static thread_local Arg arg;
  arg.type = A::kStr;
  arg.str.assign(smp.str);
  if (server) {
    const size_t slash = arg.str.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == arg.str.size()) return false;
    arg.sint = int64_t(slash);
  }
  const FetchDef* def = find_fetch(fetch);
  FetchIter it;
  return def && ctx.fetch(*def, &arg, 1, it, smp);
}

bool conv_nbsrv(const Arg* a, size_t n, Sample& smp, FetchContext& ctx) {
  return conv_proxy_state(a, n, smp, ctx, "nbsrv", false);
}

bool conv_srv_queue(const Arg* a, size_t n, Sample& smp, FetchContext& ctx) {
  return conv_proxy_state(a, n, smp, ctx, "srv_queue", true);
}

const ConvDef kConverters[] = {
    {"iif", {2, {A::kStr, A::kStr}}, T::kBool, T::kStr, conv_iif},
    {"concat", {0, {A::kStr, A::kStr, A::kStr}}, T::kStr, T::kStr, conv_concat, check_concat},
    {"add_item", {2, {A::kStr, A::kStr, A::kStr}}, T::kStr, T::kStr, conv_add_item, check_add_item},
    {"strcmp", {1, {A::kVar}}, T::kStr, T::kSint, conv_strcmp},
    {"secure_memcmp", {1, {A::kVar}}, T::kBin, T::kBool, conv_secure_memcmp},
    {"set-var",
     {1, {A::kVar, A::kStr, A::kStr, A::kStr, A::kStr}},
     T::kAny,
     T::kAny,
     conv_set_var,
     check_set_var},
    {"unset-var", {1, {A::kVar}}, T::kAny, T::kAny, conv_unset_var},
    {"nbsrv", {0, {}}, T::kStr, T::kSint, conv_nbsrv},
    {"srv_queue", {0, {}}, T::kStr, T::kSint, conv_srv_queue},
};

}  // namespace

bool to_var_arg(Arg& a, std::string* err) {
  if (!parse_var_name(a.str, &a.var, err)) return false;
  a.type = A::kVar;
  return true;
}

bool var_arg(const Arg& a, FetchContext& ctx, SmpType to, Sample* out) {
  return read_var(ctx, a.var, out) && cast(*out, to);
}

bool read_int64(std::string_view s, int64_t* out) {
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    const uint64_t d = uint64_t(c - '0');
    v = v > (UINT64_MAX - d) / 10 ? UINT64_MAX : v * 10 + d;
  }
  constexpr uint64_t kMin = uint64_t(INT64_MAX) + 1;
  if (neg)
    *out = v >= kMin ? INT64_MIN : -int64_t(v);
  else
    *out = v > uint64_t(INT64_MAX) ? INT64_MAX : int64_t(v);
  return true;
}

const ConvDef* find_more_converter(std::string_view name) {
  for (const ConvDef& c : kConverters)
    if (c.name == name) return &c;
  if (const ConvDef* c = find_hash_converter(name)) return c;
  if (const ConvDef* c = find_text_converter(name)) return c;
  if (const ConvDef* c = find_fix_converter(name)) return c;
  if (const ConvDef* c = find_json_converter(name)) return c;
  if (const ConvDef* c = find_mqtt_converter(name)) return c;
  if (const ConvDef* c = find_jwt_converter(name)) return c;
  if (const ConvDef* c = find_aead_converter(name)) return c;
  if (const ConvDef* c = find_stream_converter(name)) return c;
  if (const ConvDef* c = find_language_converter(name)) return c;
  if (const ConvDef* c = find_protobuf_converter(name)) return c;
  return find_time_converter(name);
}

}  // namespace hearth::expr
