// Health check settings: the server options (check, inter, fastinter,
// downinter, rise, fall, port, addr, init-state), "timeout check",
// "option httpchk" and "http-check send|expect", their inheritance from
// default-server and defaults sections, and their errors.
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::dump;
using testing::has;
using testing::only_error;
using testing::parse;
using testing::parse_and_validate;

ParseResult backend(const std::string& lines) { return parse("backend b\n" + lines); }
const ServerConfig& server(const ParseResult& r, size_t i = 0) {
  return r.config.proxies.at(0).servers.at(i);
}
const CheckConfig& checks(const ParseResult& r, size_t proxy = 0) {
  return r.config.proxies.at(proxy).check;
}
// The first send rule of a proxy's check rules (an empty one if none).
CheckSend send_of(const ParseResult& r, size_t proxy = 0) {
  for (const CheckRule& c : checks(r, proxy).rules)
    if (c.action == CheckRule::Action::kSend) return c.send;
  return CheckSend{};
}
std::vector<const CheckExpect*> expects_of(const ParseResult& r, size_t proxy = 0) {
  std::vector<const CheckExpect*> out;
  for (const CheckRule& c : checks(r, proxy).rules)
    if (c.action == CheckRule::Action::kExpect) out.push_back(&c.expect);
  return out;
}

