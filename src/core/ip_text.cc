#include "core/ip_text.h"

#include <arpa/inet.h>

#include <cstdint>
#include <cstring>

namespace hearth {

size_t ip_to_text(int af, const void* addr, char* out) {
  if (af == AF_INET) {
    const auto* b = static_cast<const uint8_t*>(addr);
    char* p = out;
    for (int i = 0; i < 4; ++i) {
      unsigned v = b[i];
      if (v >= 100) *p++ = char('0' + v / 100);
      if (v >= 10) *p++ = char('0' + v / 10 % 10);
      *p++ = char('0' + v % 10);
      if (i < 3) *p++ = '.';
    }
    *p = '\0';
    return size_t(p - out);
  }
  if (af == AF_INET6 && inet_ntop(AF_INET6, addr, out, kIpTextMax)) return strlen(out);
  return 0;
}

}  // namespace hearth
