// Which address of an answer a server takes: family, resolve-net, the one
// it has, and the addresses other servers hold.
#include "dns/address_choice.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hearth::dns {
namespace {

using config::ResolveFamily;
using config::ResolveNet;

net::Address ip(const std::string& text) {
  std::string err;
  const bool v6 = text.find(':') != std::string::npos;
  return *net::Address::parse(v6 ? "[" + text + "]:0" : text + ":0", &err);
}

ResolveNet net_of(const std::string& text, int prefix) {
  ResolveNet n;
  n.family = text.find(':') != std::string::npos ? AF_INET6 : AF_INET;
  inet_pton(n.family, text.c_str(), n.addr);
  n.prefix = prefix;
  return n;
}

const std::vector<net::Address> kMixed = {ip("10.0.0.1"), ip("fd00::1"), ip("192.168.1.5"),
                                          ip("fd00::2")};

TEST(AddressChoice, PreferredFamilyFirstInAnswerOrder) {
  EXPECT_EQ(choose_address(kMixed, ResolveFamily::kIpv6, {}, nullptr, nullptr), 1);
  EXPECT_EQ(choose_address(kMixed, ResolveFamily::kIpv4, {}, nullptr, nullptr), 0);
  // Only the other family: taken anyway.
  EXPECT_EQ(choose_address({ip("10.0.0.1")}, ResolveFamily::kIpv6, {}, nullptr, nullptr), 0);
  EXPECT_EQ(choose_address({}, ResolveFamily::kIpv6, {}, nullptr, nullptr), -1);
}

TEST(AddressChoice, ResolveNetWithinTheFamily) {
  EXPECT_EQ(
      choose_address(kMixed, ResolveFamily::kIpv4, {net_of("192.168.0.0", 16)}, nullptr, nullptr),
      2);
  // The family outweighs the network.
  EXPECT_EQ(
      choose_address(kMixed, ResolveFamily::kIpv6, {net_of("192.168.0.0", 16)}, nullptr, nullptr),
      1);
  EXPECT_EQ(
      choose_address(kMixed, ResolveFamily::kIpv6, {net_of("fd00::2", 128)}, nullptr, nullptr), 3);
}

TEST(AddressChoice, KeepsTheCurrentAddressAmongEquals) {
  const net::Address cur = ip("fd00::2");
  EXPECT_EQ(choose_address(kMixed, ResolveFamily::kIpv6, {}, &cur, nullptr), 3);
  const net::Address gone = ip("fd00::9");
  EXPECT_EQ(choose_address(kMixed, ResolveFamily::kIpv6, {}, &gone, nullptr), 1);
}

TEST(AddressChoice, SkipsAddressesOtherServersHold) {
  auto taken = [](const net::Address& a) { return same_ip(a, ip("fd00::1")); };
  EXPECT_EQ(choose_address(kMixed, ResolveFamily::kIpv6, {}, nullptr, taken), 3);
  auto all = [](const net::Address&) { return true; };
  EXPECT_EQ(choose_address(kMixed, ResolveFamily::kIpv6, {}, nullptr, all), -1);
}

TEST(AddressChoice, NetworkMatching) {
  EXPECT_TRUE(in_net(ip("10.1.2.3"), net_of("10.0.0.0", 8)));
  EXPECT_FALSE(in_net(ip("11.1.2.3"), net_of("10.0.0.0", 8)));
  EXPECT_TRUE(in_net(ip("10.1.2.3"), net_of("10.1.2.0", 23)));
  EXPECT_FALSE(in_net(ip("10.1.4.3"), net_of("10.1.2.0", 23)));
  EXPECT_TRUE(in_net(ip("1.2.3.4"), net_of("0.0.0.0", 0)));
  EXPECT_FALSE(in_net(ip("fd00::1"), net_of("10.0.0.0", 8)));
  EXPECT_TRUE(in_net(ip("fd00::1"), net_of("fd00::", 8)));
}

}  // namespace
}  // namespace hearth::dns
