// The certificate store of the runtime API through the real binary,
// compared with HAProxy 2.6 on the same files: "new ssl cert" and "del ssl
// cert", every certificate loaded listed (a server's client certificate
// too), and a server's client certificate replaced with "set/commit ssl
// cert": the next connections present the new one, a server deleted stops
// using it, and a server added later takes the committed one.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"
#include "support/temp_dir.h"
#include "support/test_certs.h"
#include "tls_test_util.h"

namespace hearth::test::http {
namespace {

using tls::addr;
using tls::no_empty_lines;
using tls::read_all;

std::vector<std::string> store_session(const std::string& binary, TestCerts& certs,
                                       const std::string& alice, const std::string& bob) {
  TempDir tmp;
  const std::string sock = tmp.file("stats.sock");
  const uint16_t front = free_tcp_port(), tls_port = free_tcp_port();
  HearthOptions opt{.wait_ports = {front, tls_port}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  const std::string srv = "127.0.0.1:" + std::to_string(tls_port) + " ssl verify none crt " + alice;
  HearthProcess h("global\n  stats socket " + sock + " level admin\n" +
                      "defaults\n  mode http\n  timeout connect 2s\n  timeout client 10s\n"
                      "  timeout server 10s\n  http-reuse never\n"
                      "frontend fe\n  bind " +
                      addr(front) + "\n  default_backend be\nbackend be\n  server s1 " + srv +
                      "\n  server s2 " + srv + "\nlisten tls\n  bind " + addr(tls_port) +
                      " ssl crt " + certs.dir() + "/default.pem ca-file " + certs.ca_pem() +
                      " verify optional\n  http-request return status 200 hdr x-cn "
                      "\"%[ssl_c_s_dn(CN)]\"\n",
                  opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  std::vector<std::string> seen;
  if (!h.ready()) return seen;
  const std::regex dir(certs.dir()), port(":" + std::to_string(tls_port));
  auto cli = [&](const std::string& cmd) {
    const std::string echo = std::regex_replace(cmd.substr(0, cmd.find('\n')), dir, "D");
    seen.push_back(std::regex_replace(echo, port, ":P") + " => " +
                   std::regex_replace(stats_command(sock, cmd), dir, "D"));
  };
  auto cn = [&] {
    HttpClient c(front);
    c.send("GET / HTTP/1.1\r\nhost: a\r\nconnection: close\r\n\r\n");
    const HttpResponse r = c.read_response();
    seen.push_back("request => " + std::to_string(r.status) + " " + r.header("x-cn").value_or("-"));
  };
  const std::string x = certs.dir() + "/x.pem";
  cn();
  cli("show ssl cert");
  cli("new ssl cert " + x);
  cli("new ssl cert " + x);
  cli("show ssl cert");
  cli("show ssl cert " + x);
  cli("del ssl cert " + x);
  cli("del ssl cert " + x);
  cli("del ssl cert " + alice);
  cli("new ssl cert");
  cli("del ssl cert");
  cli("set ssl cert " + alice + " <<\n" + bob);
  cli("commit ssl cert " + alice);
  cn();
  cn();
  cli("disable server be/s1");
  cli("disable server be/s2");
  cli("del server be/s1");
  cli("del server be/s2");
  cli("show ssl cert " + alice);
  cli("add server be/s3 " + srv);
  cli("enable server be/s3");
  cli("show ssl cert " + alice);
  cn();
  return seen;
}

TEST(TlsCertStoreVsHAProxy, NewDelAndServerCertificatesAsHAProxy) {
  TestCerts certs;
  certs.server("default.pem", "www.example.com", {"www.example.com"});
  const std::string alice_crt = certs.client("alice", "alice");
  const std::string bob = certs.client("bob", "bob");
  ASSERT_EQ(certs.last_error(), "");
  auto with_key = [](const std::string& crt) {
    return no_empty_lines(read_all(crt) + read_all(crt.substr(0, crt.size() - 4) + ".key"));
  };
  // A server's client certificate: certificate and key in one file.
  const std::string alice = certs.dir() + "/alice-full.pem";
  ASSERT_TRUE(write_file(alice, with_key(alice_crt)));
  // The replacement: bob's certificate and key as one payload.
  const std::string bob_pem = with_key(bob);
  const std::vector<std::string> ours = store_session("", certs, alice, bob_pem);
  const std::vector<std::string> theirs = store_session("haproxy", certs, alice, bob_pem);
  ASSERT_EQ(ours.size(), theirs.size());
  for (size_t i = 0; i < ours.size(); ++i) EXPECT_EQ(ours[i], theirs[i]) << "step " << i;
  EXPECT_EQ(ours[0], "request => 200 alice");
  EXPECT_EQ(ours[13], "request => 200 bob");
  EXPECT_EQ(ours[14], "request => 200 bob");
  EXPECT_NE(ours[19].find("Status: Unused"), std::string::npos) << ours[19];
  EXPECT_NE(ours[22].find("Status: Used"), std::string::npos) << ours[22];
  EXPECT_EQ(ours[23], "request => 200 bob");
}

}  // namespace
}  // namespace hearth::test::http
