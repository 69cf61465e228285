#include "expr/sample.h"

#include <arpa/inet.h>

#include <cstdio>
#include <cstring>
#include <memory>

#include "core/ip_text.h"

namespace hearth::expr {
namespace {

size_t g_chunk_size = 16384;

constexpr const char* kMethNames[] = {"OPTIONS", "GET",   "HEAD",    "POST", "PUT",
                                      "DELETE",  "TRACE", "CONNECT", ""};

// Writes `s` into a fresh chunk. Returns: the view, or an empty view with
// false if it does not fit.
bool to_chunk(std::string_view s, std::string_view* out) {
  Chunk c = next_chunk();
  if (s.size() > c.size) return false;
  std::memcpy(c.data, s.data(), s.size());
  *out = std::string_view(c.data, s.size());
  return true;
}

bool int_to_str(Sample& s) {
  char tmp[24];
  const int n = std::snprintf(tmp, sizeof tmp, "%lld", static_cast<long long>(s.sint));
  std::string_view v;
  if (!to_chunk(std::string_view(tmp, size_t(n)), &v)) return false;
  s.set_str(v);
  return true;
}

bool int_to_bin(Sample& s) {
  unsigned char b[8];
  const uint64_t v = uint64_t(s.sint);
  for (int i = 0; i < 8; ++i) b[i] = static_cast<unsigned char>(v >> (56 - 8 * i));
  std::string_view out;
  if (!to_chunk(std::string_view(reinterpret_cast<const char*>(b), 8), &out)) return false;
  s.set_bin(out);
  return true;
}

void int_to_ipv4(Sample& s) {
  const uint32_t v = htonl(static_cast<uint32_t>(s.sint));
  s.set_ipv4(&v);
}

bool addr_to_str(Sample& s) {
  char tmp[kIpTextMax];
  const int af = s.type == SmpType::kIpv4 ? AF_INET : AF_INET6;
  const size_t n = ip_to_text(af, s.addr, tmp);
  if (n == 0) return false;
  std::string_view v;
  if (!to_chunk(std::string_view(tmp, n), &v)) return false;
  s.set_str(v);
  return true;
}

bool addr_to_bin(Sample& s) {
  const size_t n = s.type == SmpType::kIpv4 ? 4 : 16;
  std::string_view v;
  if (!to_chunk(std::string_view(reinterpret_cast<const char*>(s.addr), n), &v)) return false;
  s.set_bin(v);
  return true;
}

// HAProxy reads an optional sign and the digits that follow, stopping at the
// first other byte and saturating at the int64 limits (read_int64); an empty
// string does not cast.
bool str_to_int(Sample& s) {
  if (s.str.empty()) return false;
  size_t i = 0;
  bool neg = false;
  if (s.str[0] == '-' || s.str[0] == '+') neg = s.str[i++] == '-';
  constexpr uint64_t kMax = uint64_t(INT64_MAX);
  uint64_t v = 0;
  for (; i < s.str.size() && s.str[i] >= '0' && s.str[i] <= '9'; ++i) {
    const uint64_t d = uint64_t(s.str[i] - '0');
    v = v > (kMax + 1 - d) / 10 ? kMax + 1 : v * 10 + d;  // kMax + 1 caps both signs
  }
  if (neg)
    s.set_sint(v > kMax ? INT64_MIN : -int64_t(v));
  else
    s.set_sint(v > kMax ? INT64_MAX : int64_t(v));
  return true;
}

// HAProxy's buf2ip(): the address is the leading run of digits and dots, so
// "1.2.3.4:80" casts to 1.2.3.4.
bool str_to_ipv4(std::string_view s, unsigned char out[4]) {
  size_t n = 0;
  while (n < s.size() && ((s[n] >= '0' && s[n] <= '9') || s[n] == '.')) ++n;
  return parse_ipv4(s.substr(0, n), out);
}

bool str_to_meth(Sample& s) {
  if (s.str.empty()) return false;
  s.set_meth(meth_of(s.str), s.str);
  return true;
}

}  // namespace

const char* type_name(SmpType t) {
  constexpr const char* kNames[] = {"any",  "bool", "sint", "addr", "ipv4",
                                    "ipv6", "str",  "bin",  "meth"};
  return kNames[int(t)];
}

Meth meth_of(std::string_view name) {
  for (int i = 0; i < int(Meth::kOther); ++i)
    if (name == kMethNames[i]) return Meth(i);
  return Meth::kOther;
}

const char* meth_name(Meth m) { return kMethNames[int(m)]; }

void Sample::set_ipv4(const void* a) {
  type = SmpType::kIpv4;
  std::memcpy(addr, a, 4);
}

void Sample::set_ipv6(const void* a) {
  type = SmpType::kIpv6;
  std::memcpy(addr, a, 16);
}

bool can_cast(SmpType from, SmpType to) {
  using T = SmpType;
  if (from == T::kAny || to == T::kAny || from == to) return true;
  switch (from) {
    case T::kBool:
      return to == T::kSint || to == T::kStr;
    case T::kSint:
      return to != T::kMeth;
    case T::kAddr:  // declared by src, dst...: checked as the IPv4 it usually is
    case T::kIpv4:
    case T::kIpv6:
      if (from == T::kAddr && to == T::kSint) return true;
      return to == T::kAddr || to == T::kIpv4 || to == T::kIpv6 || to == T::kStr || to == T::kBin ||
             (from == T::kIpv4 && to == T::kSint);
    case T::kStr:
      return true;
    case T::kBin:
      return to == T::kStr || to == T::kMeth;
    case T::kMeth:
      return to == T::kStr || to == T::kBin;
    default:
      return false;
  }
}

bool cast(Sample& s, SmpType to) {
  using T = SmpType;
  if (!can_cast(s.type, to)) return false;
  if (to == T::kAny || s.type == to || s.type == T::kAny) return true;
  switch (s.type) {
    case T::kBool:
      if (to == T::kSint) {
        s.type = T::kSint;
        return true;
      }
      return int_to_str(s);
    case T::kSint:
      switch (to) {
        case T::kBool:
          s.type = T::kBool;
          return true;
        case T::kAddr:
        case T::kIpv4:
          int_to_ipv4(s);
          return true;
        case T::kIpv6: {
          int_to_ipv4(s);
          unsigned char v6[16];
          ipv4_to_ipv6(s.addr, v6);
          s.set_ipv6(v6);
          return true;
        }
        case T::kStr:
          return int_to_str(s);
        default:
          return int_to_bin(s);
      }
    case T::kIpv4:
      switch (to) {
        case T::kSint: {
          uint32_t v;
          std::memcpy(&v, s.addr, 4);
          s.set_sint(ntohl(v));
          return true;
        }
        case T::kAddr:
          return true;
        case T::kIpv6: {
          unsigned char v6[16];
          ipv4_to_ipv6(s.addr, v6);
          s.set_ipv6(v6);
          return true;
        }
        case T::kStr:
          return addr_to_str(s);
        default:
          return addr_to_bin(s);
      }
    case T::kIpv6:
      switch (to) {
        case T::kAddr:
          return true;
        case T::kIpv4: {
          // Only the mapped form ::ffff:a.b.c.d casts (HAProxy's v6tov4()); the
          // other forms ipv6_to_ipv4() knows are for matching.
          static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
          if (std::memcmp(s.addr, kMapped, 12) != 0) return false;
          s.set_ipv4(s.addr + 12);
          return true;
        }
        case T::kStr:
          return addr_to_str(s);
        default:
          return addr_to_bin(s);
      }
    case T::kStr:
      switch (to) {
        case T::kBool:
        case T::kSint:
          if (!str_to_int(s)) return false;
          if (to == T::kBool) s.type = T::kBool;
          return true;
        case T::kAddr:
        case T::kIpv4:
        case T::kIpv6: {
          unsigned char a[16];
          if (to != T::kIpv6 && str_to_ipv4(s.str, a)) {
            s.set_ipv4(a);
            return true;
          }
          if (to != T::kIpv4 && parse_ipv6(s.str, a)) {
            s.set_ipv6(a);
            return true;
          }
          return false;
        }
        case T::kBin:
          s.type = T::kBin;
          return true;
        default:
          return str_to_meth(s);
      }
    case T::kBin:
      if (to == T::kStr) {
        // A string ends at the first NUL byte.
        const size_t nul = s.str.find('\0');
        s.set_str(s.str.substr(0, nul));
        return true;
      }
      return str_to_meth(s);
    case T::kMeth: {
      const Meth m = Meth(s.sint);
      const std::string_view name = m == Meth::kOther ? s.str : meth_name(m);
      s.type = to;
      s.str = name;
      return true;
    }
    default:
      return false;
  }
}

Chunk next_chunk() {
  struct Chunks {
    std::unique_ptr<char[]> data[4];
    size_t size = 0;
    unsigned next = 0;
  };
  static thread_local Chunks t;
  if (t.size != g_chunk_size) {
    for (auto& d : t.data) d.reset(new char[g_chunk_size]);
    t.size = g_chunk_size;
  }
  char* d = t.data[t.next++ & 3].get();
  return Chunk{d, t.size};
}

void set_chunk_size(size_t n) { g_chunk_size = n; }

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool parse_ipv4(std::string_view s, unsigned char out[4], bool short_ok) {
  unsigned parts[4] = {};
  int n = 0;
  size_t i = 0;
  while (true) {
    if (n == 4 || i >= s.size() || s[i] < '0' || s[i] > '9') return false;
    unsigned v = 0;
    size_t digits = 0;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++digits) {
      v = v * 10 + unsigned(s[i] - '0');
      if (digits > 3 || v > 255) return false;
    }
    parts[n++] = v;
    if (i == s.size()) break;
    if (s[i++] != '.') return false;
  }
  if (n < 4 && !short_ok) return false;
  // The short forms omit zero octets before the last, as inet_aton() reads
  // them: 10.12 is 10.0.0.12, 192.168.1 is 192.168.0.1, 10 is 0.0.0.10.
  for (int k = 0; k < 4; ++k) out[k] = 0;
  for (int k = 0; k < n - 1; ++k) out[k] = static_cast<unsigned char>(parts[k]);
  out[3] = static_cast<unsigned char>(parts[n - 1]);
  return true;
}

bool parse_ipv6(std::string_view s, unsigned char out[16]) {
  char tmp[INET6_ADDRSTRLEN + 1];
  if (s.empty() || s.size() >= sizeof tmp) return false;
  std::memcpy(tmp, s.data(), s.size());
  tmp[s.size()] = '\0';
  return inet_pton(AF_INET6, tmp, out) == 1;
}

bool ipv6_to_ipv4(const unsigned char v6[16], unsigned char out[4]) {
  static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  static const unsigned char kZero[12] = {};
  if (std::memcmp(v6, kMapped, 12) == 0 || std::memcmp(v6, kZero, 12) == 0) {
    std::memcpy(out, v6 + 12, 4);
    return true;
  }
  if (v6[0] == 0x20 && v6[1] == 0x02) {  // 6to4, 2002:IPV4::/48 whatever follows
    std::memcpy(out, v6 + 2, 4);
    return true;
  }
  return false;
}

void ipv4_to_ipv6(const unsigned char v4[4], unsigned char out[16]) {
  std::memset(out, 0, 10);
  out[10] = out[11] = 0xff;
  std::memcpy(out + 12, v4, 4);
}

}  // namespace hearth::expr
