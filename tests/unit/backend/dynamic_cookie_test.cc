// Dynamic cookies: the values HAProxy 2.6 shows (show stat's cookie column)
// for the same key and addresses, and the refresh the runtime API drives.
#include "backend/dynamic_cookie.h"

#include <gtest/gtest.h>

#include <memory>

namespace hearth::backend {
namespace {

net::Address addr(const char* text) {
  std::string err;
  auto a = net::Address::parse(text, &err);
  EXPECT_TRUE(a) << err;
  return a ? *a : net::Address{};
}

TEST(DynamicCookie, SameValuesAsHAProxy) {
  EXPECT_EQ(dynamic_cookie("SeCrEt", addr("[::1]:8080")), "d3d6fd2bb69cf2e8");
  EXPECT_EQ(dynamic_cookie("SeCrEt", addr("10.1.2.3:443")), "11c514ed235df21f");
  EXPECT_EQ(dynamic_cookie("SeCrEt", addr("127.0.0.1:0")), "9f4e5d8860df1247");
  EXPECT_EQ(dynamic_cookie("k", addr("127.0.0.1:9101")), "631d378e57b01d72");
  EXPECT_EQ(dynamic_cookie("k", net::Address{}), "");
}

TEST(DynamicCookie, RefreshLeavesConfiguredValuesAndWarnsOnCollisions) {
  Backend be("app", config::BalanceAlgo::kRoundRobin, 2);
  for (const char* a : {"127.0.0.1:9101", "127.0.0.1:9101", "127.0.0.1:9102"}) {
    auto s = std::make_unique<Server>();
    s->name = std::string("s") + std::to_string(be.servers().size() + 1);
    s->set_address(addr(a));
    be.add_server(std::move(s));
  }
  be.servers()[2]->set_cookie("mine");
  be.servers()[2]->cookie_from_config = true;
  EXPECT_TRUE(refresh_dynamic_cookies(be).empty());  // off: nothing to compute
  EXPECT_EQ(be.servers()[0]->cookie(), "");
  be.dyn_cookie.enabled = true;
  be.dyn_cookie.key = "k";
  const auto warnings = refresh_dynamic_cookies(be);
  ASSERT_EQ(warnings.size(), 1u);  // s2 has s1's address and port
  EXPECT_NE(warnings[0].find("'app/s2'"), std::string::npos) << warnings[0];
  EXPECT_EQ(be.servers()[0]->cookie(), "631d378e57b01d72");
  EXPECT_EQ(be.servers()[2]->cookie(), "mine");
  be.dyn_cookie.enabled = false;
  refresh_dynamic_cookies(be);
  EXPECT_EQ(be.servers()[0]->cookie(), "");
  EXPECT_EQ(be.servers()[2]->cookie(), "mine");
}

}  // namespace
}  // namespace hearth::backend
