// Proxy options compared with HAProxy 2.6 on the same configuration: the
// order of balance static-rr, option allbackups, and the proxy ids ("id",
// else HAProxy's numbering) seen through fe_id / be_id.
#include <gtest/gtest.h>

#include "http_test_util.h"
#include "tcp_test_util.h"

namespace hearth::test::tcp {
namespace {

// The servers `n` sessions reach, one after the other, through `binary`.
std::string order(const std::string& binary, const std::string& backend, int n) {
  const uint16_t port = free_tcp_port();
  HearthProcess p(tcp_config(port, {.backend = backend}), options_for(binary, port));
  EXPECT_TRUE(p.ready()) << p.describe();
  std::string out;
  for (int i = 0; i < n; ++i) out += reach(port);
  return out;
}

TEST(ProxyOptions, StaticRrOrderMatchesHAProxy) {
  NameServer a("a"), b("b"), c("c");
  const std::string be = "    balance static-rr\n" + server_line("a", a.port(), "weight 3") +
                         server_line("b", b.port(), "weight 1") +
                         server_line("c", c.port(), "weight 2");
  const std::string hearth = order("", be, 12);
  EXPECT_EQ(hearth, order("haproxy", be, 12));
  EXPECT_EQ(hearth, "aacabcaacabc");
}

TEST(ProxyOptions, AllBackupsSharesTheLoadLikeHAProxy) {
  NameServer a("a"), b1("b1"), b2("b2");
  const std::string servers = server_line("a", a.port(), "disabled") +
                              server_line("b1", b1.port(), "backup") +
                              server_line("b2", b2.port(), "backup");
  for (const std::string binary : kBinaries) {
    // Without the option only the first backup serves.
    EXPECT_EQ(order(binary, servers, 4), "b1b1b1b1") << name_of(binary);
    EXPECT_EQ(order(binary, "    option allbackups\n" + servers, 4), "b1b2b1b2") << name_of(binary);
  }
}

TEST(ProxyOptions, ProxyIdsMatchHAProxy) {
  const uint16_t p1 = free_tcp_port(), p2 = free_tcp_port(), p3 = free_tcp_port();
  auto fe = [](const std::string& name, uint16_t port, const std::string& extra) {
    return "frontend " + name + "\n" + extra + "  bind 127.0.0.1:" + std::to_string(port) +
           "\n  http-request return status 200 content-type text/plain lf-string "
           "\"%[fe_id]\"\n";
  };
  const std::string cfg =
      "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n  timeout server 5s\n" +
      fe("f1", p1, "  id 5\n  description first one\n") + fe("f2", p2, "") +
      "backend b\n  id 3\n  http-request return status 200 content-type text/plain lf-string "
      "\"%[be_id]\"\n" +
      "frontend f3\n  bind 127.0.0.1:" + std::to_string(p3) + "\n  default_backend b\n";
  for (const std::string binary : kBinaries) {
    HearthOptions o{.wait_ports = {p1, p2, p3}};
    if (!binary.empty()) o.binary = binary, o.extra_args = {"-db"};
    HearthProcess p(cfg, o);
    ASSERT_TRUE(p.ready()) << p.describe();
    EXPECT_EQ(http::HttpClient(p1).request("GET", "/").body, "5") << name_of(binary);
    EXPECT_EQ(http::HttpClient(p2).request("GET", "/").body, "2") << name_of(binary);
    EXPECT_EQ(http::HttpClient(p3).request("GET", "/").body, "3") << name_of(binary);
  }
}

TEST(ProxyOptions, DisabledProxiesLikeHAProxy) {
  const uint16_t on = free_tcp_port(), off = free_tcp_port(), li = free_tcp_port();
  const std::string cfg =
      "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n  timeout server 5s\n"
      "frontend f1\n  bind 127.0.0.1:" +
      std::to_string(on) +
      "\n  use_backend b1 if { path /b1 }\n  default_backend b2\n"
      "frontend f2\n  disabled\n  bind 127.0.0.1:" +
      std::to_string(off) +
      "\n  http-request return status 200\n"
      "backend b1\n  disabled\n  http-request return status 200 content-type text/plain string b1\n"
      "backend b2\n  http-request return status 200 content-type text/plain string b2\n"
      "listen l3\n  disabled\n  bind 127.0.0.1:" +
      std::to_string(li) + "\n  http-request return status 200\n";
  for (const std::string binary : kBinaries) {
    HearthOptions o{.wait_ports = {on}};
    if (!binary.empty()) o.binary = binary, o.extra_args = {"-db"};
    HearthProcess p(cfg, o);
    ASSERT_TRUE(p.ready()) << p.describe();
    // A disabled backend answers as one without servers; switching does not
    // fall through to default_backend.
    EXPECT_EQ(http::HttpClient(on).request("GET", "/b1").status, 503) << name_of(binary);
    EXPECT_EQ(http::HttpClient(on).request("GET", "/x").body, "b2") << name_of(binary);
    // Disabled frontends and listens open no listener.
    EXPECT_EQ(connect_tcp(off, milliseconds{1000}), -1) << name_of(binary);
    EXPECT_EQ(connect_tcp(li, milliseconds{1000}), -1) << name_of(binary);
  }
}

}  // namespace
}  // namespace hearth::test::tcp
