// Reads the input as the first bytes of a connection on an accept-proxy bind:
// every prefix is parsed, as bytes would arrive one by one. A header found is
// no longer than the input, its TLV views lie inside it, a prefix of a header
// is never already an error, and the header written back from its addresses
// parses again to the same addresses.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "proxyproto/header.h"
#include "proxyproto/writer.h"

namespace pp = hearth::proxyproto;

namespace {

bool inside(std::string_view v, const uint8_t* data, size_t size) {
  if (v.empty()) return true;
  const auto* p = reinterpret_cast<const uint8_t*>(v.data());
  return p >= data && p + v.size() <= data + size;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pp::Header h;
  const pp::ParseStatus whole = pp::parse(data, size, &h);
  if (whole == pp::ParseStatus::kDone) {
    if (h.length == 0 || h.length > size) __builtin_trap();
    if (!inside(h.authority, data, size) || !inside(h.unique_id, data, size)) __builtin_trap();
    if (h.authority.size() > pp::kMaxAuthority || h.unique_id.size() > pp::kMaxUniqueId)
      __builtin_trap();
    // Every shorter prefix only waits for more.
    pp::Header p;
    for (size_t n = 0; n < h.length; n += 1 + n / 8)
      if (pp::parse(data, n, &p) != pp::ParseStatus::kIncomplete) __builtin_trap();
    if (!h.local) {
      const auto* s = reinterpret_cast<const sockaddr*>(&h.src);
      const auto* d = reinterpret_cast<const sockaddr*>(&h.dst);
      uint8_t out[64];
      pp::V2Writer w(out, sizeof out);
      w.begin(s, d);
      const size_t n = w.finish(true);
      pp::Header back;
      if (n == 0 || pp::parse(out, n, &back) != pp::ParseStatus::kDone) __builtin_trap();
      if (back.src.ss_family != h.src.ss_family ||
          std::memcmp(&back.src, &h.src, sizeof h.src) != 0)
        __builtin_trap();
      char line[pp::kMaxV1Line + 1];
      const size_t l = pp::write_v1(s, d, line, sizeof line);
      if (l == 0 ||
          pp::parse(reinterpret_cast<const uint8_t*>(line), l, &back) != pp::ParseStatus::kDone)
        __builtin_trap();
    }
  }
  return 0;
}
