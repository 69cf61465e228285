// Feeds the input to the answer readers of run-time resolution (c-ares's
// record parsers behind parse_host_answer / parse_srv_answer), then lets the
// address choice pick from what came out. Any byte string must be read or
// refused without a crash, and a valid answer's addresses must be IPv4 or
// IPv6 with port 0.
#include <arpa/inet.h>
#include <arpa/nameser.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "dns/address_choice.h"
#include "dns/resolution.h"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hearth::dns;
  if (size > 65535) return 0;
  const int len = int(size);
  for (int type : {ns_t_a, ns_t_aaaa}) {
    std::vector<hearth::net::Address> addrs;
    if (parse_host_answer(type, data, len, &addrs) == QueryStatus::kValid) {
      check(!addrs.empty());
      for (const auto& a : addrs)
        check((a.family() == AF_INET || a.family() == AF_INET6) && a.port() == 0);
      hearth::config::ResolveNet net;
      net.family = AF_INET;
      net.prefix = 8;
      net.addr[0] = 10;
      const int i = choose_address(addrs, hearth::config::ResolveFamily::kIpv4, {net},
                                   &addrs.back(), nullptr);
      check(i >= 0 && i < int(addrs.size()));
    }
  }
  std::vector<SrvRecord> srv;
  if (parse_srv_answer(data, len, &srv) == QueryStatus::kValid) check(!srv.empty());
  return 0;
}
