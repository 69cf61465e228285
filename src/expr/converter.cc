#include "expr/converter.h"

#include <cstdint>
#include <cstring>

#include "expr/converters_more.h"

namespace hearth::expr {
namespace {

using A = ArgType;
using T = SmpType;

// A chunk holding a copy of s, for converters that edit in place.
bool copy_to_chunk(Sample& smp, char** out) {
  Chunk c = next_chunk();
  if (smp.str.size() > c.size) return false;
  if (!smp.str.empty()) std::memcpy(c.data, smp.str.data(), smp.str.size());
  *out = c.data;
  smp.str = std::string_view(c.data, smp.str.size());
  return true;
}

bool conv_lower(const Arg*, size_t, Sample& smp, FetchContext&) {
  char* d;
  if (!copy_to_chunk(smp, &d)) return false;
  for (size_t i = 0; i < smp.str.size(); ++i)
    if (d[i] >= 'A' && d[i] <= 'Z') d[i] = char(d[i] + 32);
  return true;
}

bool conv_upper(const Arg*, size_t, Sample& smp, FetchContext&) {
  char* d;
  if (!copy_to_chunk(smp, &d)) return false;
  for (size_t i = 0; i < smp.str.size(); ++i)
    if (d[i] >= 'a' && d[i] <= 'z') d[i] = char(d[i] - 32);
  return true;
}

bool conv_length(const Arg*, size_t, Sample& smp, FetchContext&) {
  smp.set_sint(int64_t(smp.str.size()));
  return true;
}

bool conv_bytes(const Arg* a, size_t n, Sample& smp, FetchContext&) {
  const std::string_view s = smp.str;
  const uint64_t off = uint64_t(a[0].sint);
  if (a[0].sint < 0 || off >= s.size()) {
    smp.set_bin(std::string_view());
    return true;
  }
  uint64_t len = s.size() - off;
  if (n > 1 && a[1].sint >= 0 && uint64_t(a[1].sint) < len) len = uint64_t(a[1].sint);
  smp.set_bin(s.substr(off, len));
  return true;
}

bool is_delim(char c, std::string_view delims) { return delims.find(c) != std::string_view::npos; }

// field() and word() follow HAProxy's scans exactly. field(): fields are what
// lies between any two delimiters (empty ones count); an index past the last
// field gives no sample. word(): runs of delimiters separate words, so none is
// empty; an index past the last word gives an empty string. Both take `count`
// pieces (0 or less: all the rest); when fewer remain, the result runs to the
// end of the input (positive index) or from its start (negative index),
// delimiters included.
bool conv_field(const Arg* a, size_t n, Sample& smp, FetchContext&) {
  const std::string_view s = smp.str, delims = a[1].str;
  const int64_t index = a[0].sint;
  int64_t count = n > 2 ? a[2].sint : 1;
  int64_t field = index > 0 ? 1 : -1;
  size_t start = 0, end = s.size();
  if (index > 0) {
    for (size_t i = 0; i < s.size(); ++i) {
      if (!is_delim(s[i], delims)) continue;
      if (field != index) {
        start = i + 1, ++field;
      } else if (count == 1) {
        end = i;
        break;
      } else if (count > 1) {
        --count;
      }
    }
  } else {
    for (size_t i = s.size(); i > 0; --i) {
      if (!is_delim(s[i - 1], delims)) continue;
      if (field != index) {
        end = i - 1, --field;
      } else if (count == 1) {
        start = i;
        break;
      } else if (count > 1) {
        --count;
      }
    }
  }
  if (field != index) return false;
  smp.set_str(s.substr(start, end - start));
  return true;
}

bool conv_word(const Arg* a, size_t n, Sample& smp, FetchContext&) {
  const std::string_view s = smp.str, delims = a[1].str;
  const int64_t index = a[0].sint;
  int64_t count = n > 2 ? a[2].sint : 1;
  int64_t word = 0;
  bool in_word = false;
  size_t start = 0, end = s.size();
  const bool fwd = index > 0;
  // Forward, i walks the bytes; backward, s[i - 1] is the byte looked at.
  for (size_t k = 0; k < s.size(); ++k) {
    const size_t i = fwd ? k : s.size() - k;
    const bool sep = is_delim(s[fwd ? i : i - 1], delims);
    if (!in_word) {
      if (sep) continue;
      if (word != index) {
        word += fwd ? 1 : -1;
        (fwd ? start : end) = i;
      }
      in_word = true;
    } else if (sep) {
      if (word == index) {
        if (count == 1) {
          (fwd ? end : start) = i;
          break;
        }
        if (count > 1) --count;
      }
      in_word = false;
    }
  }
  smp.set_str(word == index ? s.substr(start, end - start) : std::string_view());
  return true;
}

// field() and word(): an index of 0 and an empty delimiter list are refused
// when the configuration is read, as HAProxy does.
bool check_field(const ConvDef&, std::vector<Arg>& args, std::string* err) {
  if (args[0].sint == 0) {
    *err = "unexpected value 0 for index (fields and words count from 1 or -1)";
    return false;
  }
  if (args[1].str.empty()) {
    *err = "empty list of delimiters";
    return false;
  }
  return true;
}

bool conv_hex(const Arg*, size_t, Sample& smp, FetchContext&) {
  static const char kHex[] = "0123456789ABCDEF";
  Chunk c = next_chunk();
  if (smp.str.size() * 2 > c.size) return false;
  for (size_t i = 0; i < smp.str.size(); ++i) {
    const auto b = static_cast<unsigned char>(smp.str[i]);
    c.data[2 * i] = kHex[b >> 4];
    c.data[2 * i + 1] = kHex[b & 15];
  }
  smp.set_str(std::string_view(c.data, smp.str.size() * 2));
  return true;
}

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

bool conv_base64(const Arg*, size_t, Sample& smp, FetchContext&) {
  const std::string_view s = smp.str;
  Chunk c = next_chunk();
  const size_t need = (s.size() + 2) / 3 * 4;
  if (need > c.size) return false;
  size_t o = 0;
  for (size_t i = 0; i < s.size(); i += 3) {
    uint32_t v = uint32_t(static_cast<unsigned char>(s[i])) << 16;
    if (i + 1 < s.size()) v |= uint32_t(static_cast<unsigned char>(s[i + 1])) << 8;
    if (i + 2 < s.size()) v |= uint32_t(static_cast<unsigned char>(s[i + 2]));
    c.data[o++] = kB64[v >> 18 & 63];
    c.data[o++] = kB64[v >> 12 & 63];
    c.data[o++] = i + 1 < s.size() ? kB64[v >> 6 & 63] : '=';
    c.data[o++] = i + 2 < s.size() ? kB64[v & 63] : '=';
  }
  smp.set_str(std::string_view(c.data, o));
  return true;
}

int b64_value(char ch) {
  const char* p = std::strchr(kB64, ch);
  return ch && p ? int(p - kB64) : -1;
}

// As HAProxy's base64dec(): the length is a multiple of 4, and each group of
// 4 may end with padding after its first character ("YQ==YQ==" is "aa").
bool conv_b64dec(const Arg*, size_t, Sample& smp, FetchContext&) {
  const std::string_view s = smp.str;
  if (s.size() % 4 != 0) return false;
  Chunk c = next_chunk();
  if (s.size() / 4 * 3 > c.size) return false;
  size_t o = 0;
  for (size_t i = 0; i < s.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      const char ch = s[i + k];
      if (ch == '=' && k >= 1) {
        v[k] = 0;
        ++pad;
        continue;
      }
      if (pad || (v[k] = b64_value(ch)) < 0) return false;
    }
    const uint32_t w =
        uint32_t(v[0]) << 18 | uint32_t(v[1]) << 12 | uint32_t(v[2]) << 6 | uint32_t(v[3]);
    const char bytes[3] = {char(w >> 16), char(w >> 8), char(w)};
    for (int k = 0; k < 3 - pad; ++k) c.data[o++] = bytes[k];
  }
  smp.set_bin(std::string_view(c.data, o));
  return true;
}

// '+' is a space in a form, or anywhere after a '?'; a bad %-escape fails.
bool conv_url_dec(const Arg* a, size_t n, Sample& smp, FetchContext&) {
  const std::string_view s = smp.str;
  Chunk c = next_chunk();
  if (s.size() > c.size) return false;
  bool query = n > 0 && a[0].sint != 0;
  size_t o = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char ch = s[i];
    if (ch == '?') query = true;
    if (ch == '+' && query) {
      ch = ' ';
    } else if (ch == '%') {
      if (i + 2 >= s.size() || hex_digit(s[i + 1]) < 0 || hex_digit(s[i + 2]) < 0) return false;
      ch = char(hex_digit(s[i + 1]) * 16 + hex_digit(s[i + 2]));
      i += 2;
    }
    c.data[o++] = ch;
  }
  smp.set_str(std::string_view(c.data, o));
  return true;
}

