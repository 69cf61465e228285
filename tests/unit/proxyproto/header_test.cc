#include "proxyproto/header.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <string>

#include "proxyproto/crc32c.h"

namespace hearth::proxyproto {
namespace {

using S = ParseStatus;

S run(const std::string& in, Header* h) {
  return parse(reinterpret_cast<const uint8_t*>(in.data()), in.size(), h);
}

S run(const std::string& in) {
  Header h;
  return run(in, &h);
}

std::string ip_of(const sockaddr_storage& a) {
  char buf[INET6_ADDRSTRLEN] = "";
  if (a.ss_family == AF_INET)
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(a).sin_addr, buf, sizeof buf);
  else if (a.ss_family == AF_INET6)
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(a).sin6_addr, buf, sizeof buf);
  return buf;
}

int port_of(const sockaddr_storage& a) {
  return a.ss_family == AF_INET ? ntohs(reinterpret_cast<const sockaddr_in&>(a).sin_port)
                                : ntohs(reinterpret_cast<const sockaddr_in6&>(a).sin6_port);
}

// Every proper prefix of a valid header is incomplete, never an error.
void expect_prefixes_incomplete(const std::string& whole) {
  for (size_t n = 0; n < whole.size(); ++n)
    EXPECT_EQ(run(whole.substr(0, n)), S::kIncomplete) << "prefix of " << n << " bytes";
}

TEST(ProxyV1, Tcp4) {
  const std::string hdr = "PROXY TCP4 192.168.0.1 10.0.0.2 56324 443\r\n";
  Header h;
  ASSERT_EQ(run(hdr + "GET / HTTP/1.1\r\n", &h), S::kDone);
  EXPECT_EQ(h.version, 1);
  EXPECT_FALSE(h.local);
  EXPECT_EQ(h.length, hdr.size());
  EXPECT_EQ(ip_of(h.src), "192.168.0.1");
  EXPECT_EQ(ip_of(h.dst), "10.0.0.2");
  EXPECT_EQ(port_of(h.src), 56324);
  EXPECT_EQ(port_of(h.dst), 443);
  expect_prefixes_incomplete(hdr);
}

TEST(ProxyV1, Tcp6) {
  const std::string hdr = "PROXY TCP6 2001:db8::1 ::ffff:10.0.0.2 1 65535\r\n";
  Header h;
  ASSERT_EQ(run(hdr, &h), S::kDone);
  EXPECT_EQ(ip_of(h.src), "2001:db8::1");
  EXPECT_EQ(ip_of(h.dst), "::ffff:10.0.0.2");
  EXPECT_EQ(port_of(h.dst), 65535);
  expect_prefixes_incomplete(hdr);
}

TEST(ProxyV1, UnknownKeepsTheSocketAddresses) {
  Header h;
  ASSERT_EQ(run("PROXY UNKNOWN\r\nrest", &h), S::kDone);
  EXPECT_TRUE(h.local);
  EXPECT_EQ(h.length, 15u);
  expect_prefixes_incomplete("PROXY UNKNOWN\r\n");
}

TEST(ProxyV1, LeniencyHAProxyHasToo) {
  // Leading zeros in a dotted quad and a port, and port 0 (HAProxy 2.6 accepts them).
  Header h;
  ASSERT_EQ(run("PROXY TCP4 001.002.003.004 5.6.7.8 01 0\r\n", &h), S::kDone);
  EXPECT_EQ(ip_of(h.src), "1.2.3.4");
  EXPECT_EQ(port_of(h.src), 1);
  EXPECT_EQ(port_of(h.dst), 0);
}

TEST(ProxyV1, Malformed) {
  const char* bad[] = {
      "PROXY TCP4 1.2.3.4  5.6.7.8 1 2\r\n",      // two spaces
      "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n",      // trailing space
      "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n",         // bare LF
      "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\rx",        // CR not followed by LF
      "PROXY TCP4 1.2.3.4 5.6.7.8 1 65536\r\n",   // port out of range
      "PROXY TCP4 1.2.3.4 5.6.7.8 1 123456\r\n",  // six digits
      "PROXY TCP4 1.2.3.4 5.6.7.8 -1 2\r\n",      // sign
      "PROXY TCP4 1.2.3.4 5.6.7.8  2\r\n",        // empty port
      "PROXY TCP4 1.2.3.256 5.6.7.8 1 2\r\n",     // octet above 255
      "PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n",         // three octets
      "PROXY TCP4 1.2.3.4.5 5.6.7.8 1 2\r\n",     // five octets
      "PROXY TCP4 1..3.4 5.6.7.8 1 2\r\n",        // empty octet
      "PROXY TCP4 0001.2.3.4 5.6.7.8 1 2\r\n",    // four digits
      "PROXY TCP4 ::1 5.6.7.8 1 2\r\n",           // IPv6 under TCP4
      "PROXY TCP6 1.2.3.4 5.6.7.8 1 2\r\n",       // IPv4 under TCP6
      "PROXY TCP6 2001:db8::g 2001:db8::1 1 2\r\n",
      "PROXY TCP6 2001:db8:::1 2001:db8::1 1 2\r\n",
      "PROXY TCP4 1.2.3.4\r\n",  // addresses missing
      "PROXY TCP4  1.2.3.4 5.6.7.8 1 2\r\n",
  };
  for (const char* b : bad) EXPECT_EQ(run(b), S::kInvalid) << b;
}

