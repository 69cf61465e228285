#include "expr/pattern.h"

#include <charconv>
#include <climits>
#include <cstring>

namespace hearth::expr {
namespace {

constexpr const char* kMethodNames[] = {"found", "bool", "int", "ip",  "bin", "len", "str",
                                        "sub",   "reg",  "beg", "end", "dir", "dom"};

char lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c + 32) : c; }

// Returns: the first position of `p` in `s` at or after `from`, or npos.
size_t find_in(std::string_view s, std::string_view p, size_t from, bool icase) {
  if (!icase) return s.find(p, from);
  if (p.size() > s.size()) return std::string_view::npos;
  for (size_t i = from; i + p.size() <= s.size(); ++i)
    if (iequal(s.substr(i, p.size()), p)) return i;
  return std::string_view::npos;
}

// An optional '-' and decimal digits, nothing else (HAProxy's strl2llrc()).
bool parse_int(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  const char* b = s.data();
  const char* e = b + s.size();
  auto [p, ec] = std::from_chars(b, e, *out);
  return ec == std::errc() && p == e;
}

}  // namespace

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

std::optional<MatchMethod> match_method_of(std::string_view name) {
  for (int i = 0; i < int(std::size(kMethodNames)); ++i)
    if (name == kMethodNames[i]) return MatchMethod(i);
  return std::nullopt;
}

std::optional<MatchMethod> default_match(SmpType t) {
  switch (t) {
    case SmpType::kBool:
      return MatchMethod::kBool;
    case SmpType::kSint:
      return MatchMethod::kInt;
    case SmpType::kAddr:
    case SmpType::kIpv4:
    case SmpType::kIpv6:
      return MatchMethod::kIp;
    case SmpType::kStr:
    case SmpType::kMeth:
      return MatchMethod::kStr;
    default:
      return std::nullopt;
  }
}

const char* match_method_name(MatchMethod m) { return kMethodNames[int(m)]; }

bool PatternSet::add(std::string_view text, bool icase, IntOp op, std::string* err,
                     bool text_outlives) {
  const bool copy = !text_outlives;
  switch (method_) {
    case MatchMethod::kFound:
    case MatchMethod::kBool:
      return true;  // HAProxy accepts and ignores patterns here
    case MatchMethod::kInt:
    case MatchMethod::kLen: {
      // HAProxy's pat_parse_int(): the first ':' or '-' separates the bounds,
      // either may be omitted, so "10-20" is a range and "-5" means ":5".
      Range r{LLONG_MIN, LLONG_MAX};
      const size_t sep = text.find_first_of(":-");
      if (sep != std::string_view::npos) {
        const std::string_view lo = text.substr(0, sep), hi = text.substr(sep + 1);
        if ((!lo.empty() && !parse_int(lo, &r.lo)) || (!hi.empty() && !parse_int(hi, &r.hi)) ||
            (lo.empty() == hi.empty() && (lo.empty() || r.lo > r.hi))) {
          *err = "'" + std::string(text) + "' is not a valid number range (LOW:HIGH)";
          return false;
        }
      } else {
        int64_t v;
        if (!parse_int(text, &v)) {
          *err = "'" + std::string(text) + "' is not an integer";
          return false;
        }
        switch (op) {
          case IntOp::kEq:
            r = {v, v};
            break;
          case IntOp::kGe:
            r.lo = v;
            break;
          case IntOp::kGt:
            if (v == LLONG_MAX)
              r = {1, 0};  // empty
            else
              r.lo = v + 1;
            break;
          case IntOp::kLe:
            r.hi = v;
            break;
          case IntOp::kLt:
            if (v == LLONG_MIN)
              r = {1, 0};
            else
              r.hi = v - 1;
            break;
        }
      }
      r.index = int(count_);
      ranges_.push_back(r);
      break;
    }
    case MatchMethod::kIp:
      if (!add_ip(text, err)) return false;
      break;
    case MatchMethod::kBin: {
      if (text.size() % 2 != 0) {
        *err = "'" + std::string(text) + "' is not an even number of hexadecimal digits";
        return false;
      }
      std::string bytes;
      for (size_t i = 0; i < text.size(); i += 2) {
        const int h = hex_digit(text[i]), l = hex_digit(text[i + 1]);
        if (h < 0 || l < 0) {
          *err = "'" + std::string(text) + "' is not a hexadecimal string";
          return false;
        }
        bytes.push_back(char(h * 16 + l));
      }
      exact_.add(bytes, false, int(count_), /*copy=*/true);
      break;
    }
    case MatchMethod::kStr:
      exact_.add(text, icase, int(count_), copy);
      break;
    case MatchMethod::kBeg:
      prefixes_.add(text, icase, int(count_), copy);
      break;
    case MatchMethod::kEnd:
      suffixes_.add(text, icase, int(count_), copy);
      break;
    case MatchMethod::kDir:
      dirs_.add(text, icase, int(count_), copy);
      break;
    case MatchMethod::kDom:
      domains_.add(text, icase, int(count_), copy);
      break;
    case MatchMethod::kReg: {
      std::string why;
      auto re = Regex::compile(text, &why, icase);
      if (!re) {
        *err = "invalid regex '" + std::string(text) + "': " + why;
        return false;
      }
      regexes_.push_back(Re{std::move(re), int(count_)});
      break;
    }
    default:
      texts_.push_back(Text{std::string(text), icase, int(count_)});
      break;
  }
  ++count_;
  return true;
}

