// The CA and CRL files of the runtime API through the real binary, compared
// with HAProxy 2.6 on the same files: show, new, set, commit, abort and del
// of "ssl ca-file" and "ssl crl-file", and what a commit changes: a client
// certificate revoked by a new revocation list, one of another CA accepted
// once that CA is added to a bind line's ca-file, and a server's certificate
// verified once its ca-file holds the right CA.
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

// Returns: `answer` without HAProxy's "@system-ca" line (the CA file its
// internal HTTP client loads; Hearth has none).
std::string without_system_ca(const std::string& answer) {
  return std::regex_replace(answer, std::regex("@system-ca - [0-9]+ certificate\\(s\\)\n"), "");
}

struct Files {
  std::string dir, ca, other_ca, crl_empty, crl_revoking, other_crl, server, alice, mallory, eve;
};

std::vector<std::string> session(const std::string& binary, const Files& f) {
  TempDir tmp;
  const std::string sock = tmp.file("stats.sock");
  const uint16_t fa = free_tcp_port(), fm = free_tcp_port(), fe = free_tcp_port(),
                 fv = free_tcp_port(), tls_port = free_tcp_port();
  HearthOptions opt{.wait_ports = {fa, fm, fe, fv, tls_port}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  // No resumption: each request is a full handshake, checked with what is
  // committed (a resumed session keeps the verification of its first one).
  const std::string to = "127.0.0.1:" + std::to_string(tls_port) + " ssl no-ssl-reuse ";
  auto front = [&](const std::string& name, uint16_t port, const std::string& server) {
    return "listen " + name + "\n  bind " + addr(port) + "\n  server s1 " + to + server + "\n";
  };
  HearthProcess h(
      "global\n  stats socket " + sock + " level admin\n" +
          "defaults\n  mode http\n  timeout connect 2s\n  timeout client 10s\n"
          "  timeout server 10s\n  http-reuse never\n  retries 0\n" +
          front("alice", fa, "verify none crt " + f.alice) +
          front("mallory", fm, "verify none crt " + f.mallory) +
          front("eve", fe, "verify none crt " + f.eve) +
          front("verified", fv, "verify required ca-file " + f.other_ca + " crt " + f.alice) + "listen tls\n  bind " +
          addr(tls_port) + " ssl crt " + f.server + " ca-file " + f.ca + " crl-file " +
          f.crl_empty +
          " verify optional crt-ignore-err all\n"
          "  http-request return status 200 hdr x-verify \"%[ssl_c_verify]\"\n",
      opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  std::vector<std::string> seen;
  if (!h.ready()) return seen;
  const std::regex dir(f.dir);
  auto cli = [&](const std::string& cmd) {
    seen.push_back(std::regex_replace(cmd.substr(0, cmd.find('\n')), dir, "D") + " => " +
                   without_system_ca(std::regex_replace(stats_command(sock, cmd), dir, "D")));
  };
  auto get = [&](const std::string& who, uint16_t port) {
    HttpClient c(port);
    c.send("GET / HTTP/1.1\r\nhost: a\r\nconnection: close\r\n\r\n");
    const HttpResponse r = c.read_response();
    seen.push_back(who + " => " + std::to_string(r.status) + " " +
                   r.header("x-verify").value_or("-"));
  };
  auto clients = [&] {
    get("alice", fa);
    get("mallory", fm);
    get("eve", fe);
    get("verified", fv);
  };
  const std::string ca_text = no_empty_lines(read_all(f.ca)),
                    other_text = no_empty_lines(read_all(f.other_ca));
  clients();
  cli("show ssl ca-file");
  cli("show ssl ca-file " + f.ca);
  cli("show ssl ca-file " + f.ca + ":2");
  cli("show ssl crl-file");
  cli("show ssl crl-file " + f.crl_empty);
  // A revocation list that revokes mallory's certificate, and the other CA's
  // (every CA of a chain needs one once a bind line has a crl-file).
  cli("set ssl crl-file " + f.crl_empty + " <<\n" +
      no_empty_lines(read_all(f.crl_revoking) + read_all(f.other_crl)));
  cli("show ssl crl-file");
  cli("show ssl crl-file *" + f.crl_empty + ":1");
  get("mallory", fm);  // not committed yet
  cli("commit ssl crl-file " + f.crl_empty);
  cli("show ssl crl-file " + f.crl_empty);
  // The bind line trusts eve's CA too.
  cli("set ssl ca-file " + f.ca + " <<\n" + ca_text + other_text);
  cli("show ssl ca-file");
  cli("show ssl ca-file *" + f.ca + ":2");
  cli("abort ssl ca-file " + f.ca);
  cli("commit ssl ca-file " + f.ca);
  cli("set ssl ca-file " + f.ca + " <<\n" + ca_text + other_text);
  cli("commit ssl ca-file " + f.ca);
  // The server's ca-file gets the CA that signed the bind's certificate.
  cli("set ssl ca-file " + f.other_ca + " <<\n" + ca_text);
  cli("set ssl ca-file " + f.ca + " <<\n" + ca_text);
  cli("commit ssl ca-file " + f.other_ca);
  clients();
  cli("show ssl ca-file");
  cli("show ssl ca-file " + f.ca);
  // New and deleted files, and the refusals.
  const std::string n = f.dir + "/new.pem";
  cli("new ssl ca-file " + n);
  cli("new ssl ca-file " + n);
  cli("show ssl ca-file");
  cli("show ssl ca-file " + n);
  cli("set ssl ca-file " + n + " <<\nnot a certificate");
  cli("del ssl ca-file " + n);
  cli("del ssl ca-file " + n);
  cli("del ssl ca-file " + f.ca);
  cli("new ssl crl-file " + n);
  cli("show ssl crl-file " + n);
  cli("del ssl crl-file " + n);
  cli("del ssl crl-file " + f.crl_empty);
  cli("show ssl ca-file " + n);
  cli("new ssl ca-file");
  cli("set ssl ca-file " + f.ca);
  cli("commit ssl crl-file " + f.crl_empty);
  cli("abort ssl crl-file " + f.crl_empty);
  return seen;
}

TEST(TlsCaFileVsHAProxy, CommandsAndTheirEffectAsHAProxy) {
  TestCerts certs, other("Other CA");
  Files f;
  f.dir = certs.dir();
  f.ca = certs.ca_pem();
  f.server = certs.server("server.pem", "server", {"server.test"});
  auto full = [&](TestCerts& c, const std::string& name) {
    const std::string crt = c.client(name, name);
    const std::string path = certs.dir() + "/" + name + "-full.pem";
    EXPECT_TRUE(write_file(path, read_all(crt) + read_all(c.dir() + "/" + name + ".key")));
    return path;
  };
  f.alice = full(certs, "alice");
  f.mallory = full(certs, "mallory");
  f.eve = full(other, "eve");
  f.crl_empty = certs.crl("crl.pem", {});
  f.crl_revoking = certs.crl("crl-mallory.pem", {certs.dir() + "/mallory.pem"});
  f.other_crl = other.crl("crl.pem", {});
  // The server's ca-file: a copy of the other CA under the shared directory.
  f.other_ca = certs.dir() + "/other-ca.pem";
  ASSERT_TRUE(write_file(f.other_ca, read_all(other.ca_pem())));
  ASSERT_EQ(certs.last_error() + other.last_error(), "");
  const std::vector<std::string> ours = session("", f);
  const std::vector<std::string> theirs = session("haproxy", f);
  ASSERT_EQ(ours.size(), theirs.size());
  for (size_t i = 0; i < ours.size(); ++i) EXPECT_EQ(ours[i], theirs[i]) << "step " << i;
  ASSERT_GE(ours.size(), 30u);
  // What the commits changed, in brief.
  EXPECT_EQ(ours[0], "alice => 200 0");
  EXPECT_EQ(ours[1], "mallory => 200 0");
  EXPECT_EQ(ours[3], "verified => 503 -");
  EXPECT_EQ(ours[12], "mallory => 200 0");  // set, not committed
  EXPECT_EQ(ours[25], "alice => 200 0");
  EXPECT_EQ(ours[26], "mallory => 200 23");  // revoked
  EXPECT_EQ(ours[27], "eve => 200 0");       // her CA is trusted now
  EXPECT_EQ(ours[28], "verified => 200 0");  // the server's CA file holds the right CA
}

// A server without a client certificate gets the committed CA file too.
// (HAProxy 2.6 rebuilds only the servers that have a "crt": it keeps
// verifying with the old CAs, and prints no dot for them.)
TEST(TlsCaFile, ServerWithoutClientCertificateVerifiesWithTheCommittedFile) {
  TestCerts certs, other("Other CA");
  const std::string server = certs.server("server.pem", "server", {"server.test"});
  const std::string other_ca = certs.dir() + "/other-ca.pem";
  ASSERT_TRUE(write_file(other_ca, read_all(other.ca_pem())));
  ASSERT_EQ(certs.last_error() + other.last_error(), "");
  TempDir tmp;
  const std::string sock = tmp.file("stats.sock");
  const uint16_t fv = free_tcp_port(), tls_port = free_tcp_port();
  HearthProcess h("global\n  stats socket " + sock +
                      " level admin\ndefaults\n  mode http\n  timeout connect 2s\n"
                      "  timeout client 10s\n  timeout server 10s\n  retries 0\n"
                      "listen verified\n  bind " +
                      addr(fv) + "\n  server s1 127.0.0.1:" + std::to_string(tls_port) +
                      " ssl verify required ca-file " + other_ca + "\nlisten tls\n  bind " +
                      addr(tls_port) + " ssl crt " + server + "\n  http-request return status 200\n",
                  HearthOptions{.wait_ports = {fv, tls_port}});
  ASSERT_TRUE(h.ready()) << h.describe();
  auto status = [&] {
    HttpClient c(fv);
    c.send("GET / HTTP/1.1\r\nhost: a\r\nconnection: close\r\n\r\n");
    return c.read_response().status;
  };
  EXPECT_EQ(status(), 503);
  EXPECT_EQ(stats_command(sock, "set ssl ca-file " + other_ca + " <<\n" +
                                    no_empty_lines(read_all(certs.ca_pem()))),
            "transaction created for CA " + other_ca + "!\n\n");
  EXPECT_EQ(stats_command(sock, "commit ssl ca-file " + other_ca),
            "Committing " + other_ca + ".\nSuccess!\n\n");
  EXPECT_EQ(status(), 200);
  EXPECT_NE(stats_command(sock, "show ssl ca-file " + other_ca).find("Status: Used"),
            std::string::npos);
}

}  // namespace
}  // namespace hearth::test::http
