#include "proxyproto/header.h"

#include <arpa/inet.h>

#include <cctype>
#include <cstring>

#include "proxyproto/crc32c.h"

namespace hearth::proxyproto {
namespace {

// One step of the v1 line: done, out of bytes (wait for more), or malformed.
enum class Step { kOk, kMore, kBad };

// A cursor over the bytes received so far.
struct Cursor {
  const uint8_t* p;
  size_t n;
  size_t i = 0;
  bool at_end() const { return i >= n; }
};

// Matches `lit` at the cursor. Returns: kMore if the bytes run out while they
// still match.
Step literal(Cursor& c, std::string_view lit) {
  for (char ch : lit) {
    if (c.at_end()) return Step::kMore;
    if (c.p[c.i] != uint8_t(ch)) return Step::kBad;
    ++c.i;
  }
  return Step::kOk;
}

// Reads up to the next space (not consumed) into buf: chars allowed by
// `ok`, at most `cap` of them. Returns: kMore if no space came yet.
template <typename Pred>
Step token(Cursor& c, char* buf, size_t cap, size_t* len, Pred ok) {
  size_t k = 0;
  while (!c.at_end() && c.p[c.i] != ' ') {
    if (k >= cap || !ok(c.p[c.i])) return Step::kBad;
    buf[k++] = char(c.p[c.i++]);
  }
  if (c.at_end()) return Step::kMore;
  if (k == 0) return Step::kBad;
  *len = k;
  return Step::kOk;
}

bool is_digit(uint8_t ch) { return ch >= '0' && ch <= '9'; }

// A dotted quad; each part 1 to 3 digits up to 255 (leading zeros allowed,
// as HAProxy).
bool parse_ipv4(const char* s, size_t n, in_addr* out) {
  uint32_t parts[4];
  size_t part = 0, digits = 0;
  uint32_t v = 0;
  for (size_t i = 0; i <= n; ++i) {
    if (i == n || s[i] == '.') {
      if (digits == 0 || v > 255 || part >= 4) return false;
      parts[part++] = v;
      v = 0;
      digits = 0;
      continue;
    }
    if (!is_digit(uint8_t(s[i])) || ++digits > 3) return false;
    v = v * 10 + uint32_t(s[i] - '0');
  }
  if (part != 4) return false;
  out->s_addr = htonl(parts[0] << 24 | parts[1] << 16 | parts[2] << 8 | parts[3]);
  return true;
}

Step address(Cursor& c, bool v6, sockaddr_storage* out) {
  char buf[48];
  size_t len = 0;
  const Step s =
      v6 ? token(c, buf, 45, &len,
                 [](uint8_t ch) {
                   return is_digit(ch) || ch == ':' || ch == '.' || std::isxdigit(ch) != 0;
                 })
         : token(c, buf, 15, &len, [](uint8_t ch) { return is_digit(ch) || ch == '.'; });
  if (s != Step::kOk) return s;
  buf[len] = '\0';
  std::memset(out, 0, sizeof *out);
  if (v6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(out);
    a->sin6_family = AF_INET6;
    return inet_pton(AF_INET6, buf, &a->sin6_addr) == 1 ? Step::kOk : Step::kBad;
  }
  auto* a = reinterpret_cast<sockaddr_in*>(out);
  a->sin_family = AF_INET;
  return parse_ipv4(buf, len, &a->sin_addr) ? Step::kOk : Step::kBad;
}

// A decimal port followed by `end` (consumed).
Step port(Cursor& c, std::string_view end, uint16_t* out) {
  uint32_t v = 0;
  size_t digits = 0;
  while (!c.at_end() && is_digit(c.p[c.i])) {
    if (++digits > 5) return Step::kBad;
    v = v * 10 + uint32_t(c.p[c.i++] - '0');
  }
  if (c.at_end()) return Step::kMore;
  if (digits == 0 || v > 65535) return Step::kBad;
  *out = uint16_t(v);
  return literal(c, end);
}

void set_port(sockaddr_storage* a, uint16_t port) {
  if (a->ss_family == AF_INET)
    reinterpret_cast<sockaddr_in*>(a)->sin_port = htons(port);
  else
    reinterpret_cast<sockaddr_in6*>(a)->sin6_port = htons(port);
}

ParseStatus of(Step s) {
  return s == Step::kMore ? ParseStatus::kIncomplete : ParseStatus::kInvalid;
}

// "PROXY TCP4 ...", "PROXY TCP6 ..." after the protocol word.
ParseStatus parse_v1_tcp(Cursor& c, bool v6, Header* out) {
  Step s;
  if ((s = address(c, v6, &out->src)) != Step::kOk) return of(s);
  ++c.i;  // the space token() stopped at
  if ((s = address(c, v6, &out->dst)) != Step::kOk) return of(s);
  ++c.i;
  uint16_t sport = 0, dport = 0;
  if ((s = port(c, " ", &sport)) != Step::kOk) return of(s);
  if ((s = port(c, "\r\n", &dport)) != Step::kOk) return of(s);
  set_port(&out->src, sport);
  set_port(&out->dst, dport);
  out->length = c.i;
  return ParseStatus::kDone;
}

ParseStatus parse_v1(const uint8_t* p, size_t n, Header* out) {
  // A line that is still incomplete at the protocol's length limit never ends.
  const size_t limit = n < kMaxV1Line ? n : kMaxV1Line;
  Cursor c{p, limit};
  if (const Step s = literal(c, "PROXY "); s != Step::kOk)
    return s == Step::kMore ? ParseStatus::kIncomplete : ParseStatus::kNotHeader;
  out->version = 1;
  static constexpr std::string_view kProtos[] = {"TCP4 ", "TCP6 ", "UNKNOWN\r\n"};
  int proto = -1;
  bool partial = false;
  for (int k = 0; k < 3; ++k) {
    Cursor t = c;
    const Step s = literal(t, kProtos[k]);
    if (s == Step::kOk) {
      proto = k;
      c = t;
      break;
    }
    partial = partial || s == Step::kMore;
  }
  ParseStatus st;
  if (proto < 0) {
    st = partial ? ParseStatus::kIncomplete : ParseStatus::kBadProtocol;
  } else if (proto == 2) {
    out->local = true;
    out->length = c.i;
    st = ParseStatus::kDone;
  } else {
    st = parse_v1_tcp(c, proto == 1, out);
  }
  if (st == ParseStatus::kIncomplete && n >= kMaxV1Line) return ParseStatus::kInvalid;
  return st;
}

uint16_t be16(const uint8_t* p) { return uint16_t(p[0] << 8 | p[1]); }

// The TLVs of p[from..total): they must tile it exactly.
ParseStatus parse_tlvs(const uint8_t* p, size_t from, size_t total, Header* out) {
  size_t at = from;
  while (at < total) {
    if (at + 3 > total) return ParseStatus::kInvalid;
    const uint8_t type = p[at];
    const size_t len = be16(p + at + 1);
    const size_t value = at + 3;
    if (value + len > total) return ParseStatus::kInvalid;
    switch (type) {
      case kTlvCrc32c: {
        if (len != 4) return ParseStatus::kInvalid;
        const uint32_t want = uint32_t(p[value]) << 24 | uint32_t(p[value + 1]) << 16 |
                              uint32_t(p[value + 2]) << 8 | p[value + 3];
        // The checksum covers the whole header with this field as zeros.
        static constexpr uint8_t kZeros[4] = {0, 0, 0, 0};
        uint32_t crc = crc32c(p, value);
        crc = crc32c(kZeros, 4, crc);
        crc = crc32c(p + value + 4, total - value - 4, crc);
        if (crc != want) return ParseStatus::kInvalid;
        break;
      }
      case kTlvAuthority:
        if (len > kMaxAuthority) return ParseStatus::kInvalid;
        out->authority = std::string_view(reinterpret_cast<const char*>(p + value), len);
        break;
      case kTlvUniqueId:
        if (len > kMaxUniqueId) return ParseStatus::kInvalid;
        out->unique_id = std::string_view(reinterpret_cast<const char*>(p + value), len);
        break;
      default:
        break;
    }
    at = value + len;
  }
  return ParseStatus::kDone;
}

ParseStatus parse_v2(const uint8_t* p, size_t n, Header* out) {
  const size_t sig = n < 12 ? n : 12;
  if (std::memcmp(p, kV2Signature, sig) != 0) return ParseStatus::kNotHeader;
  if (n >= 13 && (p[12] & 0xF0) != 0x20) return ParseStatus::kNotHeader;
  if (n < 16) return ParseStatus::kIncomplete;
  out->version = 2;
  const size_t len = be16(p + 14);
  const size_t total = 16 + len;
  if (total > kMaxHeader) return ParseStatus::kInvalid;
  if (n < total) return ParseStatus::kIncomplete;
  out->length = total;
  const uint8_t cmd = p[12] & 0x0F;
  if (cmd == 0x00) {  // LOCAL: a health check of the sender, say; nothing to take
    out->local = true;
    return ParseStatus::kDone;
  }
  if (cmd != 0x01) return ParseStatus::kInvalid;
  const uint8_t* a = p + 16;
  size_t addr_len = 0;
  std::memset(&out->src, 0, sizeof out->src);
  std::memset(&out->dst, 0, sizeof out->dst);
  if (p[13] == 0x11) {
    addr_len = 12;
    if (len < addr_len) return ParseStatus::kInvalid;
    auto* s = reinterpret_cast<sockaddr_in*>(&out->src);
    auto* d = reinterpret_cast<sockaddr_in*>(&out->dst);
    s->sin_family = d->sin_family = AF_INET;
    std::memcpy(&s->sin_addr, a, 4);
    std::memcpy(&d->sin_addr, a + 4, 4);
    std::memcpy(&s->sin_port, a + 8, 2);
    std::memcpy(&d->sin_port, a + 10, 2);
  } else if (p[13] == 0x21) {
    addr_len = 36;
    if (len < addr_len) return ParseStatus::kInvalid;
    auto* s = reinterpret_cast<sockaddr_in6*>(&out->src);
    auto* d = reinterpret_cast<sockaddr_in6*>(&out->dst);
    s->sin6_family = d->sin6_family = AF_INET6;
    std::memcpy(&s->sin6_addr, a, 16);
    std::memcpy(&d->sin6_addr, a + 16, 16);
    std::memcpy(&s->sin6_port, a + 32, 2);
    std::memcpy(&d->sin6_port, a + 34, 2);
  } else {
    return ParseStatus::kInvalid;  // UNSPEC, UDP or UNIX with PROXY: as HAProxy 2.6
  }
  return parse_tlvs(p, 16 + addr_len, total, out);
}

}  // namespace

ParseStatus parse(const uint8_t* p, size_t n, Header* out) {
  *out = Header{};
  if (n == 0) return ParseStatus::kIncomplete;
  if (p[0] == 'P') return parse_v1(p, n, out);
  if (p[0] == kV2Signature[0]) return parse_v2(p, n, out);
  return ParseStatus::kNotHeader;
}

const char* status_message(ParseStatus s) {
  switch (s) {
    case ParseStatus::kNotHeader:
      return "Received something which does not look like a PROXY protocol header";
    case ParseStatus::kBadProtocol:
      return "Received an unhandled protocol in the PROXY protocol header";
    case ParseStatus::kInvalid:
      return "Received an invalid PROXY protocol header";
    case ParseStatus::kIncomplete:
      return "Truncated PROXY protocol header received";
    case ParseStatus::kDone:
      break;
  }
  return "";
}

}  // namespace hearth::proxyproto
