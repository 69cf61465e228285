// Reads the input as the first bytes of an RDP client, as req.rdp_cookie
// does, with and without a cookie name: a value is always a view of the
// input, and a prefix of a request with a cookie is never a definite "no".
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "expr/rdp_cookie.h"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hearth::expr;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  for (std::string_view name : {std::string_view(), std::string_view("mstshash")}) {
    std::string_view v;
    if (rdp_cookie(in, name, &v) != HelloStatus::kOk) continue;
    check(v.data() >= in.data() && v.data() + v.size() <= in.data() + in.size());
    for (size_t n = 0; n < size; n += 1 + n / 4) {
      std::string_view v2;
      check(rdp_cookie(in.substr(0, n), name, &v2) != HelloStatus::kInvalid);
    }
  }
  return 0;
}