bool conv_ltrim(const Arg* a, size_t, Sample& smp, FetchContext&) {
  size_t i = 0;
  while (i < smp.str.size() && is_delim(smp.str[i], a[0].str)) ++i;
  smp.str.remove_prefix(i);
  return true;
}

bool conv_rtrim(const Arg* a, size_t, Sample& smp, FetchContext&) {
  size_t n = smp.str.size();
  while (n > 0 && is_delim(smp.str[n - 1], a[0].str)) --n;
  smp.str = smp.str.substr(0, n);
  return true;
}

bool conv_cut_crlf(const Arg*, size_t, Sample& smp, FetchContext&) {
  smp.str = smp.str.substr(0, smp.str.find_first_of("\r\n"));
  return true;
}

// Arithmetic saturates at the int64 limits instead of overflowing, as
// HAProxy's arith_*() do: div(0) gives INT64_MAX, mod(0) gives 0.
int64_t sat_add(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) return a < 0 ? INT64_MIN : INT64_MAX;
  return r;
}

// The operand of add() .. xor(): an integer, or a variable cast to one
// (the converter fails if it is unset or does not cast).
bool operand(const Arg& a, FetchContext& ctx, int64_t* v) {
  if (a.type == A::kSint) {
    *v = a.sint;
    return true;
  }
  Sample s;
  if (!var_arg(a, ctx, T::kSint, &s)) return false;
  *v = s.sint;
  return true;
}

