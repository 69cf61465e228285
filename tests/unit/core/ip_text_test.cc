#include "core/ip_text.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace hearth {
namespace {

std::string text(int af, const char* ip) {
  unsigned char bytes[16];
  EXPECT_EQ(inet_pton(af, ip, bytes), 1) << ip;
  char out[kIpTextMax];
  const size_t n = ip_to_text(af, bytes, out);
  EXPECT_EQ(n, strlen(out));
  return std::string(out, n);
}

TEST(IpText, Ipv4MatchesInetNtopForEveryDigitCount) {
  for (const char* ip : {"0.0.0.0", "1.2.3.4", "10.20.30.40", "100.200.250.255", "255.255.255.255",
                         "127.0.0.1", "9.99.100.109"})
    EXPECT_EQ(text(AF_INET, ip), ip);
  // Every byte value, compared with libc.
  for (unsigned v = 0; v < 256; ++v) {
    unsigned char b[4] = {static_cast<unsigned char>(v), 0, static_cast<unsigned char>(255 - v),
                          static_cast<unsigned char>(v)};
    char ours[kIpTextMax], libc[INET_ADDRSTRLEN];
    ip_to_text(AF_INET, b, ours);
    inet_ntop(AF_INET, b, libc, sizeof libc);
    EXPECT_STREQ(ours, libc);
  }
}

TEST(IpText, Ipv6UsesTheCanonicalForm) {
  EXPECT_EQ(text(AF_INET6, "2001:db8:0:0:0:0:0:1"), "2001:db8::1");
  EXPECT_EQ(text(AF_INET6, "::ffff:10.0.0.1"), "::ffff:10.0.0.1");
  EXPECT_EQ(text(AF_INET6, "::"), "::");
}

TEST(IpText, OtherFamiliesGiveNothing) {
  unsigned char b[16] = {};
  char out[kIpTextMax];
  EXPECT_EQ(ip_to_text(AF_UNIX, b, out), 0u);
}

}  // namespace
}  // namespace hearth
