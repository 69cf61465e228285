#include "proxyproto/writer.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <string>

#include "proxyproto/header.h"

namespace hearth::proxyproto {
namespace {

sockaddr_storage v4(const char* ip, uint16_t port) {
  sockaddr_storage ss{};
  auto* a = reinterpret_cast<sockaddr_in*>(&ss);
  a->sin_family = AF_INET;
  inet_pton(AF_INET, ip, &a->sin_addr);
  a->sin_port = htons(port);
  return ss;
}

sockaddr_storage v6(const char* ip, uint16_t port) {
  sockaddr_storage ss{};
  auto* a = reinterpret_cast<sockaddr_in6*>(&ss);
  a->sin6_family = AF_INET6;
  inet_pton(AF_INET6, ip, &a->sin6_addr);
  a->sin6_port = htons(port);
  return ss;
}

const sockaddr* sa(const sockaddr_storage& s) { return reinterpret_cast<const sockaddr*>(&s); }

std::string line(const sockaddr* s, const sockaddr* d) {
  char buf[kMaxV1Line + 1];
  const size_t n = write_v1(s, d, buf, sizeof buf);
  return std::string(buf, n);
}

TEST(ProxyWriter, V1) {
  const auto s4 = v4("192.0.2.1", 1234), d4 = v4("198.51.100.2", 80);
  const auto s6 = v6("2001:db8::1", 5), d6 = v6("2001:db8::2", 443);
  EXPECT_EQ(line(sa(s4), sa(d4)), "PROXY TCP4 192.0.2.1 198.51.100.2 1234 80\r\n");
  EXPECT_EQ(line(sa(s6), sa(d6)), "PROXY TCP6 2001:db8::1 2001:db8::2 5 443\r\n");
  EXPECT_EQ(line(sa(s4), sa(d6)), "PROXY TCP6 ::ffff:192.0.2.1 2001:db8::2 1234 443\r\n");
  EXPECT_EQ(line(nullptr, sa(d4)), "PROXY UNKNOWN\r\n");
  // The longest line fits the protocol's limit, and a short buffer is refused.
  const auto l1 = v6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 65535);
  EXPECT_EQ(line(sa(l1), sa(l1)).size(), 104u);
  char small[10];
  EXPECT_EQ(write_v1(sa(s4), sa(d4), small, sizeof small), 0u);
}

TEST(ProxyWriter, V2RoundTripWithTlvsAndCrc) {
  const auto s4 = v4("192.0.2.1", 1234), d4 = v4("198.51.100.2", 80);
  uint8_t buf[512];
  V2Writer w(buf, sizeof buf);
  w.begin(sa(s4), sa(d4));
  w.add(kTlvAuthority, "www.example.com");
  const size_t ssl = w.open(kTlvSsl);
  const uint8_t client[5] = {0x01, 0, 0, 0, 0};
  w.put(client, sizeof client);
  w.add(kTlvSslVersion, "TLSv1.3");
  w.close(ssl);
  w.add(kTlvUniqueId, "id-42");
  const size_t n = w.finish(/*crc=*/true);
  ASSERT_GT(n, 16u);
  Header h;
  ASSERT_EQ(parse(buf, n, &h), ParseStatus::kDone);  // the parser checks the CRC too
  EXPECT_EQ(h.length, n);
  EXPECT_EQ(h.authority, "www.example.com");
  EXPECT_EQ(h.unique_id, "id-42");
  EXPECT_EQ(reinterpret_cast<const sockaddr_in&>(h.src).sin_port, htons(1234));
  buf[20] ^= 0x40;
  EXPECT_EQ(parse(buf, n, &h), ParseStatus::kInvalid);
}

TEST(ProxyWriter, V2MixedAndLocal) {
  const auto s4 = v4("192.0.2.1", 1), d6 = v6("2001:db8::2", 2);
  uint8_t buf[128];
  V2Writer w(buf, sizeof buf);
  w.begin(sa(s4), sa(d6));
  size_t n = w.finish(false);
  ASSERT_EQ(n, 16u + 36);
  EXPECT_EQ(buf[13], 0x21);
  Header h;
  ASSERT_EQ(parse(buf, n, &h), ParseStatus::kDone);
  char ip[INET6_ADDRSTRLEN];
  inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(h.src).sin6_addr, ip, sizeof ip);
  EXPECT_STREQ(ip, "::ffff:192.0.2.1");

  w.begin(nullptr, nullptr);
  n = w.finish(false);
  ASSERT_EQ(n, 16u);
  EXPECT_EQ(buf[12], 0x20);  // LOCAL
  ASSERT_EQ(parse(buf, n, &h), ParseStatus::kDone);
  EXPECT_TRUE(h.local);
}

TEST(ProxyWriter, V2Overflow) {
  const auto s4 = v4("192.0.2.1", 1);
  uint8_t buf[40];
  V2Writer w(buf, sizeof buf);
  w.begin(sa(s4), sa(s4));
  w.add(kTlvAuthority, std::string(100, 'a'));
  EXPECT_EQ(w.finish(true), 0u);
}

}  // namespace
}  // namespace hearth::proxyproto