// As HAProxy's check_operator(): a variable name, else an integer ("" is 0).
bool check_operator(const ConvDef&, std::vector<Arg>& args, std::string* err) {
  Arg& a = args[0];
  std::string why;
  if (to_var_arg(a, &why)) return true;
  if (a.str.starts_with("proc.")) {
    *err = why;
    return false;
  }
  if (!read_int64(a.str, &a.sint)) {
    *err = "expects an integer or a variable name";
    return false;
  }
  a.type = A::kSint;
  return true;
}

bool conv_add(const Arg* a, size_t, Sample& s, FetchContext& ctx) {
  int64_t v;
  if (!operand(a[0], ctx, &v)) return false;
  s.set_sint(sat_add(s.sint, v));
  return true;
}
bool conv_sub(const Arg* a, size_t, Sample& s, FetchContext& ctx) {
  int64_t v;
  if (!operand(a[0], ctx, &v)) return false;
  // -INT64_MIN does not exist: add INT64_MAX, then one more if that did not cap.
  if (v == INT64_MIN) {
    const int64_t r = sat_add(s.sint, INT64_MAX);
    s.set_sint(r < INT64_MAX ? r + 1 : r);
  } else {
    s.set_sint(sat_add(s.sint, -v));
  }
  return true;
}
bool conv_mul(const Arg* a, size_t, Sample& s, FetchContext& ctx) {
  int64_t v, r;
  if (!operand(a[0], ctx, &v)) return false;
  if (__builtin_mul_overflow(s.sint, v, &r)) r = (s.sint < 0) == (v < 0) ? INT64_MAX : INT64_MIN;
  s.set_sint(r);
  return true;
}
bool conv_div(const Arg* a, size_t, Sample& s, FetchContext& ctx) {
  int64_t v;
  if (!operand(a[0], ctx, &v)) return false;
  if (v == 0 || (v == -1 && s.sint == INT64_MIN))
    s.set_sint(INT64_MAX);
  else
    s.set_sint(s.sint / v);
  return true;
}
bool conv_mod(const Arg* a, size_t, Sample& s, FetchContext& ctx) {
  int64_t v;
  if (!operand(a[0], ctx, &v)) return false;
  s.set_sint(v == 0 || v == -1 ? 0 : s.sint % v);
  return true;
}
bool conv_neg(const Arg*, size_t, Sample& s, FetchContext&) {
  s.set_sint(s.sint == INT64_MIN ? INT64_MAX : -s.sint);
  return true;
}
bool conv_and(const Arg* a, size_t, Sample& s, FetchContext& ctx) {
  int64_t v;
  if (!operand(a[0], ctx, &v)) return false;
  s.set_sint(s.sint & v);
  return true;
}
bool conv_or(const Arg* a, size_t, Sample& s, FetchContext& ctx) {
  int64_t v;
  if (!operand(a[0], ctx, &v)) return false;
  s.set_sint(s.sint | v);
  return true;
}
bool conv_xor(const Arg* a, size_t, Sample& s, FetchContext& ctx) {
  int64_t v;
  if (!operand(a[0], ctx, &v)) return false;
  s.set_sint(s.sint ^ v);
  return true;
}
bool conv_cpl(const Arg*, size_t, Sample& s, FetchContext&) {
  s.set_sint(~s.sint);
  return true;
}
bool conv_not(const Arg*, size_t, Sample& s, FetchContext&) {
  s.set_bool(s.sint == 0);
  return true;
}
bool conv_bool(const Arg*, size_t, Sample& s, FetchContext&) {
  s.set_bool(s.sint != 0);
  return true;
}
bool conv_odd(const Arg*, size_t, Sample& s, FetchContext&) {
  s.set_bool(s.sint & 1);
  return true;
}
bool conv_even(const Arg*, size_t, Sample& s, FetchContext&) {
  s.set_bool(!(s.sint & 1));
  return true;
}

