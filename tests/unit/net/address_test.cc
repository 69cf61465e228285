#include "net/address.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <cstddef>
#include <cstring>
#include <string>

namespace hearth::net {
namespace {

TEST(AddressTest, ParsesIpv4) {
  std::string err;
  auto a = Address::parse("10.1.2.3:8080", &err);
  ASSERT_TRUE(a.has_value()) << err;
  EXPECT_EQ(a->family(), AF_INET);
  EXPECT_EQ(a->port(), 8080);
  EXPECT_EQ(a->len, sizeof(sockaddr_in));
  EXPECT_EQ(a->str(), "10.1.2.3:8080");
  auto* sin = reinterpret_cast<const sockaddr_in*>(a->sa());
  EXPECT_EQ(ntohl(sin->sin_addr.s_addr), 0x0a010203u);
}

TEST(AddressTest, ParsesIpv6InBrackets) {
  std::string err;
  auto a = Address::parse("[::1]:443", &err);
  ASSERT_TRUE(a.has_value()) << err;
  EXPECT_EQ(a->family(), AF_INET6);
  EXPECT_EQ(a->port(), 443);
  EXPECT_EQ(a->len, sizeof(sockaddr_in6));
  EXPECT_EQ(a->str(), "[::1]:443");

  auto b = Address::parse("[2001:db8::42]:80", &err);
  ASSERT_TRUE(b.has_value()) << err;
  EXPECT_EQ(b->str(), "[2001:db8::42]:80");
}

TEST(AddressTest, EmptyOrStarHostMeansAnyIpv4) {
  std::string err;
  for (const char* text : {":80", "*:80", "0.0.0.0:80"}) {
    auto a = Address::parse(text, &err);
    ASSERT_TRUE(a.has_value()) << text << ": " << err;
    EXPECT_EQ(a->family(), AF_INET) << text;
    EXPECT_EQ(a->port(), 80) << text;
    EXPECT_EQ(a->str(), "0.0.0.0:80") << text;
  }
}

TEST(AddressTest, PortBounds) {
  std::string err;
  auto zero = Address::parse("127.0.0.1:0", &err);
  ASSERT_TRUE(zero.has_value());
  EXPECT_EQ(zero->port(), 0);
  auto max = Address::parse("127.0.0.1:65535", &err);
  ASSERT_TRUE(max.has_value());
  EXPECT_EQ(max->port(), 65535);
}

TEST(AddressTest, RejectsBadPorts) {
  for (const char* text :
       {"127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:http", "127.0.0.1:80x",
        "127.0.0.1:", "127.0.0.1: 80", "127.0.0.1:+80", "127.0.0.1:99999999999", "[::1]:70000"}) {
    std::string err;
    auto a = Address::parse(text, &err);
    EXPECT_FALSE(a.has_value()) << text;
    EXPECT_EQ(err, "expects a port between 0 and 65535") << text;
  }
}

TEST(AddressTest, RejectsMissingPort) {
  std::string err;
  EXPECT_FALSE(Address::parse("127.0.0.1", &err).has_value());
  EXPECT_NE(err.find("port is required"), std::string::npos) << err;
  err.clear();
  EXPECT_FALSE(Address::parse("", &err).has_value());
  EXPECT_FALSE(err.empty());
}

TEST(AddressTest, RejectsMalformedBrackets) {
  for (const char* text : {"[::1]", "[::1]80", "[::1", "[::1]:"}) {
    std::string err;
    EXPECT_FALSE(Address::parse(text, &err).has_value()) << text;
    EXPECT_FALSE(err.empty()) << text;
  }
}

TEST(AddressTest, FromCopiesSockaddr) {
  sockaddr_in sin{};
  sin.sin_family = AF_INET;
  sin.sin_port = htons(1234);
  sin.sin_addr.s_addr = htonl(0x7f000001);
  Address a = Address::from(reinterpret_cast<sockaddr*>(&sin), sizeof sin);
  EXPECT_EQ(a.str(), "127.0.0.1:1234");
  EXPECT_EQ(a.len, sizeof sin);
}

TEST(AddressTest, IpHashIgnoresPortAndDiffersByIp) {
  std::string err;
  auto a = Address::parse("192.168.1.1:80", &err);
  auto b = Address::parse("192.168.1.1:9999", &err);
  auto c = Address::parse("192.168.1.2:80", &err);
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->ip_hash(), b->ip_hash());
  EXPECT_NE(a->ip_hash(), c->ip_hash());
}

TEST(AddressTest, ParseFdSpec) {
  EXPECT_EQ(parse_fd_spec("fd@0"), 0);
  EXPECT_EQ(parse_fd_spec("fd@3"), 3);
  EXPECT_EQ(parse_fd_spec("fd@1024"), 1024);
  EXPECT_FALSE(parse_fd_spec("fd@").has_value());
  EXPECT_FALSE(parse_fd_spec("fd@-1").has_value());
  EXPECT_FALSE(parse_fd_spec("fd@3x").has_value());
  EXPECT_FALSE(parse_fd_spec("fd@ 3").has_value());
  EXPECT_FALSE(parse_fd_spec("fd3").has_value());
  EXPECT_FALSE(parse_fd_spec("FD@3").has_value());
  EXPECT_FALSE(parse_fd_spec("127.0.0.1:80").has_value());
  EXPECT_FALSE(parse_fd_spec("").has_value());
}

TEST(AddressTest, UnixPathsAreInternedAndBuiltForTheSystemCalls) {
  std::string err;
  auto a = Address::parse("/tmp/hearth-test.sock", &err);
  ASSERT_TRUE(a.has_value()) << err;
  EXPECT_TRUE(a->is_unix());
  EXPECT_EQ(a->family(), AF_UNIX);
  EXPECT_EQ(a->unix_path(), "/tmp/hearth-test.sock");
  EXPECT_EQ(a->port(), 0);
  EXPECT_EQ(a->str(), "unix");  // as HAProxy's statistics show any UNIX socket
  EXPECT_EQ(a->describe(), "unix@/tmp/hearth-test.sock");
  // The path is not carried, but the pointer to it aligns the union on 8
  // bytes: 40 instead of 32 before UNIX addresses (an index would keep 32).
  EXPECT_LE(sizeof(Address), 40u);
  auto b = Address::parse("unix@/tmp/hearth-test.sock", &err);
  ASSERT_TRUE(b.has_value()) << err;
  EXPECT_EQ(b->ss.ux.path, a->ss.ux.path);  // one copy per path
  const NativeAddr n = a->native();
  const auto* un = reinterpret_cast<const sockaddr_un*>(n.sa());
  EXPECT_EQ(un->sun_family, AF_UNIX);
  EXPECT_STREQ(un->sun_path, "/tmp/hearth-test.sock");
  EXPECT_EQ(n.len, offsetof(sockaddr_un, sun_path) + 22);

  auto rel = Address::parse("unix@relative.sock", &err);
  ASSERT_TRUE(rel.has_value()) << err;
  EXPECT_EQ(rel->unix_path(), "relative.sock");
}

TEST(AddressTest, AbstractNamesFillTheWholePathAsHAProxy) {
  std::string err;
  auto a = Address::parse("abns@hearth-name", &err);
  ASSERT_TRUE(a.has_value()) << err;
  EXPECT_EQ(a->unix_path(), std::string_view("\0hearth-name", 12));
  EXPECT_EQ(a->describe(), "abns@hearth-name");
  const NativeAddr n = a->native();
  EXPECT_EQ(n.len, sizeof(sockaddr_un));
  const auto* un = reinterpret_cast<const sockaddr_un*>(n.sa());
  EXPECT_EQ(un->sun_path[0], '\0');
  EXPECT_EQ(std::string(un->sun_path + 1), "hearth-name");
  // Read back from the kernel (NUL padded): the same interned name.
  const Address back = Address::from(n.sa(), n.len);
  EXPECT_EQ(back.ss.ux.path, a->ss.ux.path);
}

TEST(AddressTest, UnixAddressErrors) {
  std::string err;
  EXPECT_FALSE(Address::parse("unix@", &err));
  EXPECT_EQ(err, "expects a socket path");
  EXPECT_FALSE(Address::parse("abns@", &err));
  EXPECT_EQ(err, "expects a name after 'abns@'");
  const std::string longest = "/" + std::string(106, 'a');  // 107 characters: fits
  EXPECT_TRUE(Address::parse(longest, &err)) << err;
  EXPECT_FALSE(Address::parse(longest + "b", &err));
  EXPECT_EQ(err, "socket path '" + longest + "b' is too long: at most 107 characters");
}

TEST(AddressTest, AcceptedUnixPeersAreUnnamedOrKnownPaths) {
  sockaddr_un un{};
  un.sun_family = AF_UNIX;
  const Address unnamed = Address::from(reinterpret_cast<sockaddr*>(&un), sizeof(sa_family_t));
  EXPECT_TRUE(unnamed.is_unix());
  EXPECT_EQ(unnamed.unix_path(), "");
  EXPECT_EQ(unnamed.describe(), "unix@(unnamed)");
  char ip[64];
  EXPECT_STREQ(unnamed.ip_str(ip, sizeof ip), "?");
  std::strcpy(un.sun_path, "/tmp/hearth-peer.sock");
  const Address named = Address::from(reinterpret_cast<sockaddr*>(&un), sizeof un);
  EXPECT_EQ(named.unix_path(), "/tmp/hearth-peer.sock");
  EXPECT_EQ(named.ss.ux.path, intern_unix_path("/tmp/hearth-peer.sock", /*only_known=*/true));
  EXPECT_EQ(intern_unix_path("/tmp/never-seen.sock", /*only_known=*/true), nullptr);
}

}  // namespace
}  // namespace hearth::net
