// "option tcp-check" and "tcp-check" rules, the protocol checks' options and
// their fixed rule lists, and the agent-check server options: what they
// parse into, and the errors a user gets.
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
const CheckConfig& checks(const ParseResult& r) { return r.config.proxies.at(0).check; }

TEST(TcpCheck, ConnectAlpnIsAList) {
  auto r = backend("  option tcp-check\n  tcp-check connect ssl alpn h2,http/1.1\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(checks(r).rules.at(0).connect.alpn, (std::vector<std::string>{"h2", "http/1.1"}));
  r = backend("  option httpchk\n  http-check connect ssl alpn http/1.1\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  std::vector<std::string> offered;
  for (const CheckRule& rule : checks(r).rules)
    if (rule.action == CheckRule::Action::kConnect) offered = rule.connect.alpn;
  EXPECT_EQ(offered, (std::vector<std::string>{"http/1.1"}));
}

TEST(TcpCheck, ConnectViaSocks4) {
  auto r = backend("  option tcp-check\n  tcp-check connect port 80 via-socks4\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(checks(r).rules.at(0).connect.via_socks4);
  r = backend("  option httpchk\n  http-check connect via-socks4\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  bool via = false;
  for (const CheckRule& rule : checks(r).rules)
    if (rule.action == CheckRule::Action::kConnect) via = rule.connect.via_socks4;
  EXPECT_TRUE(via);
}

TEST(TcpCheck, RulesInOrder) {
  auto r = backend(
      "  option tcp-check\n"
      "  tcp-check comment start\n"
      "  tcp-check connect port 6379 send-proxy comment c1\n"
      "  tcp-check send PING\\r\\n\n"
      "  tcp-check send-binary 0a0B\n"
      "  tcp-check send-lf \"%[srv_name]\"\n"
      "  tcp-check expect min-recv 5 !rstring ^error error-status L7STS tout-status L4TOUT "
      "on-error \"%[res.payload(0,2)]\" on-success ok status-code res.len comment neg\n"
      "  tcp-check expect binary 2b4f4b\n"
      "  tcp-check set-var(check.x) str(a)\n"
      "  tcp-check unset-var(check.x)\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const CheckConfig& c = checks(r);
  EXPECT_EQ(c.type, CheckType::kTcp);
  ASSERT_EQ(c.rules.size(), 9u);
  EXPECT_EQ(c.rules[0].action, CheckRule::Action::kComment);
  EXPECT_EQ(c.rules[1].connect.port, 6379);
  EXPECT_TRUE(c.rules[1].connect.send_proxy);
  EXPECT_EQ(c.rules[1].comment, "c1");
  EXPECT_TRUE(c.rules[1].connect.alpn.empty());
  EXPECT_EQ(c.rules[2].send.data, "PING\r\n");
  EXPECT_EQ(c.rules[3].send.data, std::string("\x0a\x0b"));
  EXPECT_EQ(c.rules[4].send.kind, CheckSend::Kind::kStringLf);
  const CheckExpect& e = c.rules[5].expect;
  EXPECT_EQ(e.kind, CheckExpect::Kind::kRString);
  EXPECT_TRUE(e.negate);
  EXPECT_EQ(e.min_recv, 5);
  EXPECT_EQ(e.error_status, CheckStatus::kL7Sts);
  EXPECT_EQ(e.tout_status, CheckStatus::kL4Timeout);
  EXPECT_NE(e.on_error, nullptr);
  EXPECT_NE(e.on_success, nullptr);
  EXPECT_NE(e.status_code, nullptr);
  EXPECT_EQ(c.rules[5].comment, "neg");
  EXPECT_EQ(c.rules[6].expect.data, "+OK");
  EXPECT_EQ(c.rules[7].action, CheckRule::Action::kSetVar);
  EXPECT_EQ(c.rules[8].action, CheckRule::Action::kUnsetVar);
}

TEST(TcpCheck, Errors) {
  EXPECT_EQ(only_error(backend("  tcp-check expect strin x\n")),
            "t.cfg:2: 'tcp-check expect': unknown match 'strin': expects 'tcp-check expect "
            "[min-recv N] [comment C] [ok-status S] [error-status S] [tout-status S] [on-success "
            "FMT] [on-error FMT] [status-code EXPR] [!] string|rstring|binary|rbinary|string-lf|"
            "binary-lf PATTERN'");
  EXPECT_EQ(only_error(backend("  tcp-check expect binary abc\n")),
            "t.cfg:2: 'tcp-check expect': invalid binary pattern 'abc': expects an even number "
            "of hex digits");
  EXPECT_EQ(only_error(backend("  tcp-check expect error-status L7OK string x\n")),
            "t.cfg:2: 'tcp-check expect': invalid error-status 'L7OK': expects one of L7RSP, "
            "L7STS, L6RSP, L4CON");
  EXPECT_EQ(only_error(backend("  tcp-check connect ssl alpn h2,,x\n")),
            "t.cfg:2: 'tcp-check connect': invalid ALPN list 'h2,,x'");
  EXPECT_EQ(only_error(backend("  option httpchk\n  http-check connect ssl alpn h2,http/1.1\n")),
            "t.cfg:3: 'http-check connect': 'alpn h2,http/1.1': Hearth's HTTP checks speak "
            "HTTP/1.x only, so they may offer only http/1.1 and http/1.0 (got 'h2')");
  EXPECT_EQ(only_error(backend("  tcp-check connect port 0\n")),
            "t.cfg:2: 'tcp-check connect': invalid port '0': expects a number from 1 to 65535");
  EXPECT_EQ(only_error(backend("  tcp-check send\n")),
            "t.cfg:2: 'tcp-check send': expects 'send DATA [comment TEXT]'");
  EXPECT_EQ(only_error(backend("  tcp-check set-var(nope) str(a)\n")).substr(0, 62),
            "t.cfg:2: 'tcp-check set-var': invalid variable name 'nope': ex");
  EXPECT_EQ(only_error(backend("  http-check expect status 200\n  tcp-check send x\n")),
            "t.cfg:3: 'tcp-check send': cannot be mixed with http-check rules in one section");
  EXPECT_EQ(only_error(backend("  tcp-check frobnicate\n")).substr(0, 62),
            "t.cfg:2: 'tcp-check frobnicate': unknown action 'frobnicate': ");
}

TEST(TcpCheck, RulesWithoutTheOptionWarn) {
  auto r = parse_and_validate(std::string(testing::kValidTcp) + "  tcp-check send x\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(has(r.warnings,
                  "t.cfg:11: 'tcp-check': ignored in 'be': tcp-check rules need "
                  "'option tcp-check'"))
      << dump(r.warnings);
}

TEST(ProtocolChecks, FixedRuleLists) {
  struct Case {
    const char* line;
    CheckType type;
    size_t rules;
  } cases[] = {{"option redis-check", CheckType::kRedis, 2},
               {"option mysql-check", CheckType::kMysql, 2},
               {"option mysql-check user u", CheckType::kMysql, 4},
               {"option mysql-check user u pre-41", CheckType::kMysql, 4},
               {"option pgsql-check user postgres", CheckType::kPgsql, 4},
               {"option smtpchk", CheckType::kSmtp, 6},
               {"option smtpchk EHLO example.org", CheckType::kSmtp, 6},
               {"option ldap-check", CheckType::kLdap, 3},
               {"option ssl-hello-chk", CheckType::kSslHello, 2}};
  for (const Case& c : cases) {
    auto r = backend(std::string("  ") + c.line + "\n");
    ASSERT_TRUE(r.ok()) << c.line << "\n" << dump(r.errors);
    EXPECT_EQ(checks(r).type, c.type) << c.line;
    EXPECT_EQ(checks(r).proto_rules.size(), c.rules) << c.line;
  }
  // The mysql login packets, 4.1 unless pre-41 is asked for.
  auto post41 = backend("  option mysql-check user user\n");
  auto pre41 = backend("  option mysql-check user user pre-41\n");
  EXPECT_EQ(checks(post41).proto_rules[1].send.data.size(), 47u);
  EXPECT_EQ(checks(pre41).proto_rules[1].send.data.size(), 20u);
  auto smtp = backend("  option smtpchk EHLO example.org\n");
  ASSERT_EQ(checks(smtp).preset_vars.size(), 1u);
  EXPECT_EQ(checks(smtp).preset_vars[0].second, "EHLO example.org");
  auto off = backend("  option redis-check\n  no option redis-check\n");
  EXPECT_EQ(checks(off).type, CheckType::kL4);
}

TEST(ProtocolChecks, Errors) {
  EXPECT_EQ(only_error(backend("  option pgsql-check\n")),
            "t.cfg:2: 'option pgsql-check': expects 'option pgsql-check user USER'");
  EXPECT_EQ(only_error(backend("  option mysql-check user u post-42\n")),
            "t.cfg:2: 'option mysql-check': expects 'option mysql-check [user USER "
            "[post-41|pre-41]]'");
  EXPECT_EQ(only_error(backend("  option smtpchk FOO x\n")),
            "t.cfg:2: 'option smtpchk': expects 'option smtpchk [EHLO|HELO DOMAIN]'");
  EXPECT_EQ(only_error(backend("  option redis-check extra\n")),
            "t.cfg:2: 'option redis-check': unexpected argument 'extra': expects 'option "
            "redis-check' alone");
}

TEST(AgentCheck, ServerOptions) {
  auto r = backend(
      "  default-server agent-inter 3s\n"
      "  server a 10.0.0.1:80 agent-check agent-port 9999 agent-addr 10.0.0.2 agent-send "
      "hello\\n\n"
      "  server b 10.0.0.1:81 agent-check no-agent-check\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const ServerConfig& a = r.config.proxies[0].servers[0];
  EXPECT_TRUE(a.agent_check);
  EXPECT_EQ(a.agent_port, 9999);
  EXPECT_EQ(a.agent_addr, "10.0.0.2");
  EXPECT_EQ(a.agent_send, "hello\n");
  EXPECT_EQ(a.agent_inter, 3000);
  EXPECT_FALSE(r.config.proxies[0].servers[1].agent_check);
  auto noport =
      parse_and_validate(std::string(testing::kValidTcp) + "  server s9 127.0.0.1:9 agent-check\n");
  EXPECT_TRUE(
      has(noport.errors, "t.cfg:11: 'server': server 's9': 'agent-check' needs 'agent-port'"))
      << dump(noport.errors);
  EXPECT_EQ(only_error(backend("  server a 10.0.0.1:80 agent-addr host.example\n")),
            "t.cfg:2: 'server': option 'agent-addr' expects an IPv4 or IPv6 address, got "
            "'host.example'");
}

}  // namespace
}  // namespace hearth::config
