// Encodings (HAProxy manual 7.3.1): hex2i, be2dec, be2hex, ub64enc, ub64dec,
// url_enc and json, with HAProxy's exact outputs, quirks included.
#include <cctype>
#include <cstdio>
#include <cstring>

#include "expr/converters_more.h"

namespace hearth::expr {
namespace {

using A = ArgType;
using T = SmpType;

constexpr char kHexUpper[] = "0123456789ABCDEF";

// hex2i: any non-hex digit fails; "" is 0; more than 16 digits shift out.
bool conv_hex2i(const Arg*, size_t, Sample& smp, FetchContext&) {
  uint64_t n = 0;
  for (char ch : smp.str) {
    const int v = hex_digit(ch);
    if (v < 0) return false;
    n = (n << 4) + uint64_t(v);
  }
  smp.set_sint(int64_t(n));
  return true;
}

// be2dec(sep,chunk_size[,truncate]): an unsigned number per chunk_size bytes
// (the last chunk may be shorter unless truncated away). Stops, as HAProxy
// does, when the next number might not fit.
bool conv_be2dec(const Arg* a, size_t n, Sample& smp, FetchContext&) {
  const std::string_view in = smp.str, sep = a[0].str;
  const int64_t size = a[1].sint;
  const int64_t last = n > 2 && a[2].sint ? int64_t(in.size()) - size + 1 : int64_t(in.size());
  Chunk c = next_chunk();
  size_t o = 0, ptr = 0;
  while (int64_t(ptr) < last && o + sep.size() + 21 <= c.size) {
    if (ptr) {
      std::memcpy(c.data + o, sep.data(), sep.size());
      o += sep.size();
    }
    unsigned long long num = 0;
    for (int64_t i = 0; i < size && ptr < in.size(); ++i)
      num = (num << 8) + static_cast<unsigned char>(in[ptr++]);
    o += size_t(std::snprintf(c.data + o, 21, "%llu", num));
  }
  smp.set_str(std::string_view(c.data, o));
  return true;
}

bool check_truncate(const std::vector<Arg>& args, std::string* err) {
  if (args.size() < 3 || args[2].sint == 0 || args[2].sint == 1) return true;
  *err = "Unsupported truncate value (" + std::to_string(args[2].sint) + ")";
  return false;
}

bool check_be2dec(const ConvDef&, std::vector<Arg>& args, std::string* err) {
  const int64_t size = args.size() > 1 ? args[1].sint : 0;
  if (size <= 0 || size > 8) {
    *err = "chunk_size out of [1..8] range (" + std::to_string(size) + ")";
    return false;
  }
  return check_truncate(args, err);
}

// be2hex([sep[,chunk_size[,truncate]]]): without a separator nor truncation
// the whole input is one chunk.
bool conv_be2hex(const Arg* a, size_t n, Sample& smp, FetchContext&) {
  const std::string_view in = smp.str;
  const std::string_view sep = n > 0 ? std::string_view(a[0].str) : std::string_view();
  const bool truncate = n > 2 && a[2].sint;
  int64_t size = n > 1 ? a[1].sint : 0;
  const int64_t last = truncate ? int64_t(in.size()) - size + 1 : int64_t(in.size());
  if (sep.empty() && !truncate) size = int64_t(in.size());
  Chunk c = next_chunk();
  size_t o = 0, ptr = 0;
  while (int64_t(ptr) < last && o + sep.size() + 2 * uint64_t(size) <= c.size) {
    if (ptr) {
      std::memcpy(c.data + o, sep.data(), sep.size());
      o += sep.size();
    }
    for (int64_t i = 0; i < size && ptr < in.size(); ++i) {
      const auto b = static_cast<unsigned char>(in[ptr++]);
      c.data[o++] = kHexUpper[b >> 4];
      c.data[o++] = kHexUpper[b & 15];
    }
  }
  smp.set_str(std::string_view(c.data, o));
  return true;
}

bool check_be2hex(const ConvDef&, std::vector<Arg>& args, std::string* err) {
  const int64_t size = args.size() > 1 ? args[1].sint : 0;
  const bool sep = !args.empty() && !args[0].str.empty();
  if (size <= 0 && (sep || (args.size() > 2 && args[2].sint != 0))) {
    *err = "chunk_size needs to be positive (" + std::to_string(size) + ")";
    return false;
  }
  return check_truncate(args, err);
}

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kB64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// ub64enc: base64url without padding.
bool conv_ub64enc(const Arg*, size_t, Sample& smp, FetchContext&) {
  const std::string_view s = smp.str;
  Chunk c = next_chunk();
  if ((s.size() + 2) / 3 * 4 >= c.size) return false;
  size_t o = 0;
  for (size_t i = 0; i < s.size(); i += 3) {
    const size_t left = s.size() - i;
    uint32_t v = uint32_t(static_cast<unsigned char>(s[i])) << 16;
    if (left > 1) v |= uint32_t(static_cast<unsigned char>(s[i + 1])) << 8;
    if (left > 2) v |= static_cast<unsigned char>(s[i + 2]);
    c.data[o++] = kB64Url[v >> 18 & 63];
    c.data[o++] = kB64Url[v >> 12 & 63];
    if (left > 1) c.data[o++] = kB64Url[v >> 6 & 63];
    if (left > 2) c.data[o++] = kB64Url[v & 63];
  }
  smp.set_str(std::string_view(c.data, o));
  return true;
}

// A base64url character's value; HAProxy's table also takes '=' as 63.
int b64url_value(char ch) {
  if (ch == '=') return 63;
  const char* p = ch ? std::strchr(kB64Url, ch) : nullptr;
  return p ? int(p - kB64Url) : -1;
}

// ub64dec: HAProxy's base64urldec() (base64url_decode below).
bool conv_ub64dec(const Arg*, size_t, Sample& smp, FetchContext&) {
  Chunk c = next_chunk();
  const long n = base64url_decode(smp.str, c.data, c.size);
  if (n < 0) return false;
  smp.set_bin(std::string_view(c.data, size_t(n)));
  return true;
}

// url_enc([query]): all but ALPHA DIGIT - . _ ~ become %XX.
bool conv_url_enc(const Arg*, size_t, Sample& smp, FetchContext&) {
  auto keep = [](unsigned char b) {
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '-' ||
           b == '.' || b == '_' || b == '~';
  };
  Chunk c = next_chunk();
  size_t o = 0;
  for (unsigned char b : smp.str) {
    if (o + 3 > c.size) return false;
    if (keep(b)) {
      c.data[o++] = char(b);
    } else {
      c.data[o++] = '%';
      c.data[o++] = kHexUpper[b >> 4];
      c.data[o++] = kHexUpper[b & 15];
    }
  }
  smp.set_str(std::string_view(c.data, o));
  return true;
}

bool check_url_enc(const ConvDef&, std::vector<Arg>& args, std::string* err) {
  if (args.empty() || args[0].str.empty() || args[0].str == "query") return true;
  *err = "Unexpected encode type. Allowed value is 'query'.";
  return false;
}

// json([input-code]): the decoders, kept in args[0].sint.
enum JsonInput : int64_t { kAscii, kUtf8, kUtf8s, kUtf8p, kUtf8ps };

// HAProxy's utf8_next() return codes (the length read is apart here).
enum Utf8Code : unsigned { kUtf8Ok = 0, kOverlong = 0x10, kInvRange = 0x20, kBadSeq = 0x40 };

// HAProxy's utf8_next(): decodes one character of `s` into *c. Returns: the
// code; *len is the bytes read (1 on a bad leading byte, up to the bad byte on
// a bad continuation).
unsigned utf8_next(std::string_view s, uint32_t* c, size_t* len) {
  const auto lead = static_cast<unsigned char>(s[0]);
  *c = lead;
  *len = 1;
  if (lead < 0x80) return kUtf8Ok;
  if (lead < 0xc0 || lead >= 0xfe) return kBadSeq;
  // The bytes that follow: 1 for 110xxxxx up to 5 for 1111110x.
  size_t dec = 1;
  while (dec < 5 && (lead & (0x40 >> dec))) ++dec;
  *c = lead & (0x3f >> dec);
  if (s.size() < dec + 1) {
    *c = lead;
    return kBadSeq;
  }
  for (size_t i = 1; i <= dec; ++i, ++*len) {
    const auto b = static_cast<unsigned char>(s[i]);
    if ((b & 0xc0) != 0x80) return kBadSeq;
    *c = (*c << 6) | (b & 0x3f);
  }
  unsigned code = kUtf8Ok;
  const uint32_t v = *c;
  if ((v <= 0x7f && *len > 1) || (v >= 0x80 && v <= 0x7ff && *len > 2) ||
      (v >= 0x800 && v <= 0xffff && *len > 3) || (v >= 0x10000 && v <= 0x1fffff && *len > 4))
    code |= kOverlong;
  if ((v >= 0xd800 && v <= 0xdfff) || v == 0xfffe || v == 0xffff) code |= kInvRange;
  return code;
}

// Reads the next character as `mode` says. Returns: 1 to escape *c, 0 to
// skip it, -1 to fail the conversion.
int json_next(std::string_view s, int64_t mode, uint32_t* c, size_t* len) {
  if (mode == kAscii) {
    *c = static_cast<unsigned char>(s[0]);
    *len = 1;
    return 1;
  }
  const unsigned code = utf8_next(s, c, len);
  const unsigned fatal = mode == kUtf8p || mode == kUtf8ps ? (kInvRange | kBadSeq) : ~0u;
  if (code & fatal) return mode == kUtf8 || mode == kUtf8p ? -1 : 0;
  if (*c > 0xffff) return mode == kUtf8 || mode == kUtf8p ? -1 : 0;
  return 1;
}

// The JSON escape of `c` into `out` (at most 6 bytes). Returns: its length.
size_t json_escape(uint32_t c, char* out) {
  static constexpr std::string_view kShort = "\"\"\\\\//\bb\ff\rr\nn\tt";
  for (size_t i = 0; i < kShort.size(); i += 2) {
    if (c == static_cast<unsigned char>(kShort[i])) {
      out[0] = '\\', out[1] = kShort[i + 1];
      return 2;
    }
  }
  if (c >= 0x20 && c < 0x7f) {
    out[0] = char(c);
    return 1;
  }
  std::snprintf(out, 7, "\\u%04x", unsigned(c & 0xffff));
  return 6;
}

bool conv_json(const Arg* a, size_t n, Sample& smp, FetchContext&) {
  const int64_t mode = n > 0 ? a[0].sint : kAscii;
  std::string_view s = smp.str;
  Chunk c = next_chunk();
  size_t o = 0;
  while (!s.empty()) {
    uint32_t ch;
    size_t len;
    const int r = json_next(s, mode, &ch, &len);
    s.remove_prefix(len);
    if (r < 0) return false;
    if (r == 0) continue;
    char esc[7];
    const size_t e = json_escape(ch, esc);
    if (o + e > c.size) return false;
    std::memcpy(c.data + o, esc, e);
    o += e;
  }
  smp.set_str(std::string_view(c.data, o));
  return true;
}

bool check_json(const ConvDef&, std::vector<Arg>& args, std::string* err) {
  if (args.empty()) return true;
  static constexpr std::pair<std::string_view, JsonInput> kCodes[] = {
      {"", kAscii},      {"ascii", kAscii}, {"utf8", kUtf8},
      {"utf8s", kUtf8s}, {"utf8p", kUtf8p}, {"utf8ps", kUtf8ps}};
  for (const auto& [name, code] : kCodes) {
    if (args[0].str == name) {
      args[0].sint = code;
      return true;
    }
  }
  *err =
      "Unexpected input code type. Allowed value are 'ascii', 'utf8', 'utf8s', 'utf8p' and "
      "'utf8ps'";
  return false;
}

// A Host value's host and port: the port follows the last ':' unless a ']'
// closes an IPv6 literal after it.
void split_host(std::string_view v, std::string_view* host, std::string_view* port) {
  const size_t colon = v.rfind(':');
  if (colon == std::string_view::npos || v.find(']', colon) != std::string_view::npos) {
    *host = v, *port = {};
    return;
  }
  *host = v.substr(0, colon), *port = v.substr(colon + 1);
}

// host_only: the host, in lower case.
bool conv_host_only(const Arg*, size_t, Sample& smp, FetchContext&) {
  std::string_view host, port;
  split_host(smp.str, &host, &port);
  Chunk c = next_chunk();
  if (host.size() > c.size) return false;
  for (size_t i = 0; i < host.size(); ++i) c.data[i] = char(std::tolower(uint8_t(host[i])));
  smp.set_str(std::string_view(c.data, host.size()));
  return true;
}

// port_only: the port, 0 without one. Like HAProxy, each character counts
// as a digit without a check ("abc" is 5451).
bool conv_port_only(const Arg*, size_t, Sample& smp, FetchContext&) {
  std::string_view host, port;
  split_host(smp.str, &host, &port);
  uint64_t v = 0;
  for (char ch : port) v = v * 10 + uint64_t(int(uint8_t(ch)) - '0');
  smp.set_sint(int64_t(uint32_t(v)));
  return true;
}

// htonl: the integer as 4 bytes in network order (its low 32 bits).
bool conv_htonl(const Arg*, size_t, Sample& smp, FetchContext&) {
  Chunk c = next_chunk();
  if (c.size < 4) return false;
  const uint32_t v = uint32_t(smp.sint);
  for (int i = 0; i < 4; ++i) c.data[i] = char(v >> (24 - 8 * i));
  smp.set_bin(std::string_view(c.data, 4));
  return true;
}

const ConvDef kConverters[] = {
    {"host_only", {}, T::kStr, T::kStr, conv_host_only},
    {"port_only", {}, T::kStr, T::kSint, conv_port_only},
    {"htonl", {}, T::kSint, T::kBin, conv_htonl},
    {"hex2i", {}, T::kStr, T::kSint, conv_hex2i},
    {"be2dec", {1, {A::kStr, A::kSint, A::kSint}}, T::kBin, T::kStr, conv_be2dec, check_be2dec},
    {"be2hex", {0, {A::kStr, A::kSint, A::kSint}}, T::kBin, T::kStr, conv_be2hex, check_be2hex},
    {"ub64enc", {}, T::kBin, T::kStr, conv_ub64enc},
    {"ub64dec", {}, T::kStr, T::kBin, conv_ub64dec},
    {"url_enc", {0, {A::kStr}}, T::kStr, T::kStr, conv_url_enc, check_url_enc},
    {"json", {0, {A::kStr}}, T::kStr, T::kStr, conv_json, check_json},
};

int b64_value(char ch) {
  const char* p = ch ? std::strchr(kB64, ch) : nullptr;
  return p ? int(p - kB64) : -1;
}

}  // namespace

long base64_decode(std::string_view in, char* out, size_t cap) {
  if (in.size() % 4 != 0 || in.size() / 4 * 3 > cap) return -1;
  long o = 0;
  for (size_t i = 0; i < in.size(); i += 4) {
    uint32_t w = 0;
    int pad = 0;
    for (size_t k = 0; k < 4; ++k) {
      const char ch = in[i + k];
      const int v = ch == '=' ? 0 : b64_value(ch);
      if (v < 0 || (pad && ch != '=') || (ch == '=' && k == 0)) return -1;
      pad += ch == '=';
      w = w << 6 | uint32_t(v);
    }
    for (int k = 0; k < 3 - pad; ++k) out[o++] = char(w >> (16 - 8 * k));
  }
  return o;
}

long base64url_decode(std::string_view s, char* out, size_t cap) {
  const size_t pad = s.size() % 4 == 2 ? 2 : s.size() % 4 == 3 ? 1 : 0;
  if (s.size() % 4 == 1) return -1;
  if ((s.size() + pad) / 4 * 3 > cap) return -1;
  long o = 0;
  for (size_t i = 0; i < s.size(); i += 4) {
    uint32_t w = 0;
    for (size_t k = 0; k < 4; ++k) {
      const int v = i + k < s.size() ? b64url_value(s[i + k]) : 0;
      if (v < 0) return -1;
      w = w << 6 | uint32_t(v);
    }
    const size_t bytes = i + 4 <= s.size() ? 3 : 3 - pad;
    for (size_t k = 0; k < bytes; ++k) out[o++] = char(w >> (16 - 8 * k));
  }
  return o;
}

const ConvDef* find_text_converter(std::string_view name) {
  for (const ConvDef& c : kConverters)
    if (c.name == name) return &c;
  return nullptr;
}

}  // namespace hearth::expr