// An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is masked as the IPv4 it
// maps; without mask6, another IPv6 address does not convert (HAProxy's
// compatibility).
bool conv_ipmask(const Arg* a, size_t n, Sample& s, FetchContext&) {
  if (s.type == T::kIpv6) cast(s, T::kIpv4);  // keeps the IPv6 when it maps none
  if (s.type == T::kIpv4) {
    for (int i = 0; i < 4; ++i) s.addr[i] &= a[0].mask[i];
    return true;
  }
  if (n < 2) return false;
  for (int i = 0; i < 16; ++i) s.addr[i] &= a[1].mask[i];
  return true;
}

// HAProxy's loop: after the first round the subject no longer starts a line
// ('^' fails); an empty match at the very start of what remains copies one
// byte and moves past it, any other match resumes where it ended.
bool conv_regsub(const Arg* a, size_t n, Sample& s, FetchContext&) {
  const bool global = n > 2 && a[2].str.find('g') != std::string::npos;
  const std::string_view in = s.str;
  Chunk c = next_chunk();
  size_t o = 0;
  std::string_view groups[Regex::kMaxGroups];
  static thread_local std::string repl;
  auto put = [&](std::string_view t) {
    if (o + t.size() > c.size) return false;
    if (t.empty()) return true;  // an empty view may carry no pointer at all
    std::memcpy(c.data + o, t.data(), t.size());
    o += t.size();
    return true;
  };
  size_t start = 0;
  bool not_bol = false;
  while (true) {
    const std::string_view rest = in.substr(start);
    const bool found = (global || !not_bol) && a[0].regex->search(rest, groups, not_bol);
    const size_t so = found ? size_t(groups[0].data() - rest.data()) : rest.size();
    if (!put(rest.substr(0, so))) return false;
    if (!found) break;
    repl.clear();
    expand_replacement(a[1].str, groups, &repl);
    if (!put(repl)) return false;
    if (start >= in.size()) break;
    size_t eo = so + groups[0].size();
    if (eo == 0) {  // an empty match in front of a byte: keep the byte, move on
      if (!put(rest.substr(0, 1))) return false;
      eo = 1;
    }
    start += eo;
    not_bol = true;
  }
  s.set_str(std::string_view(c.data, o));
  return true;
}

