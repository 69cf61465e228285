// Reads the input as distcc tokens, as distcc_body and distcc_param do, for
// a few tokens and occurrences: a body is always a view of the input, no
// longer than its parameter, and a prefix of an input where a token was
// found is never "not distcc".
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "expr/distcc.h"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hearth::expr;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  for (const char* name : {"DIST", "ARGC", "ARGV", "DOTI", "DONE"}) {
    for (uint32_t occ : {0u, 1u, 2u, 3u}) {
      DistccToken t;
      if (distcc_find(in, distcc_token(name), occ, &t) != HelloStatus::kOk) continue;
      check(t.body.empty() ||
            (t.body.data() >= in.data() && t.body.data() + t.body.size() <= in.data() + size));
      check(t.body.size() <= t.param);
      // A body cut short runs to the end of the input.
      if (!t.body_complete)
        check(t.body.size() < t.param && t.body.data() + t.body.size() == in.data() + size);
      for (size_t n = 0; n < size; n += 1 + n / 3) {
        DistccToken p;
        check(distcc_find(in.substr(0, n), distcc_token(name), occ, &p) != HelloStatus::kInvalid);
      }
    }
  }
  return 0;
}
