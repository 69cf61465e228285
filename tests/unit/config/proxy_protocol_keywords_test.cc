// The PROXY protocol keywords: bind accept-proxy, tcp-request connection
// expect-proxy layer4, and the server options send-proxy & co,
// proxy-v2-options and check-send-proxy (also from default-server); and the
// SOCKS4 tunnel: socks4 and check-via-socks4.
#include <gtest/gtest.h>

#include "config/tcp_rule.h"
#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::dump;
using testing::only_error;
using testing::parse;

const ServerConfig& server(const ParseResult& r, size_t i = 0) {
  return r.config.proxies.at(0).servers.at(i);
}

TEST(ProxyProtocolKeywords, AcceptProxyAndExpectProxy) {
  auto r = parse(
      "frontend f\n  bind :80 accept-proxy\n  bind :81\n"
      "  tcp-request connection expect-proxy layer4 if { src 10.0.0.0/8 }\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const ProxyConfig& p = r.config.proxies.at(0);
  EXPECT_TRUE(p.binds.at(0).opts.accept_proxy);
  EXPECT_FALSE(p.binds.at(1).opts.accept_proxy);
  ASSERT_EQ(p.tcp.connection.size(), 1u);
  EXPECT_EQ(p.tcp.connection[0].action, TcpRule::Action::kExpectProxy);
  EXPECT_TRUE(p.tcp.connection[0].cond);
}

TEST(ProxyProtocolKeywords, ServerOptions) {
  auto r = parse(
      "backend b\n"
      "  server v1 127.0.0.1:80 send-proxy\n"
      "  server v2 127.0.0.1:80 send-proxy-v2 proxy-v2-options authority,crc32c,unique-id\n"
      "  server ssl 127.0.0.1:80 send-proxy-v2-ssl\n"
      "  server cn 127.0.0.1:80 send-proxy-v2-ssl-cn\n"
      "  server all 127.0.0.1:80 send-proxy-v2 proxy-v2-options ssl-cipher,cert-sig,cert-key\n"
      "  server chk 127.0.0.1:80 check port 81 check-send-proxy\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(server(r, 0).send_proxy_v1);
  EXPECT_FALSE(server(r, 0).send_proxy_v2);
  EXPECT_TRUE(server(r, 1).send_proxy_v2);
  EXPECT_EQ(server(r, 1).proxy_v2_opts, kPpAuthority | kPpCrc32c | kPpUniqueId);
  EXPECT_EQ(server(r, 2).proxy_v2_opts, kPpSsl);
  EXPECT_EQ(server(r, 3).proxy_v2_opts, kPpSsl | kPpCertCn);
  EXPECT_EQ(server(r, 4).proxy_v2_opts, kPpSsl | kPpSslCipher | kPpCertSig | kPpCertKey);
  EXPECT_TRUE(server(r, 5).check_send_proxy);
  EXPECT_FALSE(server(r, 5).send_proxy_v1);
  EXPECT_TRUE(r.warnings.empty()) << dump(r.warnings);
}

TEST(ProxyProtocolKeywords, DefaultServerAndTheNoForms) {
  auto r = parse(
      "backend b\n  default-server send-proxy-v2-ssl-cn send-proxy\n"
      "  server a 127.0.0.1:80\n"
      "  server b 127.0.0.1:80 no-send-proxy-v2-ssl-cn no-send-proxy\n"
      "  server c 127.0.0.1:80 no-send-proxy-v2-ssl\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(server(r, 0).send_proxy_v1);
  EXPECT_TRUE(server(r, 0).send_proxy_v2);
  EXPECT_EQ(server(r, 0).proxy_v2_opts, kPpSsl | kPpCertCn);
  EXPECT_FALSE(server(r, 1).send_proxy_v1);
  EXPECT_FALSE(server(r, 1).send_proxy_v2);
  EXPECT_EQ(server(r, 1).proxy_v2_opts, 0);
  EXPECT_FALSE(server(r, 2).send_proxy_v2);
  EXPECT_EQ(server(r, 2).proxy_v2_opts, kPpCertCn);
}

TEST(ProxyProtocolKeywords, Refusals) {
  EXPECT_EQ(only_error(parse("backend b\n  server s 127.0.0.1:80 send-proxy-v2 "
                             "proxy-v2-options ssl,bogus\n")),
            "t.cfg:2: 'server': 'proxy-v2-options': unknown option 'bogus'; accepted: ssl, "
            "cert-cn, ssl-cipher, cert-sig, cert-key, authority, crc32c or unique-id");
  EXPECT_EQ(only_error(parse("backend b\n  server s 127.0.0.1:80 proxy-v2-options\n")),
            "t.cfg:2: 'server': 'proxy-v2-options' expects a list of ssl, cert-cn, ssl-cipher, "
            "cert-sig, cert-key, authority, crc32c or unique-id");
  EXPECT_EQ(only_error(parse("backend b\n  server s 127.0.0.1:80 send-proxy-v3\n"))
                .find("unknown server option 'send-proxy-v3'"),
            std::string("t.cfg:2: 'server': ").size());
}

TEST(ProxyProtocolKeywords, OptionsWithoutV2AreAWarning) {
  auto r = parse("backend b\n  server s 127.0.0.1:80 send-proxy proxy-v2-options crc32c\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(dump(r.warnings).find("only apply to a PROXY v2 header"), std::string::npos)
      << dump(r.warnings);
}

TEST(ProxyProtocolKeywords, Socks4AsHAProxy) {
  auto r = parse(
      "backend b\n  default-server check-via-socks4\n"
      "  server s 127.0.0.1:80 socks4 127.0.0.1:1080\n"
      "  server t 127.0.0.1:80 socks4 localhost:1080 check\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(server(r).socks4, "127.0.0.1:1080");
  EXPECT_TRUE(server(r).check_via_socks4);
  EXPECT_EQ(server(r, 1).socks4, "localhost:1080");
  EXPECT_TRUE(r.warnings.empty()) << dump(r.warnings);
  EXPECT_EQ(only_error(parse("backend b\n  server s 127.0.0.1:80 socks4\n")),
            "t.cfg:2: 'server': 'socks4' expects <addr>:<port> as argument");
  EXPECT_NE(only_error(parse("backend b\n  server s 127.0.0.1:80 socks4 127.0.0.1\n"))
                .find("'socks4 127.0.0.1': missing ':PORT'"),
            std::string::npos);
  EXPECT_NE(only_error(parse("backend b\n  server s 127.0.0.1:80 socks4 fd@3\n"))
                .find("not a file descriptor"),
            std::string::npos);
  // Accepted as HAProxy accepts them, with a word on what they do.
  auto w = parse(
      "backend b\n  server s 127.0.0.1:80 check-via-socks4\n"
      "  server t [::1]:80 socks4 127.0.0.1:1080\n");
  ASSERT_TRUE(w.ok()) << dump(w.errors);
  EXPECT_NE(dump(w.warnings).find("'check-via-socks4' has no effect without 'socks4"),
            std::string::npos)
      << dump(w.warnings);
  EXPECT_NE(dump(w.warnings).find("'socks4' carries IPv4 destinations only"), std::string::npos)
      << dump(w.warnings);
}

}  // namespace
}  // namespace hearth::config