bool check_regsub(const ConvDef&, std::vector<Arg>& args, std::string* err) {
  if (args.size() < 3) return true;
  for (char f : args[2].str) {
    if (f != 'g' && f != 'i') {
      *err = "regsub: unknown flag '" + std::string(1, f) + "' (expects 'g' and/or 'i')";
      return false;
    }
  }
  if (args[2].str.find('i') != std::string::npos) {
    std::string why;
    args[0].regex = Regex::compile(args[0].str, &why, true);
    if (!args[0].regex) {
      *err = "regsub: invalid regex: " + why;
      return false;
    }
  }
  return true;
}

const ConvDef kConverters[] = {
    {"lower", {}, T::kStr, T::kStr, conv_lower},
    {"upper", {}, T::kStr, T::kStr, conv_upper},
    {"length", {}, T::kStr, T::kSint, conv_length},
    {"bytes", {1, {A::kSint, A::kSint}}, T::kBin, T::kBin, conv_bytes},
    {"field", {2, {A::kSint, A::kStr, A::kSint}}, T::kStr, T::kStr, conv_field, check_field},
    {"word", {2, {A::kSint, A::kStr, A::kSint}}, T::kStr, T::kStr, conv_word, check_field},
    {"hex", {}, T::kBin, T::kStr, conv_hex},
    {"base64", {}, T::kBin, T::kStr, conv_base64},
    {"b64dec", {}, T::kStr, T::kBin, conv_b64dec},
    {"url_dec", {0, {A::kSint}}, T::kStr, T::kStr, conv_url_dec},
    {"ltrim", {1, {A::kStr}}, T::kStr, T::kStr, conv_ltrim},
    {"rtrim", {1, {A::kStr}}, T::kStr, T::kStr, conv_rtrim},
    {"cut_crlf", {}, T::kStr, T::kStr, conv_cut_crlf},
    {"add", {1, {A::kStr}}, T::kSint, T::kSint, conv_add, check_operator},
    {"sub", {1, {A::kStr}}, T::kSint, T::kSint, conv_sub, check_operator},
    {"mul", {1, {A::kStr}}, T::kSint, T::kSint, conv_mul, check_operator},
    {"div", {1, {A::kStr}}, T::kSint, T::kSint, conv_div, check_operator},
    {"mod", {1, {A::kStr}}, T::kSint, T::kSint, conv_mod, check_operator},
    {"neg", {}, T::kSint, T::kSint, conv_neg},
    {"and", {1, {A::kStr}}, T::kSint, T::kSint, conv_and, check_operator},
    {"or", {1, {A::kStr}}, T::kSint, T::kSint, conv_or, check_operator},
    {"xor", {1, {A::kStr}}, T::kSint, T::kSint, conv_xor, check_operator},
    {"cpl", {}, T::kSint, T::kSint, conv_cpl},
    {"not", {}, T::kSint, T::kBool, conv_not},
    {"bool", {}, T::kSint, T::kBool, conv_bool},
    {"odd", {}, T::kSint, T::kBool, conv_odd},
    {"even", {}, T::kSint, T::kBool, conv_even},
    {"ipmask", {1, {A::kMask4, A::kMask6}}, T::kAddr, T::kAddr, conv_ipmask},
    {"regsub", {2, {A::kRegex, A::kStr, A::kStr}}, T::kStr, T::kStr, conv_regsub, check_regsub},
};

}  // namespace

const ConvDef* find_converter(std::string_view name) {
  for (const ConvDef& c : kConverters)
    if (c.name == name) return &c;
  if (const ConvDef* c = find_map_converter(name)) return c;
  if (const ConvDef* c = find_stick_converter(name)) return c;
  return find_more_converter(name);
}

}  // namespace hearth::expr
