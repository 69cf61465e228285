#pragma once
// Typed samples (HAProxy manual 7.3): what a fetch returns and a converter
// transforms, and the casts between their types. A sample's bytes are views:
// into the message a fetch read, into the configuration, or into one of the
// calling thread's scratch chunks, where converters write what they compute.
// Pure code: no allocation once a thread's chunks exist.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace hearth::expr {

enum class SmpType : uint8_t { kAny, kBool, kSint, kAddr, kIpv4, kIpv6, kStr, kBin, kMeth };
constexpr int kSmpTypes = 9;

// Returns: the type's name as HAProxy's manual writes it ("str", "sint", ...).
const char* type_name(SmpType t);

// HTTP methods as a sample knows them; any other method keeps its name.
enum class Meth : uint8_t { kOptions, kGet, kHead, kPost, kPut, kDelete, kTrace, kConnect, kOther };
// Returns: the method of `name` (case-sensitive, as methods are), or kOther.
Meth meth_of(std::string_view name);
const char* meth_name(Meth m);  // "" for kOther

struct Sample {
  SmpType type = SmpType::kAny;
  int64_t sint = 0;             // kBool (0 or 1), kSint; kMeth: the Meth
  unsigned char addr[16] = {};  // kIpv4: 4 bytes, kIpv6: 16 bytes, network order
  std::string_view str;         // kStr, kBin; kMeth: the name when kOther
  bool may_change = false;      // the fetch could give another answer later

  void set_bool(bool b) { type = SmpType::kBool, sint = b; }
  void set_sint(int64_t v) { type = SmpType::kSint, sint = v; }
  void set_str(std::string_view s) { type = SmpType::kStr, str = s; }
  void set_bin(std::string_view s) { type = SmpType::kBin, str = s; }
  void set_ipv4(const void* a);  // 4 bytes, network order
  void set_ipv6(const void* a);  // 16 bytes
  void set_meth(Meth m, std::string_view name) {
    type = SmpType::kMeth, sint = int64_t(m), str = m == Meth::kOther ? name : std::string_view();
  }
};

// Returns: true if a sample of type `from` can be cast to `to` (HAProxy's
// cast matrix; kAny on either side always can).
bool can_cast(SmpType from, SmpType to);
// Casts `s` to `to` in place, as HAProxy does: a string to an integer reads
// its leading digits (saturating), to an IPv4 its leading digits and dots; a
// binary to a string ends at its first NUL. Returns: false if the types do not
// cast or the value does not (a string that is no address, an IPv6 that is
// not ::ffff:a.b.c.d to an IPv4).
bool cast(Sample& s, SmpType to);

// A thread's scratch chunks: converters write results here. Four rotate, so
// a chain's input is never the chunk its converter writes.
struct Chunk {
  char* data;
  size_t size;  // capacity
};
Chunk next_chunk();
// Sets the chunk size (tune.bufsize) for chunks made after the call.
void set_chunk_size(size_t n);

// Returns: the value of hexadecimal digit `c` (either case), or -1.
int hex_digit(char c);

// Address helpers shared by casts, matchers and converters.
// Returns: true and the 4 bytes of a dotted IPv4 address (also the short
// forms "10.12" = 10.0.0.12 that the manual allows in patterns when `short_ok`).
bool parse_ipv4(std::string_view s, unsigned char out[4], bool short_ok = false);
bool parse_ipv6(std::string_view s, unsigned char out[16]);
// Returns: true and the IPv4 inside an IPv6 address in ::ffff:a.b.c.d,
// ::a.b.c.d or 6to4 2002:a.b.c.d::/48 form: how an IPv6 sample matches an
// IPv4 pattern (manual 7.1.6). A cast to IPv4 only takes ::ffff:a.b.c.d.
bool ipv6_to_ipv4(const unsigned char v6[16], unsigned char out[4]);
void ipv4_to_ipv6(const unsigned char v4[4], unsigned char out[16]);  // ::ffff:a.b.c.d

}  // namespace hearth::expr
