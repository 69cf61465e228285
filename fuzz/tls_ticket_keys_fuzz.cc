// Parses the input as a tls-ticket-keys file: what it accepts is at least
// three keys, all 48 or all 80 bytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/tls_ticket_keys.h"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hearth::config;
  std::string err;
  const std::vector<std::string> keys =
      parse_tls_ticket_keys(std::string_view(reinterpret_cast<const char*>(data), size), &err);
  if (keys.empty()) {
    check(!err.empty());
    return 0;
  }
  check(keys.size() >= kTlsTicketKeysInUse);
  for (const std::string& k : keys)
    check(k.size() == keys[0].size() && (k.size() == 48 || k.size() == 80));
  return 0;
}