TEST(ProxyV1, UnknownProtocol) {
  EXPECT_EQ(run("PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n"), S::kBadProtocol);
  EXPECT_EQ(run("PROXY UDP4 1.2.3.4 5.6.7.8 1 2\r\n"), S::kBadProtocol);
  // HAProxy 2.6 takes UNKNOWN only as the whole line.
  EXPECT_EQ(run("PROXY UNKNOWN 1.2.3.4 5.6.7.8 1 2\r\n"), S::kBadProtocol);
  EXPECT_EQ(run("PROXY tcp4 1.2.3.4 5.6.7.8 1 2\r\n"), S::kBadProtocol);
}

TEST(ProxyV1, NotAHeader) {
  EXPECT_EQ(run("GET / HTTP/1.1\r\n"), S::kNotHeader);
  EXPECT_EQ(run("PROXX TCP4"), S::kNotHeader);
  EXPECT_EQ(run("proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n"), S::kNotHeader);
  EXPECT_EQ(run("\x16\x03\x01\x02\x00"), S::kNotHeader);  // a TLS ClientHello
  EXPECT_EQ(run("PROXY\r\n"), S::kNotHeader);
}

TEST(ProxyV1, LineLongerThanTheLimitNeverEnds) {
  // 107 bytes without CRLF: no valid line can follow.
  std::string s = "PROXY TCP6 ";
  const std::string longest = s + "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff " +
                              "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n";
  ASSERT_EQ(longest.size(), 104u);  // the longest TCP line (107 counts UNKNOWN with addresses)
  EXPECT_EQ(run(longest), S::kDone);
  EXPECT_EQ(run("PROXY UNKNOWN" + std::string(100, 'x') + "\r\n"), S::kBadProtocol);
  EXPECT_EQ(run("PROXY TCP4 1.2.3.4 5.6.7.8 1 2" + std::string(120, ' ')), S::kInvalid);
}

// A v2 header: command byte, family byte, body.
std::string v2(uint8_t cmd, uint8_t fam, const std::string& body) {
  std::string s(reinterpret_cast<const char*>(kV2Signature), 12);
  s.push_back(char(cmd));
  s.push_back(char(fam));
  s.push_back(char(body.size() >> 8));
  s.push_back(char(body.size() & 0xFF));
  return s + body;
}

const std::string kAddr4("\x7F\x00\x00\x01\x0A\x00\x00\x02\x00\x2A\x05\x39", 12);

std::string tlv(uint8_t type, const std::string& v) {
  std::string s;
  s.push_back(char(type));
  s.push_back(char(v.size() >> 8));
  s.push_back(char(v.size() & 0xFF));
  return s + v;
}

TEST(ProxyV2, Tcp4WithTlvs) {
  const std::string hdr =
      v2(0x21, 0x11,
         kAddr4 + tlv(kTlvAuthority, "example.com") + tlv(kTlvUniqueId, "abc-1") +
             tlv(0xE0, "custom") + tlv(kTlvNoop, ""));
  Header h;
  const std::string in = hdr + "GET";  // h's views point into it
  ASSERT_EQ(run(in, &h), S::kDone);
  EXPECT_EQ(h.version, 2);
  EXPECT_FALSE(h.local);
  EXPECT_EQ(h.length, hdr.size());
  EXPECT_EQ(ip_of(h.src), "127.0.0.1");
  EXPECT_EQ(ip_of(h.dst), "10.0.0.2");
  EXPECT_EQ(port_of(h.src), 42);
  EXPECT_EQ(port_of(h.dst), 1337);
  EXPECT_EQ(h.authority, "example.com");
  EXPECT_EQ(h.unique_id, "abc-1");
  expect_prefixes_incomplete(hdr);
}

TEST(ProxyV2, Tcp6) {
  std::string body(36, '\0');
  body[15] = 1;                                  // ::1
  body[16] = char(0x20), body[17] = char(0x01);  // 2001::
  body[33] = 80, body[35] = 81;
  Header h;
  ASSERT_EQ(run(v2(0x21, 0x21, body), &h), S::kDone);
  EXPECT_EQ(ip_of(h.src), "::1");
  EXPECT_EQ(ip_of(h.dst), "2001::");
  EXPECT_EQ(port_of(h.src), 80);
  EXPECT_EQ(port_of(h.dst), 81);
}