TEST(CheckOptions, BuiltInValues) {
  auto r = backend("  server a 10.0.0.1:80\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const ServerConfig& s = server(r);
  EXPECT_FALSE(s.check);
  EXPECT_EQ(s.inter, 2000);
  EXPECT_EQ(s.fastinter, std::nullopt);
  EXPECT_EQ(s.downinter, std::nullopt);
  EXPECT_EQ(s.rise, 2);
  EXPECT_EQ(s.fall, 3);
  EXPECT_EQ(s.check_port, std::nullopt);
  EXPECT_EQ(s.check_addr, "");
  EXPECT_EQ(s.init_state, InitState::kUp);
  EXPECT_EQ(r.config.proxies[0].timeouts.check, std::nullopt);
  EXPECT_EQ(checks(r).type, CheckType::kL4);
  EXPECT_TRUE(checks(r).rules.empty());
}

TEST(CheckOptions, EveryServerOption) {
  auto r = backend(
      "  server a 10.0.0.1:80 check inter 100ms fastinter 50ms downinter 5s rise 4 fall 1 "
      "port 8081 addr 10.0.0.9 init-state fully-down\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const ServerConfig& s = server(r);
  EXPECT_TRUE(s.check);
  EXPECT_EQ(s.inter, 100);
  EXPECT_EQ(s.fastinter, 50);
  EXPECT_EQ(s.downinter, 5000);
  EXPECT_EQ(s.rise, 4);
  EXPECT_EQ(s.fall, 1);
  EXPECT_EQ(s.check_port, 8081);
  EXPECT_EQ(s.check_addr, "10.0.0.9");
  EXPECT_EQ(s.init_state, InitState::kFullyDown);
}

TEST(CheckOptions, InitStates) {
  for (auto [word, state] :
       std::vector<std::pair<std::string, InitState>>{{"fully-up", InitState::kFullyUp},
                                                      {"up", InitState::kUp},
                                                      {"down", InitState::kDown},
                                                      {"fully-down", InitState::kFullyDown}}) {
    auto r = backend("  server a 10.0.0.1:80 check init-state " + word + "\n");
    ASSERT_TRUE(r.ok()) << dump(r.errors);
    EXPECT_EQ(server(r).init_state, state) << word;
  }
}

TEST(CheckOptions, AddrAcceptsIpv6AndHostNames) {
  auto r = backend("  server a 10.0.0.1:80 check addr ::1\n  server b 10.0.0.1:80 addr db.local\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(server(r, 0).check_addr, "::1");
  EXPECT_EQ(server(r, 1).check_addr, "db.local");
  // As HAProxy: a port after the address is ignored (the check port is
  // "port"), with a warning here.
  r = backend(
      "  server a 10.0.0.1:80 check addr 10.0.0.2:81\n"
      "  server b 10.0.0.1:80 check addr [::1]:82\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(server(r, 0).check_addr, "10.0.0.2");
  EXPECT_FALSE(server(r, 0).check_port.has_value());
  EXPECT_EQ(server(r, 1).check_addr, "::1");
  EXPECT_TRUE(has(r.warnings, "t.cfg:2: 'server': the port of 'addr 10.0.0.2:81' is ignored"));
}

TEST(CheckOptions, DefaultServerSetsThemForLaterServers) {
  auto r = backend(
      "  default-server check inter 3s rise 5 fall 6 fastinter 1s downinter 9s port 81\n"
      "  server a 10.0.0.1:80\n"
      "  server b 10.0.0.2:80 no-check inter 4s\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const ServerConfig& a = server(r, 0);
  EXPECT_TRUE(a.check);
  EXPECT_EQ(a.inter, 3000);
  EXPECT_EQ(a.rise, 5);
  EXPECT_EQ(a.fall, 6);
  EXPECT_EQ(a.fastinter, 1000);
  EXPECT_EQ(a.downinter, 9000);
  EXPECT_EQ(a.check_port, 81);
  const ServerConfig& b = server(r, 1);
  EXPECT_FALSE(b.check);
  EXPECT_EQ(b.inter, 4000);
  EXPECT_EQ(b.rise, 5);
}

TEST(CheckOptions, DefaultServerInADefaultsSectionIsInherited) {
  auto r = parse(
      "defaults\n  default-server inter 250ms fall 7\n"
      "backend b\n  server a 10.0.0.1:80 check\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(server(r).inter, 250);
  EXPECT_EQ(server(r).fall, 7);
}

TEST(CheckOptions, Errors) {
  EXPECT_EQ(only_error(backend("  server a 10.0.0.1:80 check inter 0\n")),
            "t.cfg:2: 'server': option 'inter' expects a non-zero duration such as 5s, 500ms or "
            "1m, got '0'");
  EXPECT_EQ(only_error(backend("  server a 10.0.0.1:80 fastinter soon\n")),
            "t.cfg:2: 'server': option 'fastinter' expects a non-zero duration such as 5s, 500ms "
            "or 1m, got 'soon'");
  EXPECT_EQ(only_error(backend("  server a 10.0.0.1:80 downinter\n")),
            "t.cfg:2: 'server': option 'downinter' expects a non-zero duration such as 5s, 500ms "
            "or 1m, got ''");
  EXPECT_EQ(only_error(backend("  server a 10.0.0.1:80 rise 0\n")),
            "t.cfg:2: 'server': option 'rise' expects an integer between 1 and 100000, got '0'");
  EXPECT_EQ(only_error(backend("  server a 10.0.0.1:80 fall -1\n")),
            "t.cfg:2: 'server': option 'fall' expects an integer between 1 and 100000, got '-1'");
  EXPECT_EQ(only_error(backend("  server a 10.0.0.1:80 port 70000\n")),
            "t.cfg:2: 'server': option 'port' expects an integer between 1 and 65535, got "
            "'70000'");
  EXPECT_EQ(only_error(backend("  server a 10.0.0.1:80 addr 10.0.0.1:x\n")),
            "t.cfg:2: 'server': option 'addr' expects an IPv4 or IPv6 address or a host name, "
            "got '10.0.0.1:x'");
  EXPECT_EQ(only_error(backend("  server a 10.0.0.1:80 addr 300.1.1.1\n")),
            "t.cfg:2: 'server': option 'addr' expects an IPv4 or IPv6 address or a host name, "
            "got '300.1.1.1'");
  EXPECT_EQ(only_error(backend("  server a 10.0.0.1:80 init-state maybe\n")),
            "t.cfg:2: 'server': option 'init-state' expects fully-up, up, down or fully-down, "
            "got 'maybe'");
  EXPECT_EQ(only_error(backend("  default-server rise x\n")),
            "t.cfg:2: 'default-server': option 'rise' expects an integer between 1 and 100000, "
            "got 'x'");
}

TEST(TimeoutCheck, SetInBackendAndInheritedFromDefaults) {
  auto r = parse("defaults\n  timeout check 3s\nbackend a\nbackend b\n  timeout check 400ms\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.proxies[0].timeouts.check, 3000);
  EXPECT_EQ(r.config.proxies[1].timeouts.check, 400);
}

TEST(TimeoutCheck, IgnoredInAFrontend) {
  auto r = parse("frontend f\n  timeout check 3s\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(has(r.warnings, "t.cfg:2: 'timeout check': ignored in a frontend section"));
}

TEST(OptionHttpchk, ArgumentForms) {
  auto r = parse(
      "backend a\n  option httpchk\n"
      "backend b\n  option httpchk /health\n"
      "backend c\n  option httpchk HEAD /ping\n"
      "backend d\n  option httpchk GET /h HTTP/1.1\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  auto line = [&](size_t i) {
    const CheckSend h = send_of(r, i);
    return std::string(checks(r, i).type == CheckType::kHttp ? "on " : "off ") + h.method + " " +
           h.uri + " " + h.version;
  };
  EXPECT_EQ(line(0), "on OPTIONS / HTTP/1.0");
  EXPECT_EQ(line(1), "on OPTIONS /health HTTP/1.0");
  EXPECT_EQ(line(2), "on HEAD /ping HTTP/1.0");
  EXPECT_EQ(line(3), "on GET /h HTTP/1.1");
}

TEST(OptionHttpchk, OldVersionFormCarriesHeaderLines) {
  auto r = backend("  option httpchk GET /h HTTP/1.1\\r\\nHost:\\ www.example.com\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(send_of(r).version, "HTTP/1.1");
  EXPECT_EQ(send_of(r).raw_header_lines, "Host: www.example.com\r\n");
}

TEST(OptionHttpchk, InheritedAndNegated) {
  auto r = parse(
      "defaults\n  option httpchk GET /d\n"
      "backend a\n"
      "backend b\n  no option httpchk\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(checks(r, 0).type, CheckType::kHttp);
  EXPECT_EQ(send_of(r, 0).uri, "/d");
  EXPECT_EQ(checks(r, 1).type, CheckType::kL4);
}

TEST(OptionHttpchk, Errors) {
  EXPECT_EQ(only_error(backend("  option httpchk GET / HTTP/1.1 extra\n")),
            "t.cfg:2: 'option httpchk': unexpected argument 'extra': expects 'option httpchk "
            "[[METHOD] URI [VERSION]]'");
  EXPECT_EQ(only_error(backend("  option httpchk G(T /\n")),
            "t.cfg:2: 'option httpchk': invalid method 'G(T': expects a token such as GET or HEAD");
  EXPECT_EQ(only_error(backend("  option httpchk GET / HTTP/2\n")),
            "t.cfg:2: 'option httpchk': invalid version 'HTTP/2': expects HTTP/1.0 or HTTP/1.1");
  EXPECT_EQ(only_error(backend("  no option httpchk /x\n")),
            "t.cfg:2: 'no option httpchk': unexpected argument '/x': expects 'no option httpchk'");
}

TEST(HttpCheck, SendCompletesTheOptionsRequest) {
  auto r = backend(
      "  option httpchk\n"
      "  http-check send meth GET uri /health ver HTTP/1.1 hdr Host example.com hdr x-k v "
      "body hello\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  ASSERT_EQ(checks(r).rules.size(), 1u);
  const CheckSend h = send_of(r);
  EXPECT_EQ(h.method, "GET");
  EXPECT_EQ(h.uri, "/health");
  EXPECT_EQ(h.version, "HTTP/1.1");
  ASSERT_EQ(h.headers.size(), 2u);
  EXPECT_EQ(h.headers[0].first, "Host");
  EXPECT_EQ(h.headers[0].second->source(), "example.com");
  EXPECT_EQ(h.body, "hello");
  EXPECT_FALSE(h.from_option);
}

TEST(HttpCheck, SendKeepsWhatOptionHttpchkSaidForPartsNotGiven) {
  auto r = backend("  option httpchk HEAD /x\n  http-check send hdr Host h\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(send_of(r).method, "HEAD");
  EXPECT_EQ(send_of(r).uri, "/x");
  EXPECT_EQ(send_of(r).headers.size(), 1u);
}

TEST(HttpCheck, SeveralExchangesInOrder) {
  auto r = backend(
      "  option httpchk\n"
      "  http-check connect port 81\n"
      "  http-check send meth GET uri /a\n"
      "  http-check expect status 200,301-302\n"
      "  http-check expect ! rstatus ^5\n"
      "  http-check connect addr 127.0.0.1:82\n"
      "  http-check send uri-lf /%[srv_name]\n"
      "  http-check expect hdr name -m beg x- value -m reg ^a\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const auto& rules = checks(r).rules;
  ASSERT_EQ(rules.size(), 7u);
  EXPECT_EQ(rules[0].action, CheckRule::Action::kConnect);
  EXPECT_EQ(rules[0].connect.port, 81);
  EXPECT_EQ(rules[1].send.uri, "/a");  // the option's request, merged and moved here
  EXPECT_EQ(rules[2].expect.ranges, (std::vector<std::pair<int, int>>{{200, 200}, {301, 302}}));
  EXPECT_TRUE(rules[3].expect.negate);
  EXPECT_EQ(rules[3].expect.kind, CheckExpect::Kind::kRStatus);
  EXPECT_EQ(rules[4].connect.addr, "127.0.0.1");
  EXPECT_EQ(rules[4].connect.port, 82);
  ASSERT_NE(rules[5].send.uri_fmt, nullptr);
  EXPECT_EQ(rules[6].expect.kind, CheckExpect::Kind::kHdr);
  EXPECT_EQ(rules[6].expect.name.method, CheckHdrMatch::Method::kBeg);
  ASSERT_TRUE(rules[6].expect.value.has_value());
  EXPECT_NE(rules[6].expect.value->regex, nullptr);
}

TEST(HttpCheck, RulesOfABackendReplaceThoseOfDefaults) {
  auto r = parse(
      "defaults\n  option httpchk\n  http-check send hdr a b\n  http-check expect status 200\n"
      "backend keeps\n"
      "backend own\n  http-check send uri /own\n  http-check expect status 204\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  ASSERT_EQ(expects_of(r, 0).size(), 1u);
  EXPECT_EQ(expects_of(r, 0)[0]->pattern, "200");
  EXPECT_EQ(send_of(r, 0).headers.size(), 1u);
  ASSERT_EQ(expects_of(r, 1).size(), 1u);
  EXPECT_EQ(expects_of(r, 1)[0]->pattern, "204");
  EXPECT_TRUE(send_of(r, 1).headers.empty());
  EXPECT_EQ(send_of(r, 1).method, "OPTIONS");  // the defaults' option request went with its rules
}

TEST(HttpCheck, Errors) {
  EXPECT_EQ(only_error(backend("  http-check\n")),
            "t.cfg:2: 'http-check': missing action: expects connect, send, expect, comment, "
            "set-var, unset-var, disable-on-404 or send-state");
  EXPECT_EQ(only_error(backend("  http-check sned\n")),
            "t.cfg:2: 'http-check sned': unknown action 'sned': expects connect, send, expect, "
            "comment, set-var, set-var-fmt, unset-var, disable-on-404 or send-state");
  EXPECT_EQ(only_error(backend("  http-check expect status 20x\n")),
            "t.cfg:2: 'http-check expect': invalid status list '20x': expects codes or ranges "
            "between 100 and 999, such as 200 or 200-299,304");
  EXPECT_EQ(only_error(backend("  http-check expect rstatus (\n")).substr(0, 62),
            "t.cfg:2: 'http-check expect': invalid regular expression '(': ");
  EXPECT_EQ(only_error(backend("  http-check send hdr Host\n")),
            "t.cfg:2: 'http-check send': 'hdr' expects a name and a value");
  EXPECT_EQ(only_error(backend("  http-check send ver HTTP/3\n")),
            "t.cfg:2: 'http-check send': invalid version 'HTTP/3': expects HTTP/1.0 or HTTP/1.1");
  EXPECT_EQ(only_error(backend("  http-check send\n  http-check send\n")),
            "t.cfg:3: 'http-check send': unable to add http-check send rule at step 2 (missing "
            "connect rule)");
  EXPECT_EQ(only_error(backend("  http-check connect\n  http-check expect status 200\n")),
            "t.cfg:3: 'http-check expect': unable to add http-check expect rule at step 2 "
            "(missing send rule)");
  EXPECT_EQ(only_error(backend("  option httpchk\n  http-check disable-on-404 x\n")),
            "t.cfg:3: 'http-check disable-on-404': expects 'http-check disable-on-404' alone");
  EXPECT_EQ(only_error(parse("frontend f\n  http-check expect status 200\n")),
            "t.cfg:2: 'http-check': not allowed in a frontend section (allowed in: defaults, "
            "backend, listen)");
}

TEST(HttpCheck, DisableOn404) {
  ParseResult r = backend("  option httpchk\n  http-check disable-on-404\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(r.config.proxies.at(0).check.disable_on_404);
  EXPECT_TRUE(r.warnings.empty());
  // As HAProxy: without option httpchk it is ignored, with a warning.
  r = parse_and_validate(
      "backend b\n  option tcp-check\n  http-check disable-on-404\n"
      "  server s 127.0.0.1:80 check\n");
  EXPECT_TRUE(has(r.warnings,
                  "t.cfg:3: 'http-check disable-on-404': will be ignored for backend "
                  "'b' (requires 'option httpchk')"));
}

TEST(HttpCheck, RulesWithoutOptionHttpchkWarn) {
  auto r = parse_and_validate(std::string(testing::kValidTcp) + "  http-check expect status 200\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(has(r.warnings,
                  "t.cfg:11: 'http-check': ignored in 'be': http-check rules need "
                  "'option httpchk'"))
      << dump(r.warnings);
}

TEST(HealthChecks, AFullBackendValidatesWithoutWarnings) {
  auto r =
      parse_and_validate(std::string(testing::kValidTcp) +
                         "  timeout check 2s\n"
                         "  option httpchk GET /health\n"
                         "  http-check expect status 200\n"
                         "  server s2 127.0.0.1:9001 check inter 1s fall 2 rise 3 port 9002\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(r.warnings.empty()) << dump(r.warnings);
}

}  // namespace
}  // namespace hearth::config
