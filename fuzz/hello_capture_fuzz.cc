// Reads the input as a ClientHello handshake message into a capture buffer
// whose size is the input's first byte: what is captured must stay inside
// the buffer and, for the cipher list, be a prefix of the message's list.
#include <cstddef>
#include <cstdint>
#include <new>
#include <string_view>
#include <vector>

#include "net/hello_capture.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const size_t cap = data[0];
  const std::string_view msg(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::vector<unsigned char> block(sizeof(hearth::net::HelloCapture) + cap);
  auto* c = new (block.data()) hearth::net::HelloCapture;
  const bool ok = hearth::net::fill_hello_capture(msg, cap, c);
  const size_t total =
      c->ciphers().size() + c->extensions().size() + c->groups().size() + c->formats().size();
  if (total > cap || (!ok && total != 0)) __builtin_trap();
  if (ok && msg.find(c->ciphers()) == std::string_view::npos) __builtin_trap();
  return 0;
}
