// The server line of "add server": HAProxy's keyword subset for dynamic
// servers, parsed by the configuration's own server parser.
#include "config/dynamic_server.h"

#include <gtest/gtest.h>

namespace hearth::config {
namespace {

std::optional<ServerConfig> parse(const std::string& name, std::vector<std::string> args,
                                  std::string* err) {
  return parse_dynamic_server(name, args, err);
}

TEST(DynamicServerLine, TakesTheServerKeywordsOfTheConfiguration) {
  std::string err;
  auto sc =
      parse("s1", {"127.0.0.1:8080", "weight",      "7",          "maxconn", "10",         "check",
                   "inter",          "200ms",       "rise",       "1",       "fall",       "2",
                   "backup",         "agent-check", "agent-port", "9999",    "agent-send", "hello",
                   "send-proxy-v2",  "id",          "12"},
            &err);
  ASSERT_TRUE(sc) << err;
  EXPECT_EQ(sc->name, "s1");
  EXPECT_EQ(sc->address, "127.0.0.1:8080");
  EXPECT_EQ(sc->weight, 7);
  EXPECT_EQ(sc->maxconn, 10);
  EXPECT_TRUE(sc->check);
  EXPECT_EQ(sc->inter, 200);
  EXPECT_EQ(sc->rise, 1);
  EXPECT_EQ(sc->fall, 2);
  EXPECT_TRUE(sc->backup);
  EXPECT_TRUE(sc->agent_check);
  EXPECT_EQ(sc->agent_port, 9999);
  EXPECT_EQ(sc->agent_send, "hello");
  EXPECT_TRUE(sc->send_proxy_v2);
  EXPECT_EQ(sc->id, 12);
}

TEST(DynamicServerLine, NoDefaultServerSettings) {
  std::string err;
  auto sc = parse("s1", {"10.0.0.1:80"}, &err);
  ASSERT_TRUE(sc) << err;
  EXPECT_EQ(sc->weight, ServerConfig{}.weight);
  EXPECT_FALSE(sc->check);
  EXPECT_FALSE(sc->disabled);
}

TEST(DynamicServerLine, RefusesAsHAProxy) {
  std::string err;
  EXPECT_FALSE(parse("s1", {}, &err));
  EXPECT_EQ(err, "'server' expects <name> and <addr>[:<port>] as arguments.");
  EXPECT_FALSE(parse("s1", {"1.2.3.4:80", "cookie", "abc"}, &err));
  EXPECT_EQ(err, "'cookie' option is not accepted for dynamic server");
  EXPECT_FALSE(parse("s1", {"1.2.3.4:80", "init-addr", "none"}, &err));
  EXPECT_EQ(err, "'init-addr' option is not accepted for dynamic server");
  EXPECT_FALSE(parse("s1", {"1.2.3.4:80", "socks4", "127.0.0.1:1080"}, &err));
  EXPECT_EQ(err, "'socks4' option is not accepted for dynamic server");
  EXPECT_FALSE(parse("s1", {"1.2.3.4:80", "weight", "10", "bogus"}, &err));
  EXPECT_EQ(err, "unknown keyword 'bogus'.");
  // A value is not taken for a keyword.
  auto sc = parse("s1", {"1.2.3.4:80", "agent-send", "cookie"}, &err);
  ASSERT_TRUE(sc) << err;
  EXPECT_EQ(sc->agent_send, "cookie");
}

// As HAProxy 2.6, add server takes the passive health options and
// slowstart; observe layer7 only on an HTTP backend.
TEST(DynamicServerLine, PassiveHealthAndSlowstart) {
  std::string err;
  auto sc = parse_dynamic_server("s1",
                                 {"1.2.3.4:80", "check", "observe", "layer7", "error-limit", "4",
                                  "on-error", "mark-down", "slowstart", "2s"},
                                 &err, Mode::kHttp);
  ASSERT_TRUE(sc) << err;
  EXPECT_EQ(sc->observe, ObserveMode::kLayer7);
  EXPECT_EQ(sc->error_limit, 4);
  EXPECT_EQ(sc->on_error, OnError::kMarkDown);
  EXPECT_EQ(sc->slowstart, 2000);
  EXPECT_FALSE(parse("s1", {"1.2.3.4:80", "observe", "layer7"}, &err));  // a TCP backend
  EXPECT_NE(err.find("observe layer7"), std::string::npos) << err;
}

TEST(DynamicServerLine, TrackIsTakenNotWithCheck) {
  std::string err;
  EXPECT_TRUE(parse("s1", {"1.2.3.4:80", "track", "be/s1"}, &err)) << err;
  EXPECT_FALSE(parse("s1", {"1.2.3.4:80", "track", "be/s1", "check"}, &err));
  EXPECT_EQ(err, "unable to enable checks and tracking at the same time!");
  EXPECT_FALSE(parse("s1", {"1.2.3.4:80", "track"}, &err));
  EXPECT_EQ(err, "'track' expects [<proxy>/]<server> as argument..");
}

TEST(DynamicServerLine, NamesWhatHearthDoesNotImplement) {
  std::string err;
  EXPECT_FALSE(parse("s1", {"1.2.3.4:80", "proto", "h2"}, &err));
  EXPECT_NE(err.find("'proto'"), std::string::npos) << err;
  // The parser's own checks of values apply.
  EXPECT_FALSE(parse("s1", {"1.2.3.4:80", "weight", "300"}, &err));
  EXPECT_NE(err.find("'weight'"), std::string::npos) << err;
  EXPECT_FALSE(parse("bad!", {"1.2.3.4:80"}, &err));
  EXPECT_NE(err.find("bad!"), std::string::npos) << err;
}

}  // namespace
}  // namespace hearth::config
