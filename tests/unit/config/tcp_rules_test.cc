// "tcp-request" and "tcp-response": rule sets, actions, conditions, inspect
// delays, and every HAProxy 2.6 action Hearth does not run refused by name.
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::dump;
using testing::has;
using testing::only_error;
using testing::parse;

using Action = TcpRule::Action;

const TcpRules& tcp(const ParseResult& r, size_t i = 0) { return r.config.proxies.at(i).tcp; }

TEST(TcpRules, RuleSetsInOrderWithConditions) {
  auto r = parse(
      "frontend f\n"
      "  tcp-request inspect-delay 5s\n"
      "  tcp-request connection reject if { src 10.0.0.0/8 }\n"
      "  tcp-request connection set-var(sess.tag) str(x)\n"
      "  tcp-request session accept\n"
      "  tcp-request content accept if { req_ssl_hello_type 1 }\n"
      "  tcp-request content reject unless WAIT_END\n"
      "  tcp-request content set-var-fmt(txn.sni) %[req.ssl_sni]\n"
      "  tcp-request content unset-var(txn.sni)\n"
      "backend b\n"
      "  tcp-response inspect-delay 250ms\n"
      "  tcp-request content reject if { req.len gt 100 }\n"
      "  tcp-response content accept if { res.payload(0,2) -m bin 1603 }\n"
      "  tcp-response content close if { res.len gt 0 }\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(r.warnings.empty()) << dump(r.warnings);
  const TcpRules& f = tcp(r);
  EXPECT_EQ(f.inspect_delay, 5000);
  ASSERT_EQ(f.connection.size(), 2u);
  EXPECT_EQ(f.connection[0].action, Action::kReject);
  EXPECT_TRUE(f.connection[0].cond);
  EXPECT_EQ(f.connection[1].action, Action::kSetVar);
  EXPECT_FALSE(f.connection[1].cond);
  ASSERT_EQ(f.session.size(), 1u);
  ASSERT_EQ(f.content.size(), 4u);
  EXPECT_EQ(f.content[1].action, Action::kReject);
  EXPECT_TRUE(f.content[1].cond->unless);
  EXPECT_EQ(f.content[2].action, Action::kSetVarFmt);
  EXPECT_TRUE(f.content[2].fmt);
  EXPECT_EQ(f.content[3].action, Action::kUnsetVar);
  const TcpRules& b = tcp(r, 1);
  EXPECT_EQ(b.res_inspect_delay, 250);
  ASSERT_EQ(b.content.size(), 1u);
  ASSERT_EQ(b.response.size(), 2u);
  EXPECT_EQ(b.response[1].action, Action::kClose);
}

TEST(TcpRules, InspectDelayInheritedFromDefaults) {
  auto r = parse(
      "defaults\n  mode tcp\n  tcp-request inspect-delay 3s\n  tcp-response inspect-delay 1s\n"
      "listen l\n  bind :8000\n  tcp-request content accept\n  server s 127.0.0.1:80\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(tcp(r).inspect_delay, 3000);
  EXPECT_EQ(tcp(r).res_inspect_delay, 1000);
}

// Every action Hearth does not run is an error naming file, line and action.
TEST(TcpRules, UnsupportedActionsAreRefusedByName) {
  const char* const cases[][2] = {
      {"tcp-request session expect-proxy layer4", "only tcp-request connection rules"},
      {"tcp-request content expect-proxy layer4", "only tcp-request connection rules"},
      {"tcp-request connection expect-proxy", "expects 'expect-proxy layer4'"},
      {"tcp-request connection expect-proxy layer7", "expects 'expect-proxy layer4'"},
      // Stick counters: the table must exist; slots are 0 to 2.
      {"tcp-request connection track-sc0 src", "unable to find stick-table 'f'"},
      {"tcp-request session track-sc1 src table nosuch", "unable to find stick-table 'nosuch'"},
      {"tcp-request connection sc-inc-gpc0(3)", "the tracked counter must be 0 to 2"},
      {"tcp-request content sc-set-gpt(100,0) 1", "the index must be 0 to 99"},
      {"tcp-request content sc-set-gpt0(0)", "missing value"},
      {"tcp-request content track-sc0", "missing key"},
      {"tcp-request connection capture src len 4", "only tcp-request content rules capture"},
      {"tcp-request session capture src len 4", "only tcp-request content rules capture"},
      {"tcp-request content do-resolve(txn.ip,dns) str(x)", "resolvers"},
      {"tcp-request content switch-mode http", "switching"},
      {"tcp-request content use-service lua.x", "services"},
      {"tcp-request connection set-mark 1", "does not support this action yet"},
      {"tcp-request session set-log-level silent", "unknown action"},  // content only in 2.6
      {"tcp-request content set-nice 1", "does not support this action yet"},
      {"tcp-request connection set-priority-class int(1)", "unknown action"},  // content only
      {"tcp-request content send-spoe-group e g", "SPOE"},
      {"tcp-request content frobnicate", "unknown action"},
  };
  for (const auto& c : cases) {
    auto r = parse(std::string("frontend f\n  ") + c[0] + "\n");
    EXPECT_TRUE(has(r.errors, "t.cfg:2: '", c[1])) << c[0] << "\n" << dump(r.errors);
    EXPECT_EQ(r.errors.size(), 1u) << c[0] << "\n" << dump(r.errors);
  }
  auto r = parse("backend b\n  tcp-response content set-nice 1\n");
  EXPECT_EQ(
      only_error(r),
      "t.cfg:2: 'tcp-response content set-nice': Hearth does not support this "
      "action yet; supported: accept, reject, close, silent-drop, set-var, set-var-fmt, "
      "unset-var, set-log-level, sc-inc-gpc, sc-inc-gpc0, sc-inc-gpc1, sc-set-gpt or sc-set-gpt0");
  // Not response actions in HAProxy 2.6.
  EXPECT_TRUE(has(parse("backend b\n  tcp-response content set-src src\n").errors,
                  "t.cfg:2: 'tcp-response content set-src'", "unknown action"));
  EXPECT_TRUE(has(parse("backend b\n  tcp-response content capture src len 3\n").errors,
                  "t.cfg:2: 'tcp-response content capture'",
                  "only tcp-request content rules capture"));
}

// As HAProxy: a set-var-fmt format may print the stream's %-variables, but
// not those of an HTTP transaction while the proxy is in mode tcp.
TEST(TcpRules, SetVarFmtRefusesHttpVariablesInModeTcp) {
  EXPECT_TRUE(
      parse("frontend f\n  tcp-request content set-var-fmt(txn.a) \"%ci:%cp %Ts%ms %b\"\n").ok());
  EXPECT_TRUE(has(parse("frontend f\n  tcp-request content set-var-fmt(txn.a) \"x %TR\"\n").errors,
                  "t.cfg:2: 'tcp-request content set-var-fmt'",
                  "format variable '%TR' needs an HTTP transaction"));
  EXPECT_TRUE(
      parse("frontend f\n  mode http\n  tcp-request content set-var-fmt(txn.a) %HM\n").ok());
}

TEST(TcpRules, SetLogLevelInResponseRules) {
  auto r = parse("backend b\n  tcp-response content set-log-level err if { res.len gt 0 }\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  ASSERT_EQ(tcp(r).response.size(), 1u);
  EXPECT_EQ(tcp(r).response[0].action, Action::kSetLogLevel);
  EXPECT_EQ(tcp(r).response[0].log_level, kLogErr);
  EXPECT_TRUE(tcp(r).response[0].cond);
}

// set-src, set-src-port, set-dst, set-dst-port in the three request sets;
// connection and session rules see the connection only.
TEST(TcpRules, AddressActions) {
  auto r = parse(
      "frontend f\n"
      "  tcp-request connection set-src str(10.1.2.3) if { src 127.0.0.1 }\n"
      "  tcp-request connection set-src-port int(4000)\n"
      "  tcp-request session set-dst str(::1)\n"
      "  tcp-request content set-dst-port req.payload(0,2),hex2i unless { req.len lt 2 }\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const TcpRules& f = tcp(r);
  ASSERT_EQ(f.connection.size(), 2u);
  EXPECT_EQ(f.connection[0].action, Action::kSetSrc);
  EXPECT_TRUE(f.connection[0].expr);
  EXPECT_TRUE(f.connection[0].cond);
  EXPECT_EQ(f.connection[1].action, Action::kSetSrcPort);
  EXPECT_FALSE(f.connection[1].cond);
  ASSERT_EQ(f.session.size(), 1u);
  EXPECT_EQ(f.session[0].action, Action::kSetDst);
  ASSERT_EQ(f.content.size(), 1u);
  EXPECT_EQ(f.content[0].action, Action::kSetDstPort);
  EXPECT_TRUE(f.content[0].cond->unless);
  EXPECT_TRUE(has(parse("frontend f\n  tcp-request connection set-src\n").errors,
                  "t.cfg:2: 'tcp-request connection set-src'",
                  "missing argument: expects set-src EXPR"));
  EXPECT_TRUE(has(parse("frontend f\n  tcp-request session set-dst if TRUE\n").errors,
                  "t.cfg:2: 'tcp-request session set-dst'", "missing argument"));
  // No bytes have been read at connection level.
  EXPECT_EQ(parse("frontend f\n  tcp-request connection set-src req.payload(0,4)\n").errors.size(),
            1u);
  EXPECT_TRUE(has(parse("frontend f\n  tcp-request content set-src src junk\n").errors,
                  "t.cfg:2: 'tcp-request content set-src'", "unexpected 'junk'"));
}

// capture EXPR len N declares the next request slot, numbered with the
// header captures and the http-request ones in the order written.
TEST(TcpRules, ContentCaptureDeclaresASlot) {
  auto r = parse(
      "frontend f\n"
      "  capture request header Host len 10\n"
      "  tcp-request content capture req.payload(0,4) len 4 if { req.len ge 4 }\n"
      "  declare capture request len 7\n"
      "  tcp-request content capture src len 15\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const TcpRules& f = tcp(r);
  ASSERT_EQ(f.content.size(), 2u);
  EXPECT_EQ(f.content[0].action, Action::kCapture);
  EXPECT_EQ(f.content[0].cap_id, 1);
  EXPECT_TRUE(f.content[0].cond);
  EXPECT_EQ(f.content[1].cap_id, 3);
  const auto& caps = r.config.proxies.at(0).logcfg.req_caps;
  ASSERT_EQ(caps.size(), 4u);
  EXPECT_EQ(caps[1].len, 4);
  EXPECT_EQ(caps[1].header, "");
  EXPECT_EQ(caps[3].len, 15);
  EXPECT_TRUE(has(parse("backend b\n  tcp-request content capture src len 4\n").errors,
                  "t.cfg:2: 'tcp-request content capture'", "only a frontend or listen"));
  EXPECT_TRUE(has(parse("frontend f\n  tcp-request content capture src len 0\n").errors,
                  "t.cfg:2: 'tcp-request content capture'", "invalid length '0'"));
  EXPECT_TRUE(has(parse("frontend f\n  tcp-request content capture src id 1\n").errors,
                  "t.cfg:2: 'tcp-request content capture'",
                  "expects 'tcp-request content capture EXPR len N'"));
  EXPECT_TRUE(has(parse("frontend f\n  tcp-request content capture len 4\n").errors,
                  "t.cfg:2: 'tcp-request content capture'", "expects"));
}

TEST(TcpRules, SetLogLevelInContentRules) {
  auto r = parse(
      "frontend f\n  tcp-request content set-log-level err if { src 10.0.0.1 }\n"
      "backend b\n  tcp-request content set-log-level silent\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  ASSERT_EQ(tcp(r).content.size(), 1u);
  EXPECT_EQ(tcp(r).content[0].action, Action::kSetLogLevel);
  EXPECT_EQ(tcp(r).content[0].log_level, kLogErr);
  EXPECT_TRUE(tcp(r).content[0].cond);
  ASSERT_EQ(tcp(r, 1).content.size(), 1u);
  EXPECT_EQ(tcp(r, 1).content[0].log_level, kLogSilent);
  EXPECT_EQ(only_error(parse("frontend f\n  tcp-request content set-log-level loud\n")),
            "t.cfg:2: 'tcp-request content set-log-level': expects one level: emerg, alert, "
            "crit, err, warning, notice, info, debug or silent, found 'loud'");
}

// HAProxy 2.6: a named defaults section may hold TCP rules; its proxies run
// them before their own (tcp-rules/default_rules.vtc of HAProxy's reg-tests).
TEST(TcpRules, NamedDefaultsRulesRunBeforeTheProxysOwn) {
  auto r = parse(
      "defaults common\n  mode http\n"
      "defaults front from common\n  tcp-request connection accept\n"
      "  tcp-request session accept\n  tcp-request inspect-delay 5s\n"
      "  tcp-request content set-var(txn.t) str(front)\n"
      "defaults back from common\n  tcp-response inspect-delay 2s\n"
      "  tcp-response content accept\n"
      "frontend f from front\n  bind :1\n  tcp-request connection reject\n"
      "  tcp-request content reject\n  default_backend b\n"
      "backend b from back\n  tcp-response content reject\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const TcpRules& f = tcp(r, 0);
  ASSERT_EQ(f.connection.size(), 2u);
  EXPECT_EQ(f.connection[0].action, Action::kAccept);
  EXPECT_EQ(f.connection[1].action, Action::kReject);
  EXPECT_EQ(f.session.size(), 1u);
  ASSERT_EQ(f.content.size(), 2u);
  EXPECT_EQ(f.content[0].action, Action::kSetVar);
  EXPECT_EQ(f.inspect_delay, 5000);
  const TcpRules& b = tcp(r, 1);
  ASSERT_EQ(b.response.size(), 2u);
  EXPECT_EQ(b.response[0].action, Action::kAccept);
  EXPECT_EQ(b.response[1].action, Action::kReject);
  EXPECT_EQ(b.res_inspect_delay, 2000);
}

// The misuses HAProxy 2.6 refuses (startup/default_rules.vtc h1-h13).
TEST(TcpRules, DefaultsRulesErrors) {
  EXPECT_EQ(only_error(parse("defaults\n  tcp-request session accept\n")),
            "t.cfg:2: 'tcp-request': not allowed in an anonymous defaults section: name it "
            "(defaults NAME) and have proxies use it with 'from NAME'");
  EXPECT_EQ(only_error(parse("defaults d\n  tcp-request connection accept\n"
                             "backend b from d\n  server s 127.0.0.1:2\n")),
            "t.cfg:3: 'backend': a backend cannot inherit the 'tcp-request connection' or "
            "'tcp-request session' rules of the defaults section at t.cfg:1");
  EXPECT_EQ(only_error(parse("defaults d\n  tcp-response content accept\n"
                             "frontend f from d\n  bind :1\n")),
            "t.cfg:3: 'frontend': a frontend cannot inherit the 'tcp-response' rules of the "
            "defaults section at t.cfg:1");
  EXPECT_EQ(only_error(parse("defaults d\n  tcp-request content accept\n"
                             "listen l from d\n  bind :1\n  server s 127.0.0.1:2\n")),
            "t.cfg:3: 'listen': a listen section cannot inherit TCP/HTTP rules from a defaults "
            "section (the one at t.cfg:1)");
  EXPECT_EQ(only_error(parse("defaults d\n  tcp-request content accept\n"
                             "frontend f from d\n  bind :1\n  default_backend b\n"
                             "backend b from d\n  server s 127.0.0.1:2\n")),
            "t.cfg:6: 'backend': the defaults section at t.cfg:1 defines TCP/HTTP rules: it may "
            "serve frontends or backends, not both");
  EXPECT_EQ(only_error(parse("defaults d\n  tcp-response content accept\n"
                             "defaults e from d\n  mode tcp\n")),
            "t.cfg:3: 'defaults': a defaults section cannot start from 'd', which defines "
            "TCP/HTTP rules");
}

TEST(TcpRules, MisplacedOrMalformed) {
  EXPECT_TRUE(has(parse("backend b\n  tcp-request connection reject\n").errors,
                  "t.cfg:2: 'tcp-request connection'", "frontend and listen"));
  EXPECT_TRUE(has(parse("frontend f\n  tcp-response content accept\n").errors,
                  "t.cfg:2: 'tcp-response content'", "backend and listen"));
  EXPECT_TRUE(has(parse("defaults\n  tcp-request content accept\n").errors,
                  "t.cfg:2: 'tcp-request'", "not allowed in an anonymous defaults section"));
  EXPECT_TRUE(has(parse("frontend f\n  tcp-request content\n").errors,
                  "t.cfg:2: 'tcp-request content'", "missing action"));
  EXPECT_TRUE(has(parse("frontend f\n  tcp-request bogus accept\n").errors,
                  "t.cfg:2: 'tcp-request bogus'", "unknown rule set"));
  EXPECT_TRUE(has(parse("frontend f\n  tcp-request content accept now\n").errors,
                  "t.cfg:2: 'tcp-request content accept'", "unexpected 'now'"));
  EXPECT_TRUE(has(parse("frontend f\n  tcp-request content set-var(txn.x)\n").errors,
                  "t.cfg:2: 'tcp-request content set-var'", "missing argument"));
  EXPECT_TRUE(has(parse("frontend f\n  tcp-request inspect-delay soon\n").errors,
                  "t.cfg:2: 'tcp-request inspect-delay'"));
  EXPECT_TRUE(has(parse("frontend f\n  tcp-request inspect-delay\n").errors,
                  "t.cfg:2: 'tcp-request inspect-delay'"));
  EXPECT_TRUE(has(parse("frontend f\n  tcp-request content reject if { req.payload(0) -m bin 00 "
                        "}\n")
                      .errors,
                  "t.cfg:2: 'tcp-request content reject'"));
}

// As HAProxy 2.6.12: a buffer fetch in a connection rule parses, with a
// warning that it never matches; so does a request one in tcp-response.
TEST(TcpRules, FetchesWithoutDataWarn) {
  auto r = parse(
      "frontend f\n  tcp-request connection accept if { req.len gt 0 }\n"
      "backend b\n  tcp-response content accept if { req.len gt 1 }\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(has(r.warnings, "t.cfg:2: 'tcp-request connection accept'", "never match"));
  EXPECT_TRUE(has(r.warnings, "t.cfg:4: 'tcp-response content accept'", "never match"));
}

TEST(TcpRules, UseBackendMayReadTheInspectedBytes) {
  auto r = parse(
      "frontend f\n  mode tcp\n  use_backend b if { req.ssl_sni -i a.example.com }\n"
      "backend b\n  mode tcp\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(r.warnings.empty()) << dump(r.warnings);
}

// In http mode tcp-response rules run once per response (final), as the
// request's content rules do.
TEST(TcpRules, ResponseRulesAcceptedInHttpMode) {
  auto r = testing::parse_and_validate(
      "defaults\n  mode http\n  timeout connect 1s\n  timeout server 1s\n"
      "backend b\n  tcp-response content accept\n  server s 127.0.0.1:80\n");
  EXPECT_TRUE(r.ok()) << dump(r.errors);
}

}  // namespace
}  // namespace hearth::config
