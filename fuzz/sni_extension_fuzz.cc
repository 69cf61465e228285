// Reads the input as the body of a ClientHello server_name extension: the
// name found, if any, lies inside the input and is what its length says.
// Then as a signature_algorithms body: read within its bounds (ASan), and
// malformed only when shorter than its length field.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "net/cert_names.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view host = hearth::net::sni_from_extension(data, size);
  if (!host.empty()) {
    const auto* p = reinterpret_cast<const uint8_t*>(host.data());
    if (p < data + 5 || p + host.size() > data + size) __builtin_trap();
    if (size_t(p[-2] << 8 | p[-1]) != host.size() || p[-3] != 0) __builtin_trap();
  }
  bool rsa = true, ecdsa = true;
  const bool ok = hearth::net::sigalgs_from_extension(data, size, &rsa, &ecdsa);
  if (ok != (size >= 2) || (!ok && (rsa || ecdsa))) __builtin_trap();
  return 0;
}