TEST(ProxyV2, LocalKeepsTheSocketAddressesAndSkipsTheRest) {
  Header h;
  ASSERT_EQ(run(v2(0x20, 0x00, ""), &h), S::kDone);
  EXPECT_TRUE(h.local);
  EXPECT_EQ(h.length, 16u);
  // LOCAL with addresses and even a wrong CRC: nothing of it is read.
  ASSERT_EQ(run(v2(0x20, 0x11, kAddr4 + tlv(kTlvCrc32c, std::string(4, '\0'))), &h), S::kDone);
  EXPECT_TRUE(h.local);
  EXPECT_EQ(h.length, 16u + 12 + 7);
}

TEST(ProxyV2, Crc32c) {
  // The published check value of CRC32C.
  EXPECT_EQ(crc32c(reinterpret_cast<const uint8_t*>("123456789"), 9), 0xE3069283u);
  std::string hdr = v2(0x21, 0x11, kAddr4 + tlv(kTlvCrc32c, std::string(4, '\0')));
  const uint32_t c = crc32c(reinterpret_cast<const uint8_t*>(hdr.data()), hdr.size());
  hdr[hdr.size() - 4] = char(c >> 24);
  hdr[hdr.size() - 3] = char(c >> 16);
  hdr[hdr.size() - 2] = char(c >> 8);
  hdr[hdr.size() - 1] = char(c);
  EXPECT_EQ(run(hdr), S::kDone);
  hdr[20] ^= 1;  // an address bit flipped in transit
  EXPECT_EQ(run(hdr), S::kInvalid);
  EXPECT_EQ(run(v2(0x21, 0x11, kAddr4 + tlv(kTlvCrc32c, "abc"))), S::kInvalid);  // 3 bytes
}

TEST(ProxyV2, Malformed) {
  // A TLV longer than what is left (the reg-test's third case).
  EXPECT_EQ(run(v2(0x21, 0x11,
                   kAddr4 + std::string("\x02\x00\x0A"
                                        "12345",
                                        8))),
            S::kInvalid);
  // TLVs that do not end with the header (its fourth case): 3+4 of 8 bytes.
  EXPECT_EQ(run(v2(0x21, 0x11,
                   kAddr4 +
                       std::string("\x02\x00\x04"
                                   "1234",
                                   7) +
                       "x")),
            S::kInvalid);
  // Room for part of a TLV header only.
  EXPECT_EQ(run(v2(0x21, 0x11, kAddr4 + std::string("\x02\x00", 2))), S::kInvalid);
  // Addresses shorter than their family.
  EXPECT_EQ(run(v2(0x21, 0x11, kAddr4.substr(0, 8))), S::kInvalid);
  EXPECT_EQ(run(v2(0x21, 0x21, std::string(20, '\0'))), S::kInvalid);
  // Families HAProxy 2.6 refuses under PROXY: UNSPEC, UDP, UNIX.
  EXPECT_EQ(run(v2(0x21, 0x00, "")), S::kInvalid);
  EXPECT_EQ(run(v2(0x21, 0x12, kAddr4)), S::kInvalid);
  EXPECT_EQ(run(v2(0x21, 0x31, std::string(216, 'a'))), S::kInvalid);
  // Commands other than LOCAL and PROXY.
  EXPECT_EQ(run(v2(0x22, 0x11, kAddr4)), S::kInvalid);
  EXPECT_EQ(run(v2(0x2F, 0x11, kAddr4)), S::kInvalid);
  // TLV values past their limits.
  EXPECT_EQ(run(v2(0x21, 0x11, kAddr4 + tlv(kTlvAuthority, std::string(256, 'a')))), S::kInvalid);
  EXPECT_EQ(run(v2(0x21, 0x11, kAddr4 + tlv(kTlvUniqueId, std::string(129, 'a')))), S::kInvalid);
  EXPECT_EQ(run(v2(0x21, 0x11, kAddr4 + tlv(kTlvAuthority, std::string(255, 'a')))), S::kDone);
  EXPECT_EQ(run(v2(0x21, 0x11, kAddr4 + tlv(kTlvUniqueId, std::string(128, 'a')))), S::kDone);
  // Longer than Hearth takes, however much of it came.
  std::string big = v2(0x21, 0x11, kAddr4 + tlv(0xE0, std::string(kMaxHeader, 'a')));
  EXPECT_EQ(run(big.substr(0, 100)), S::kInvalid);
}

TEST(ProxyV2, NotAHeader) {
  std::string h = v2(0x21, 0x11, kAddr4);
  h[12] = 0x11;  // version 1 in binary form
  EXPECT_EQ(run(h), S::kNotHeader);
  h[12] = 0x31;
  EXPECT_EQ(run(h), S::kNotHeader);
  EXPECT_EQ(run(std::string("\r\n\r\nX", 5)), S::kNotHeader);
  EXPECT_EQ(run(std::string("\r\n\r\n\0\r\nQUIT\n", 12)), S::kIncomplete);
}

TEST(ProxyHeader, MessagesAreHAProxys) {
  EXPECT_STREQ(status_message(S::kNotHeader),
               "Received something which does not look like a PROXY protocol header");
  EXPECT_STREQ(status_message(S::kInvalid), "Received an invalid PROXY protocol header");
}

}  // namespace
}  // namespace hearth::proxyproto
