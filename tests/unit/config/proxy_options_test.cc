// The proxy options and keywords about sockets, splicing, load balancing and
// the proxy's identity: what each sets in the model, where it is accepted,
// and the errors for bad values.
#include <gtest/gtest.h>

#include "config/proxy_ids.h"
#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::dump;
using testing::has;
using testing::only_error;
using testing::parse;
using testing::parse_and_validate;

ParseResult in(const std::string& kind, const std::string& lines) {
  return parse(kind + " p\n" + lines);
}
const ProxyConfig& proxy(const ParseResult& r) { return r.config.proxies.at(0); }

TEST(ProxyOptions, TcpKeepAliveSides) {
  const ParseResult tcpka = in("listen", "  option tcpka\n");  // outlives `both`
  const ProxyConfig& both = proxy(tcpka);
  EXPECT_TRUE(both.cli_tcpka.enabled);
  EXPECT_TRUE(both.srv_tcpka.enabled);
  auto r = in("listen",
              "  option clitcpka\n  clitcpka-idle 7\n  clitcpka-intvl 3s\n  clitcpka-cnt 4\n"
              "  srvtcpka-idle 2m\n  srvtcpka-intvl 1500ms\n  srvtcpka-cnt 9\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const ProxyConfig& p = proxy(r);
  EXPECT_TRUE(p.cli_tcpka.enabled);
  EXPECT_FALSE(p.srv_tcpka.enabled);
  EXPECT_EQ(p.cli_tcpka.idle_s, 7);  // a bare number is in seconds
  EXPECT_EQ(p.cli_tcpka.intvl_s, 3);
  EXPECT_EQ(p.cli_tcpka.cnt, 4);
  EXPECT_EQ(p.srv_tcpka.idle_s, 120);
  EXPECT_EQ(p.srv_tcpka.intvl_s, 2);  // rounded up to whole seconds
  EXPECT_EQ(p.srv_tcpka.cnt, 9);
  EXPECT_FALSE(proxy(in("listen", "  option tcpka\n  no option srvtcpka\n")).srv_tcpka.enabled);
}

TEST(ProxyOptions, TcpKeepAliveErrorsAndPlaces) {
  EXPECT_EQ(only_error(in("frontend", "  clitcpka-idle soon\n")),
            "t.cfg:2: 'clitcpka-idle': invalid time 'soon': expects seconds (\"30\") or a "
            "duration with a unit (\"2m\"), at most 32767 seconds");
  EXPECT_TRUE(has(in("backend", "  srvtcpka-cnt 200\n").errors, "t.cfg:2: 'srvtcpka-cnt'"));
  auto w = in("backend", "  clitcpka-cnt 3\n  option clitcpka\n");
  EXPECT_TRUE(w.ok());
  EXPECT_FALSE(proxy(w).cli_tcpka.enabled);
  EXPECT_EQ(proxy(w).cli_tcpka.cnt, 0);
  EXPECT_TRUE(has(w.warnings, "t.cfg:2: 'clitcpka-cnt': ignored in a backend section"));
  EXPECT_TRUE(has(w.warnings, "t.cfg:3: 'option clitcpka': ignored in a backend section"));
}

TEST(ProxyOptions, SocketAndBalanceOptions) {
  auto r = in("listen",
              "  option nolinger\n  option tcp-smart-accept\n  option tcp-smart-connect\n"
              "  option allbackups\n  balance static-rr\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const ProxyConfig& p = proxy(r);
  EXPECT_TRUE(p.nolinger);
  EXPECT_EQ(p.smart_accept, true);
  EXPECT_TRUE(p.smart_connect);
  EXPECT_TRUE(p.allbackups);
  EXPECT_EQ(p.balance, BalanceAlgo::kStaticRr);
  EXPECT_EQ(proxy(in("listen", "")).smart_accept, std::nullopt);  // follows the mode
  EXPECT_EQ(proxy(in("listen", "  no option tcp-smart-accept\n")).smart_accept, false);
}

TEST(ProxyOptions, SpliceBitsAndTheirMode) {
  auto r = in("listen", "  option splice-request\n  option splice-auto\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(proxy(r).splice, kSpliceRequest | kSpliceAuto);
  EXPECT_EQ(proxy(in("listen", "  option splice-response\n  no option splice-response\n")).splice,
            0);
  // HTTP mode splices payloads too: a defaults section with it loads.
  auto http = parse_and_validate(
      "defaults\n  mode http\n  option splice-auto\nbackend p\n  server s 127.0.0.1:1\n");
  ASSERT_TRUE(http.ok()) << dump(http.errors);
  EXPECT_EQ(proxy(http).splice, kSpliceAuto);
}

TEST(ProxyOptions, StreamOptions) {
  auto r = in("listen",
              "  option abortonclose\n  option http-pretend-keepalive\n"
              "  option independent-streams\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(proxy(r).abortonclose);
  EXPECT_TRUE(proxy(r).pretend_keepalive);
  EXPECT_TRUE(proxy(r).independent_streams);
  auto n = parse(
      "defaults\n  option abortonclose\n  option independent-streams\n"
      "listen p\n  no option abortonclose\n  no option independent-streams\n");
  ASSERT_TRUE(n.ok()) << dump(n.errors);
  EXPECT_FALSE(n.config.proxies[0].abortonclose);
  EXPECT_FALSE(n.config.proxies[0].independent_streams);
  EXPECT_TRUE(parse_and_validate("defaults\n  mode http\n  option independent-streams\n"
                                 "backend p\n")
                  .ok());  // HTTP streams apply it too
}

TEST(ProxyOptions, FullconnAndMinconn) {
  auto r = in("backend", "  fullconn 300\n  server s 127.0.0.1:80 minconn 5 maxconn 50\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(proxy(r).fullconn, 300);
  ASSERT_EQ(proxy(r).servers.size(), 1u);
  EXPECT_EQ(proxy(r).servers[0].minconn, 5);
  EXPECT_EQ(proxy(r).servers[0].maxconn, 50);
  EXPECT_EQ(only_error(in("backend", "  fullconn\n")),
            "t.cfg:2: 'fullconn': missing argument: expects 'fullconn N'");
  auto w = in("frontend", "  fullconn 10\n");
  EXPECT_TRUE(has(w.warnings, "t.cfg:2: 'fullconn': ignored in a frontend section"));
}

TEST(ProxyOptions, SpliceGlobals) {
  auto r = parse("global\n  nosplice\n  maxpipes 12\n  tune.pipesize 128k\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(r.config.global.splice.nosplice);
  EXPECT_EQ(r.config.global.splice.maxpipes, 12);
  EXPECT_EQ(r.config.global.splice.pipesize, 131072);
  EXPECT_EQ(only_error(parse("global\n  tune.pipesize 12\n")),
            "t.cfg:2: 'tune.pipesize': expects a size between 4096 bytes and 64m (k and m "
            "suffixes allowed), got '12'");
}

TEST(ProxyOptions, IdsAreNumberedAsHAProxyDoes) {
  // HAProxy 2.6 gives these frontends 5, 2, 4, 3 and 6.
  auto r = parse(
      "frontend f1\n  id 5\n  bind :1\nfrontend f2\n  bind :2\nfrontend f3\n  bind :3\n"
      "frontend f4\n  id 3\n  bind :4\nfrontend f5\n  bind :5\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(proxy_ids(r.config), (std::vector<int>{5, 2, 4, 3, 6}));
  EXPECT_EQ(proxy_ids(parse("listen a\nbackend b\n").config), (std::vector<int>{1, 2}));
}

TEST(ProxyOptions, IdAndDescription) {
  auto r = in("backend", "  id 42\n  description the   main pool\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(proxy(r).id, 42);
  EXPECT_EQ(proxy(r).description, "the main pool");
  EXPECT_TRUE(has(in("backend", "  id 0\n").errors, "t.cfg:2: 'id'"));
  EXPECT_TRUE(has(parse("defaults\n  id 3\n").errors, "t.cfg:2: 'id'"));
  EXPECT_EQ(only_error(parse_and_validate("backend a\n  id 7\nbackend b\n  id 7\n")),
            "t.cfg:4: 'id': id 7 of 'b' is already the id of 'a' (t.cfg:2): each proxy needs "
            "its own");
}

TEST(ProxyOptions, DisabledAndEnabled) {
  EXPECT_TRUE(proxy(in("backend", "  disabled\n")).disabled);
  EXPECT_FALSE(proxy(in("backend", "  disabled\n  enabled\n")).disabled);
  auto r = parse("defaults\n  disabled\nbackend a\nbackend b\n  enabled\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(r.config.proxies[0].disabled);  // inherited
  EXPECT_FALSE(r.config.proxies[1].disabled);
  EXPECT_TRUE(has(in("frontend", "  disabled now\n").errors, "t.cfg:2: 'disabled'"));
}

// dispatch ADDR:PORT in a backend or listen; option transparent where
// backends are set up. Both name where sessions go when no server can.
TEST(ProxyOptions, DispatchAndTransparent) {
  auto r = in("listen", "  dispatch 10.0.0.1:8080\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(proxy(r).dispatch, "10.0.0.1:8080");
  auto t = in("backend", "  option transparent\n");
  ASSERT_TRUE(t.ok()) << dump(t.errors);
  EXPECT_TRUE(proxy(t).transparent);
  auto d = parse("defaults\n  option transparent\nbackend p\n  no option transparent\n");
  ASSERT_TRUE(d.ok()) << dump(d.errors);
  EXPECT_FALSE(d.config.proxies.at(0).transparent);
  EXPECT_EQ(only_error(in("backend", "  dispatch 10.0.0.1\n")),
            "t.cfg:2: 'dispatch': expects an address with a port, such as 10.0.0.1:80, got "
            "'10.0.0.1'");
  EXPECT_EQ(only_error(in("backend", "  dispatch 10.0.0.1:0\n")),
            "t.cfg:2: 'dispatch': expects an address with a port, such as 10.0.0.1:80, got "
            "'10.0.0.1:0'");
  EXPECT_FALSE(in("frontend", "  dispatch 10.0.0.1:80\n").ok());
  EXPECT_FALSE(parse("defaults\n  dispatch 10.0.0.1:80\n").ok());
}

// As HAProxy 2.6: a balance line (here or in the defaults) ignores a dispatch
// address, with a warning, and cannot go with option transparent.
TEST(ProxyOptions, DispatchAndTransparentAgainstABalanceLine) {
  auto r = parse_and_validate(
      "defaults\n  balance leastconn\nbackend p\n  dispatch 10.0.0.1:80\n"
      "  server s 10.0.0.2:80\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.proxies.at(0).dispatch, "");
  EXPECT_TRUE(has(r.warnings,
                  "t.cfg:4: 'dispatch': the dispatch address of 'p' is ignored in balance mode"))
      << dump(r.warnings);
  EXPECT_EQ(
      only_error(parse_and_validate("backend p\n  balance roundrobin\n  option transparent\n")),
      "t.cfg:1: 'option transparent': 'p' cannot use both transparent and balance mode");
  auto ok = parse_and_validate("backend p\n  dispatch 10.0.0.1:80\n  server s 10.0.0.2:80\n");
  ASSERT_TRUE(ok.ok()) << dump(ok.errors);
  EXPECT_EQ(ok.config.proxies.at(0).dispatch, "10.0.0.1:80");
}

}  // namespace
}  // namespace hearth::config