// Parses an address or network: IPv4 with a prefix length or a dotted mask,
// or IPv6 with a prefix length. Returns: false with *err if it is neither.
bool PatternSet::add_ip(std::string_view text, std::string* err) {
  struct {
    bool v6;
    unsigned char addr[16];
    unsigned char mask[16];
    int bits;
  } n{};
  const size_t slash = text.find('/');
  const std::string_view host = text.substr(0, slash);
  const std::string_view bits =
      slash == std::string_view::npos ? std::string_view() : text.substr(slash + 1);
  if (parse_ipv4(host, n.addr, true)) {
    n.v6 = false;
    int64_t b = 32;
    unsigned char m[4];
    if (!bits.empty() && parse_int(bits, &b) && b >= 0 && b <= 32) {
      for (int i = 0; i < 4; ++i) {
        const int64_t k = b - 8 * i;
        n.mask[i] = k >= 8 ? 0xff : k <= 0 ? 0 : static_cast<unsigned char>(0xff << (8 - k));
      }
    } else if (!bits.empty() && parse_ipv4(bits, m)) {
      std::memcpy(n.mask, m, 4);
      b = 0;
      for (unsigned char k : m) b += __builtin_popcount(k);
    } else if (bits.empty()) {
      b = 32;
      std::memset(n.mask, 0xff, 4);
    } else {
      *err = "'" + std::string(text) + "' has an invalid IPv4 netmask";
      return false;
    }
    for (int i = 0; i < 4; ++i) n.addr[i] &= n.mask[i];
    n.bits = int(b);
  } else if (parse_ipv6(host, n.addr)) {
    n.v6 = true;
    int64_t b = 128;
    if (!bits.empty() && !(parse_int(bits, &b) && b >= 0 && b <= 128)) {
      *err = "'" + std::string(text) + "' has an invalid IPv6 prefix length";
      return false;
    }
    for (int i = 0; i < 16; ++i) {
      const int64_t k = b - 8 * i;
      n.mask[i] = k >= 8 ? 0xff : k <= 0 ? 0 : static_cast<unsigned char>(0xff << (8 - k));
      n.addr[i] &= n.mask[i];
    }
    n.bits = int(b);
  } else {
    *err = "'" + std::string(text) +
           "' is not an IPv4 or IPv6 address or network (Hearth does not resolve host "
           "names in patterns)";
    return false;
  }
  nets_.add(n.v6, n.addr, n.mask, n.bits, int(count_));
  return true;
}

int PatternSet::find_int(int64_t v) const {
  for (const Range& r : ranges_)
    if (v >= r.lo && v <= r.hi) return r.index;
  return -1;
}

int PatternSet::find_ip(const Sample& s) const {
  unsigned char conv[16];
  if (s.type == SmpType::kIpv4) {
    ipv4_to_ipv6(s.addr, conv);
    return nets_.find(s.addr, conv);
  }
  return nets_.find(ipv6_to_ipv4(s.addr, conv) ? conv : nullptr, s.addr);
}

int PatternSet::find_text(std::string_view v, std::string_view* groups) const {
  switch (method_) {
    case MatchMethod::kStr:
    case MatchMethod::kBin:
      return exact_.find(v);
    case MatchMethod::kBeg:
      return prefixes_.find(v);
    case MatchMethod::kEnd:
      return suffixes_.find(v);
    case MatchMethod::kDir:
      return dirs_.find(v);
    case MatchMethod::kDom:
      return domains_.find(v);
    case MatchMethod::kReg: {
      std::string_view scratch[Regex::kMaxGroups];
      for (const Re& r : regexes_)
        if (groups ? r.re->search(v, groups) : r.re->search(v, scratch)) return r.index;
      return -1;
    }
    default:  // kSub: the first pattern found anywhere in the sample
      for (const Text& t : texts_)
        if (find_in(v, t.s, 0, t.icase) != std::string_view::npos) return t.index;
      return -1;
  }
}

// The sample is cast to the method's type first, as HAProxy does: bool and
// int to an integer, bin to the binary form (an integer's 8 bytes), len and
// the string methods to a string, so a binary sample ends at its first NUL
// byte (manual 7.1.3).
int PatternSet::find(Sample s, std::string_view* groups) const {
  switch (method_) {
    case MatchMethod::kFound:
      return 0;
    case MatchMethod::kBool:
      return cast(s, SmpType::kSint) && s.sint != 0 ? 0 : -1;
    case MatchMethod::kInt:
      return cast(s, SmpType::kSint) ? find_int(s.sint) : -1;
    case MatchMethod::kLen:
      return cast(s, SmpType::kStr) ? find_int(int64_t(s.str.size())) : -1;
    case MatchMethod::kIp:
      return cast(s, SmpType::kAddr) ? find_ip(s) : -1;
    case MatchMethod::kBin:
      return cast(s, SmpType::kBin) ? find_text(s.str, groups) : -1;
    default:
      return cast(s, SmpType::kStr) ? find_text(s.str, groups) : -1;
  }
}

}  // namespace hearth::expr
