#include "expr/pattern.h"

#include <charconv>
#include <climits>
#include <cstring>

namespace hearth::expr {
namespace {

constexpr const char* kMethodNames[] = {"found", "bool", "int", "ip",  "bin", "len", "str",
                                        "sub",   "reg",  "beg", "end", "dir", "dom"};

char lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c + 32) : c; }

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

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

bool is_dom_delim(char c) { return c == '.' || c == ':' || c == '/' || c == '?'; }

// dir and dom: `p` (without its own leading and trailing delimiters) occurs in
// `s` between delimiters or the ends of `s`. dir's delimiters are '/' and '?'
// (HAProxy's pat_match_dir(), though the manual names only '/'); dom's are
// '.', ':', '/' and '?'.
bool delimited_match(std::string_view s, std::string_view p, bool icase, bool dom) {
  auto delim = [dom](char c) { return dom ? is_dom_delim(c) : c == '/' || c == '?'; };
  while (!p.empty() && delim(p.front())) p.remove_prefix(1);
  while (!p.empty() && delim(p.back())) p.remove_suffix(1);
  if (p.empty()) return false;
  for (size_t at = find_in(s, p, 0, icase); at != std::string_view::npos;
       at = find_in(s, p, at + 1, icase)) {
    const size_t end = at + p.size();
    if ((at == 0 || delim(s[at - 1])) && (end == s.size() || delim(s[end]))) return true;
  }
  return false;
}

}  // namespace

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

bool PatternSet::add(std::string_view text, bool icase, IntOp op, std::string* err) {
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
    case MatchMethod::kIp: {
      Net n{};
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
      n.index = int(count_);
      nets_.push_back(n);
      break;
    }
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
      texts_.push_back(Text{std::move(bytes), false, int(count_)});
      break;
    }
    case MatchMethod::kStr:
      if (icase) {
        std::string l(text);
        for (char& c : l) c = lower(c);
        exact_lower_.emplace(std::move(l), int(count_));  // a duplicate keeps the first
      } else {
        exact_.emplace(std::string(text), int(count_));
      }
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

int PatternSet::find_int(int64_t v) const {
  for (const Range& r : ranges_)
    if (v >= r.lo && v <= r.hi) return r.index;
  return -1;
}

int PatternSet::find_ip(const Sample& s) const {
  const Net* best = nullptr;
  for (const Net& n : nets_) {
    const unsigned char* a = s.addr;
    unsigned char conv[16];
    if (s.type == SmpType::kIpv4 && n.v6) {
      ipv4_to_ipv6(s.addr, conv);
      a = conv;
    } else if (s.type == SmpType::kIpv6 && !n.v6) {
      if (!ipv6_to_ipv4(s.addr, conv)) continue;
      a = conv;
    }
    const int len = n.v6 ? 16 : 4;
    bool ok = true;
    for (int i = 0; i < len && ok; ++i) ok = (a[i] & n.mask[i]) == n.addr[i];
    if (ok && (!best || n.bits > best->bits)) best = &n;
  }
  return best ? best->index : -1;
}

bool PatternSet::match_one(std::string_view v, const Text& t) const {
  const std::string_view p = t.s;
  switch (method_) {
    case MatchMethod::kBin:
      return v == p;
    case MatchMethod::kBeg:
      return v.size() >= p.size() &&
             (t.icase ? iequal(v.substr(0, p.size()), p) : v.substr(0, p.size()) == p);
    case MatchMethod::kEnd:
      return v.size() >= p.size() && (t.icase ? iequal(v.substr(v.size() - p.size()), p)
                                              : v.substr(v.size() - p.size()) == p);
    case MatchMethod::kSub:
      return find_in(v, p, 0, t.icase) != std::string_view::npos;
    case MatchMethod::kDir:
      return delimited_match(v, p, t.icase, false);
    case MatchMethod::kDom:
      return delimited_match(v, p, t.icase, true);
    default:
      return false;
  }
}

int PatternSet::find_text(std::string_view v, std::string_view* groups) const {
  if (method_ == MatchMethod::kStr) {
    // Heterogeneous lookup would need a transparent hash; a thread-local key
    // keeps the common case free of allocation once it has grown.
    static thread_local std::string key;
    int found = -1;
    if (!exact_.empty()) {
      key.assign(v);
      if (auto it = exact_.find(key); it != exact_.end()) found = it->second;
    }
    if (!exact_lower_.empty()) {
      key.assign(v);
      for (char& c : key) c = lower(c);
      if (auto it = exact_lower_.find(key); it != exact_lower_.end())
        found = found < 0 ? it->second : std::min(found, it->second);
    }
    return found;
  }
  if (method_ == MatchMethod::kReg) {
    std::string_view scratch[Regex::kMaxGroups];
    for (const Re& r : regexes_) {
      if (groups ? r.re->search(v, groups) : r.re->search(v, scratch)) return r.index;
    }
    return -1;
  }
  // Prefixes: the longest that matches, as HAProxy's prefix tree (a tie
  // goes to the first); the other methods take the first match.
  const Text* best = nullptr;
  for (const Text& t : texts_) {
    if (!match_one(v, t)) continue;
    if (method_ != MatchMethod::kBeg) return t.index;
    if (!best || t.s.size() > best->s.size()) best = &t;
  }
  return best ? best->index : -1;
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
