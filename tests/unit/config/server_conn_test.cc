// Server addresses (environment references, a port from the client) and the
// connection options id, source, tfo, redir and init-addr; the proxy's source.
#include <gtest/gtest.h>

#include "config/server_address.h"
#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::dump;
using testing::fake_env;
using testing::has;
using testing::only_error;
using testing::parse;
using testing::parse_and_validate;

ParseResult backend_env(const std::string& lines, std::map<std::string, std::string> env) {
  return parse_string("backend b\n" + lines, "t.cfg", fake_env(std::move(env)));
}

TEST(ServerAddressEnv, UnquotedReferencesAreExpandedAsHaproxyDoes) {
  auto r = backend_env(
      "  server a ${XA}:80\n  server b $XA:81\n  server c ${XA}\n  server d pre$XB.5:82\n",
      {{"XA", "10.0.0.1"}, {"XB", "1.2"}});
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const auto& s = r.config.proxies[0].servers;
  EXPECT_EQ(s.at(0).address, "10.0.0.1:80");
  EXPECT_EQ(s.at(1).address, "10.0.0.1:81");
  EXPECT_EQ(s.at(2).address, "10.0.0.1:0");
  EXPECT_TRUE(s.at(2).port_from_client);
  EXPECT_EQ(s.at(3).address, "pre1.2.5:82");
}

// As HAProxy: unset references are empty (":PORT" is any address, ":" also
// the client's port), with a warning; an address left empty is refused.
TEST(ServerAddressEnv, UnsetReferencesAreEmptyMalformedOnesAreErrors) {
  auto r = backend_env("  server a ${NOPE}:80\n  server b ${NOPE}:${NOPE}\n", {});
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.proxies[0].servers.at(0).address, "0.0.0.0:80");
  EXPECT_EQ(r.config.proxies[0].servers.at(1).address, "0.0.0.0:0");
  EXPECT_TRUE(r.config.proxies[0].servers.at(1).port_from_client);
  EXPECT_TRUE(has(r.warnings, "t.cfg:2: 'server'", "environment variable 'NOPE' is not set"))
      << dump(r.warnings);
  r = backend_env("  server a ${NOPE}\n", {});
  EXPECT_TRUE(has(r.errors, "t.cfg:2: 'server'", "is empty once expanded")) << dump(r.errors);
  r = backend_env("  server a ${XA-1.2.3.4}:80\n", {{"XA", "x"}});
  EXPECT_TRUE(has(r.errors, "t.cfg:2: 'server'", "expects '}'")) << dump(r.errors);
  r = backend_env("  server a $1:80\n", {});
  EXPECT_TRUE(has(r.errors, "t.cfg:2: 'server'", "must start a variable name")) << dump(r.errors);
}

// bind addresses too: HAProxy expands unquoted references in every address.
TEST(BindAddressEnv, UnquotedReferencesAreExpandedAsHaproxyDoes) {
  auto r = parse_string("frontend f\n  bind 127.0.0.1:${P1},:$P2\n", "t.cfg",
                        fake_env({{"P1", "8001"}, {"P2", "8002"}}));
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const auto& b = r.config.proxies[0].binds;
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].address, "127.0.0.1:8001");
  EXPECT_EQ(b[1].address, ":8002");
  r = parse_string("frontend f\n  bind ${NOPE}:8003\n", "t.cfg", fake_env({}));
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.proxies[0].binds.at(0).address, ":8003");
  EXPECT_TRUE(has(r.warnings, "t.cfg:2: 'bind'", "environment variable 'NOPE' is not set"))
      << dump(r.warnings);
  r = parse_string("frontend f\n  bind ${NOPE}\n", "t.cfg", fake_env({}));
  EXPECT_TRUE(has(r.errors, "t.cfg:2: 'bind'", "is empty once expanded")) << dump(r.errors);
}

TEST(ServerAddressPort, MissingZeroAndRelativePortsComeFromTheClient) {
  struct Case {
    const char* text;
    const char* address;
    bool from_client;
    int offset;
  };
  const Case cases[] = {
      {"10.0.0.1", "10.0.0.1:0", true, 0},
      {"10.0.0.1:", "10.0.0.1:0", true, 0},
      {"10.0.0.1:0", "10.0.0.1:0", true, 0},
      {"10.0.0.1:+1000", "10.0.0.1:0", true, 1000},
      {"10.0.0.1:-10", "10.0.0.1:0", true, -10},
      {"[::1]", "[::1]:0", true, 0},
      {"[::1]:+2", "[::1]:0", true, 2},
      {"10.0.0.1:8080", "10.0.0.1:8080", false, 0},
      {"*:80", "*:80", false, 0},
      {"0.0.0.0", "0.0.0.0:0", true, 0},
  };
  for (const Case& c : cases) {
    ServerPort port;
    std::string err;
    EXPECT_EQ(split_server_port(c.text, &port, &err), c.address) << c.text << ": " << err;
    EXPECT_EQ(port.from_client, c.from_client) << c.text;
    EXPECT_EQ(port.offset, c.offset) << c.text;
  }
  for (const char* bad : {"10.0.0.1:+", "10.0.0.1:70000", "10.0.0.1:x", "10.0.0.1:+-1", ""}) {
    ServerPort port;
    std::string err;
    EXPECT_EQ(split_server_port(bad, &port, &err), "") << bad;
    EXPECT_FALSE(err.empty()) << bad;
  }
}

