#include "expr/arg.h"

#include <charconv>

#include "expr/sample.h"

namespace hearth::expr {
namespace {

bool to_int(const std::string& s, int64_t* out) {
  if (s.empty()) return false;
  const char* b = s.data();
  const char* e = b + s.size();
  if (*b == '+') ++b;
  auto [p, ec] = std::from_chars(b, e, *out);
  return ec == std::errc() && p == e;
}

// A bit count 0..max, or an address form: any dotted IPv4 mask (HAProxy takes
// 255.0.255.0 too), an IPv6 mask such as ffff:ffff::.
bool to_mask(const std::string& s, bool v4, unsigned char* out) {
  const int bytes = v4 ? 4 : 16;
  int64_t bits = 0;
  if (to_int(s, &bits)) {
    if (bits < 0 || bits > bytes * 8) return false;
    for (int i = 0; i < bytes; ++i) {
      const int64_t b = bits - 8 * i;
      out[i] = b >= 8 ? 0xff : b <= 0 ? 0 : static_cast<unsigned char>(0xff << (8 - b));
    }
    return true;
  }
  return v4 ? parse_ipv4(s, out) : parse_ipv6(s, out);
}

}  // namespace

bool split_args(std::string_view text, std::vector<std::string>* out, std::string* err) {
  out->clear();
  std::string cur;
  bool squote = false, dquote = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"' && !squote) {
      dquote = !dquote;
    } else if (c == '\'' && !dquote) {
      squote = !squote;
    } else if (c == '\\' && !squote && i + 1 < text.size()) {
      const char n = text[i + 1];
      if (n == '\\' || n == ' ' || n == '"' || n == '\'') {
        cur.push_back(n), ++i;
      } else if (n == 'r' || n == 'n' || n == 't') {
        cur.push_back(n == 'r' ? '\r' : n == 'n' ? '\n' : '\t'), ++i;
      } else {
        cur.push_back(c);  // a lone backslash stays: "\2" is regsub's capture 2
      }
    } else if (c == ',' && !squote && !dquote) {
      out->push_back(std::move(cur));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (squote || dquote) {
    *err = "unterminated quote in arguments '" + std::string(text) + "'";
    return false;
  }
  out->push_back(std::move(cur));
  return true;
}

bool make_args(const std::vector<std::string>& raw, const ArgSpec& spec, const std::string& what,
               std::vector<Arg>* out, std::string* err) {
  out->clear();
  if (raw.size() < spec.min) {
    *err = what + " expects at least " + std::to_string(spec.min) + " argument(s)";
    return false;
  }
  if (raw.size() > spec.types.size()) {
    *err = what + " expects at most " + std::to_string(spec.types.size()) + " argument(s)";
    return false;
  }
  for (size_t i = 0; i < raw.size(); ++i) {
    Arg a;
    a.type = spec.types[i];
    a.str = raw[i];
    const std::string pos = "argument " + std::to_string(i + 1) + " of " + what;
    switch (a.type) {
      case ArgType::kSint:
        if (!to_int(raw[i], &a.sint)) {
          *err = pos + " expects an integer, got '" + raw[i] + "'";
          return false;
        }
        break;
      case ArgType::kStr:
        break;
      case ArgType::kMask4:
      case ArgType::kMask6:
        if (!to_mask(raw[i], a.type == ArgType::kMask4, a.mask)) {
          *err = pos + " expects a netmask, got '" + raw[i] + "'";
          return false;
        }
        break;
      case ArgType::kVar:
        if (!parse_var_name(raw[i], &a.var, err)) {
          *err = pos + ": " + *err;
          return false;
        }
        break;
      case ArgType::kTab:
        if (raw[i].empty()) {
          *err = pos + " expects the name of a stick table";
          return false;
        }
        a.table = TableRefScope::make(raw[i], what);
        break;
      case ArgType::kUsr:
        if (raw[i].empty()) {
          *err = pos + " expects the name of a userlist";
          return false;
        }
        a.userlist = std::make_shared<UserlistRef>();
        a.userlist->name = raw[i];
        a.userlist->keyword = what;
        UserlistRefScope::note(a.userlist);
        break;
      case ArgType::kRegex: {
        std::string why;
        a.regex = Regex::compile(raw[i], &why);
        if (!a.regex) {
          *err = pos + ": invalid regex '" + raw[i] + "': " + why;
          return false;
        }
        break;
      }
    }
    out->push_back(std::move(a));
  }
  return true;
}

}  // namespace hearth::expr