TEST(ServerAddressPort, ACheckNeedsAPortWhenTheClientGivesIt) {
  auto r = parse_and_validate("backend b\n  server a 10.0.0.1 check\n");
  EXPECT_TRUE(has(r.errors, "t.cfg:2: 'server'", "'check' needs 'port N'")) << dump(r.errors);
  r = parse_and_validate("backend b\n  server a 10.0.0.1 check port 8080\n");
  EXPECT_FALSE(has(r.errors, "t.cfg:2: 'server'")) << dump(r.errors);
  // As HAProxy: not at the any-address (":" from unset variables, "0.0.0.0").
  for (const char* any : {":", ":0", "0.0.0.0", "[::]:"}) {
    r = parse_and_validate("backend b\n  server a " + std::string(any) + " check\n");
    EXPECT_FALSE(has(r.errors, "t.cfg:2: 'server'")) << any << "\n" << dump(r.errors);
  }
}

TEST(ServerConnOptions, EveryOption) {
  auto r = parse(
      "backend b\n  source 10.0.0.9\n"
      "  server a 10.0.0.1:80 id 7 source 10.0.0.2:0 tfo redir http://x.example "
      "init-addr libc,10.0.0.5,none\n"
      "  server c 10.0.0.1:80 tfo no-tfo source [::1]:1234\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const ProxyConfig& p = r.config.proxies[0];
  EXPECT_EQ(p.source, "10.0.0.9");
  const ServerConfig& a = p.servers.at(0);
  EXPECT_EQ(a.id, 7);
  EXPECT_EQ(a.source, "10.0.0.2:0");
  EXPECT_TRUE(a.tfo);
  EXPECT_EQ(a.redir, "http://x.example");
  EXPECT_EQ(a.init_addr, (std::vector<std::string>{"libc", "10.0.0.5", "none"}));
  EXPECT_FALSE(p.servers.at(1).tfo);
  EXPECT_EQ(p.servers.at(1).source, "[::1]:1234");
  EXPECT_EQ(p.servers.at(1).init_addr, std::vector<std::string>{"libc"});
}

TEST(ServerConnOptions, DefaultServerPassesThemOnButNotId) {
  auto r = parse(
      "backend b\n  default-server tfo init-addr none source 10.0.0.3\n"
      "  server a 10.0.0.1:80\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const ServerConfig& a = r.config.proxies[0].servers.at(0);
  EXPECT_TRUE(a.tfo);
  EXPECT_EQ(a.init_addr, std::vector<std::string>{"none"});
  EXPECT_EQ(a.source, "10.0.0.3");
  r = parse("backend b\n  default-server id 3\n");
  EXPECT_EQ(only_error(r),
            "t.cfg:2: 'default-server': option 'id' names one server: write it on the server "
            "line");
}

TEST(ServerConnOptions, BadValuesAreErrorsWithTheirLine) {
  EXPECT_TRUE(has(parse("backend b\n  server a 10.0.0.1:80 id 0\n").errors, "t.cfg:2: 'server'",
                  "option 'id' expects a positive integer"));
  EXPECT_TRUE(has(parse("backend b\n  server a 10.0.0.1:80 source host.example\n").errors,
                  "t.cfg:2: 'server'", "not an IPv4 or IPv6 address"));
  EXPECT_TRUE(has(parse("backend b\n  server a 10.0.0.1:80 init-addr libc,dns\n").errors,
                  "t.cfg:2: 'server'", "got 'dns'"));
  auto last = parse("backend b\n  server a 10.0.0.1:80 init-addr last,libc\n");
  ASSERT_TRUE(last.ok()) << dump(last.errors);
  EXPECT_EQ(last.config.proxies[0].servers[0].init_addr,
            (std::vector<std::string>{"last", "libc"}));
  EXPECT_TRUE(has(parse("backend b\n  server a 10.0.0.1:80 redir\n").errors, "t.cfg:2: 'server'",
                  "option 'redir' expects a prefix"));
  EXPECT_TRUE(has(parse("backend b\n  source 10.0.0.1 usesrc clientip\n").errors,
                  "t.cfg:2: 'source'", "'source ... usesrc' is not supported"));
}

TEST(ServerConnOptions, TwoServersCannotShareAnId) {
  auto r =
      parse_and_validate("backend b\n  server a 10.0.0.1:80 id 3\n  server c 10.0.0.1:80 id 3\n");
  EXPECT_TRUE(has(r.errors, "t.cfg:3: 'server'", "id 3 is already used by 'a' at t.cfg:2"))
      << dump(r.errors);
}

}  // namespace
}  // namespace hearth::config
