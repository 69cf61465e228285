// The TLS commands of the runtime API through the real binary, compared with
// HAProxy 2.6 on the same files: certificates replaced without a restart
// (seen by openssl s_client before and after, with connections already
// established keeping theirs), crt-list lines added and deleted, and session
// ticket keys shared between processes and rotated.
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <regex>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"
#include "support/test_certs.h"
#include "support/tls_client.h"
#include "tls_test_util.h"

namespace hearth::test::http {
namespace {

using tls::addr;
using tls::presented_cn;
using tls::read_all;
using tls::s_client;
using tls::sni_args;

const char kDefaults[] =
    "defaults\n  mode http\n  timeout connect 2s\n  timeout client 10s\n  timeout server 10s\n";

class TlsRuntime : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    certs_ = new TestCerts();
    certs_->server("default.pem", "www.example.com", {"www.example.com"});
    certs_->server("b.pem", "b-old", {"b.test"});
    certs_->server("c.pem", "c", {"c.test"});
    certs_->server("new/b.pem", "b-new", {"b.test", "b2.test"}, KeyType::kEcdsa);
    ASSERT_EQ(certs_->last_error(), "");
    ASSERT_TRUE(write_file(certs_->dir() + "/sites.lst", "default.pem\nb.pem\n"));
  }
  static void TearDownTestSuite() { delete certs_; }
  static std::string path(const std::string& f) { return certs_->dir() + "/" + f; }
  static TestCerts* certs_;
};
TestCerts* TlsRuntime::certs_ = nullptr;

// What one binary answered and served along the command sequence.
std::vector<std::string> cert_session(const std::string& binary, const std::string& dir) {
  TempDir tmp;
  const std::string sock = tmp.file("stats.sock");
  const uint16_t port = free_tcp_port();
  HearthOptions opt{.wait_ports = {port}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  HearthProcess h("global\n  stats socket " + sock + " level admin\n  crt-base " + dir + "\n" +
                      kDefaults + "frontend fe\n  bind " + addr(port) + " ssl crt-list " + dir +
                      "/sites.lst crt c.pem\n  http-request return status 200\n",
                  opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  std::vector<std::string> seen;
  const std::regex where("/tmp/hearth-test-[A-Za-z0-9]+/hearth.cfg");
  auto cli = [&](const std::string& cmd) {
    seen.push_back(cmd.substr(0, 40) + " => " +
                   std::regex_replace(stats_command(sock, cmd), where, "CFG"));
  };
  auto served = [&](const std::string& sni) {
    seen.push_back(sni + " -> " + presented_cn(s_client(port, sni_args(sni))));
  };
  const std::string b = dir + "/b.pem", lst = dir + "/sites.lst";
  std::string fresh = read_all(dir + "/new/b.pem");
  fresh.pop_back();  // the payload ends at the first empty line
  served("b.test");
  cli("show ssl cert");
  cli("set ssl cert " + b + " <<\n" + fresh + "\n");
  cli("show ssl cert");
  cli("show ssl cert *" + b);
  served("b.test");  // not committed yet
  cli("commit ssl cert " + dir + "/c.pem");
  cli("commit ssl cert " + b);
  served("b.test");
  served("b2.test");  // the new certificate's names are indexed
  cli("show ssl cert " + b);
  cli("abort ssl cert " + b);
  cli("set ssl cert " + dir + "/nothere.pem <<\n" + fresh + "\n");
  cli("show ssl crt-list");
  cli("show ssl crt-list -n " + lst);
  cli("add ssl crt-list " + lst + " " + dir + "/c.pem");
  cli("add ssl crt-list " + lst + " <<\n" + b + " [ssl-min-ver TLSv1.2] x.test !y.test\n");
  served("x.test");
  cli("show ssl crt-list -n " + lst);
  cli("del ssl crt-list " + lst + " " + b);
  cli("del ssl crt-list " + lst + " " + b + ":4");
  served("x.test");
  cli("del ssl crt-list " + lst + " " + dir + "/default.pem");
  cli("del ssl crt-list " + lst + " " + dir + "/nothere.pem");
  cli("show ssl crt-list " + lst);
  return seen;
}

TEST_F(TlsRuntime, CertificateAndCrtListCommandsAsHAProxy) {
  const std::vector<std::string> hearth = cert_session("", certs_->dir());
  const std::vector<std::string> haproxy = cert_session("haproxy", certs_->dir());
  ASSERT_EQ(hearth.size(), haproxy.size());
  for (size_t i = 0; i < hearth.size(); ++i) EXPECT_EQ(hearth[i], haproxy[i]) << "step " << i;
  // What both did, in brief.
  EXPECT_EQ(hearth[0], "b.test -> b-old");
  EXPECT_EQ(hearth[5], "b.test -> b-old");
  EXPECT_NE(hearth[7].find("Success!"), std::string::npos) << hearth[7];
  EXPECT_EQ(hearth[8], "b.test -> b-new");
  EXPECT_EQ(hearth[9], "b2.test -> b-new");
}

TEST_F(TlsRuntime, HotUpdateLeavesRunningConnectionsAlone) {
  TempDir tmp;
  const std::string sock = tmp.file("stats.sock");
  const uint16_t port = free_tcp_port();
  HearthProcess h("global\n  stats socket " + sock + " level admin\n" + kDefaults +
                      "frontend fe\n  bind " + addr(port) + " ssl crt " + path("default.pem") +
                      " crt " + path("b.pem") + "\n  http-request return status 200\n",
                  HearthOptions{.wait_ports = {port}});
  ASSERT_TRUE(h.ready()) << h.describe();
  TlsClient before(port, {.sni = "b.test"});
  ASSERT_TRUE(before.ok()) << before.error();
  std::string head, body;
  ASSERT_TRUE(before.write_all("GET / HTTP/1.1\r\nhost: a\r\n\r\n"));
  ASSERT_EQ(before.read_response(&head, &body), 200);
  EXPECT_EQ(stats_command(sock, "set ssl cert " + path("b.pem") + " <<\n" +
                                    read_all(path("new/b.pem")) + "\n"),
            "Transaction created for certificate " + path("b.pem") + "!\n\n");
  EXPECT_EQ(stats_command(sock, "commit ssl cert " + path("b.pem")),
            "Committing " + path("b.pem") + ".\nSuccess!\n\n");
  EXPECT_EQ(presented_cn(s_client(port, {"-servername", "b.test"})), "b-new");
  // The connection made before goes on, with the certificate it was given.
  ASSERT_TRUE(before.write_all("GET / HTTP/1.1\r\nhost: a\r\n\r\n"));
  EXPECT_EQ(before.read_response(&head, &body), 200);
  X509* peer = SSL_get1_peer_certificate(before.ssl());
  ASSERT_NE(peer, nullptr);
  char cn[64] = "";
  X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, cn, sizeof cn);
  X509_free(peer);
  EXPECT_STREQ(cn, "b-old");
  // The transaction ended with the commit.
  EXPECT_EQ(stats_command(sock, "abort ssl cert x"), "No ongoing transaction!\n\n");
}

// Returns: s_client's verdict on resuming the session saved in `sess` on
// `port` ("Reused" or "New"); saves a new one when `save` is set.
std::string resume(uint16_t port, const std::string& sess, bool save) {
  const std::string out = s_client(port, {"-tls1_2", save ? "-sess_out" : "-sess_in", sess});
  if (out.find("\nReused, ") != std::string::npos) return "Reused";
  if (out.find("\nNew, ") != std::string::npos) return "New";
  return "?";
}

// Runs processes sharing ticket key files. Returns: what resumed where.
std::vector<std::string> ticket_session(const std::string& binary, const std::string& pem,
                                        const std::vector<std::string>& keys) {
  TempDir tmp;
  auto key_file = [&](const std::string& name, const std::vector<int>& which) {
    std::string text;
    for (int i : which) text += keys[size_t(i)] + "\n";
    EXPECT_TRUE(write_file(tmp.file(name), text));
    return tmp.file(name);
  };
  // Four keys: the last three are used, the third (the penultimate) encrypts.
  const std::string a = key_file("a", {0, 1, 2, 3});
  const std::string b = key_file("b", {2, 4, 5});  // holds the encrypting key
  const std::string c = key_file("c", {0, 1, 3});  // holds the other ones only
  std::vector<uint16_t> ports = {free_tcp_port(), free_tcp_port(), free_tcp_port()};
  const std::string sock = tmp.file("stats.sock");
  std::string cfg = "global\n  tune.ssl.cachesize 0\n  stats socket " + sock + " level admin\n" +
                    kDefaults + "frontend fe\n";
  const std::string files[] = {a, b, c};
  for (int i = 0; i < 3; ++i)
    cfg += "  bind " + addr(ports[size_t(i)]) + " ssl crt " + pem + " tls-ticket-keys " + files[i] +
           "\n";
  cfg += "  http-request return status 200\n";
  HearthOptions opt{.wait_ports = ports};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  HearthProcess h(cfg, opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  std::vector<std::string> seen;
  const std::string sess = tmp.file("sess");
  seen.push_back(resume(ports[0], sess, true));
  seen.push_back(resume(ports[0], sess, false));
  seen.push_back(resume(ports[1], sess, false));
  seen.push_back(resume(ports[2], sess, false));
  seen.push_back(stats_command(sock, "show tls-keys"));
  seen.push_back(stats_command(sock, "show tls-keys #0"));
  // Rotate line c: the key added becomes the newest; the newest so far (key
  // 3) now encrypts, and a ticket of line c still resumes on line a.
  seen.push_back(stats_command(sock, "set ssl tls-key " + c + " " + keys[6]));
  seen.push_back(stats_command(sock, "show tls-keys " + c));
  seen.push_back(resume(ports[2], sess, true));
  seen.push_back(resume(ports[0], sess, false));
  seen.push_back(resume(ports[1], sess, false));
  for (std::string& s : seen) s = std::regex_replace(s, std::regex(tmp.path()), "TMP");
  return seen;
}

TEST_F(TlsRuntime, TicketKeysAsHAProxy) {
  std::vector<std::string> keys;
  for (int i = 0; i < 7; ++i) {
    std::string k = run_command({"sh", "-c", "openssl rand 48 | openssl base64 -A"}).output;
    ASSERT_EQ(k.size(), 64u) << k;
    keys.push_back(k);
  }
  const std::vector<std::string> hearth = ticket_session("", path("default.pem"), keys);
  const std::vector<std::string> haproxy = ticket_session("haproxy", path("default.pem"), keys);
  EXPECT_EQ(hearth, haproxy);
  ASSERT_GE(hearth.size(), 11u);
  EXPECT_EQ(hearth[0], "New");
  EXPECT_EQ(hearth[1], "Reused");
  EXPECT_EQ(hearth[2], "Reused");  // line b holds the key that encrypted
  EXPECT_EQ(hearth[3], "New");     // line c does not
  EXPECT_EQ(hearth[4], "# id (file)\n0 (TMP/c)\n1 (TMP/b)\n2 (TMP/a)\n\n");  // last is #0
  EXPECT_EQ(hearth[6], "TLS ticket key updated!\n\n");
  EXPECT_EQ(hearth[9], "Reused");
  EXPECT_EQ(hearth[10], "New");
}

TEST_F(TlsRuntime, TicketKeyFilesAreChecked) {
  TempDir tmp;
  ASSERT_TRUE(write_file(tmp.file("short"), "QUJD\n"));
  ASSERT_TRUE(write_file(tmp.file("two"),
                         "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWYwMTIzNDU2Nzg5YWJjZGVm\n"
                         "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWYwMTIzNDU2Nzg5YWJjZGVm\n"));
  const std::string fe = std::string(kDefaults) + "frontend fe\n  bind 127.0.0.1:1 ssl crt " +
                         path("default.pem") + " tls-ticket-keys ";
  RunResult r = HearthProcess::check_config(fe + tmp.file("short") + "\n");
  EXPECT_NE(r.output.find("tls-ticket-keys '" + tmp.file("short") +
                          "': line 1 is not the base64 of a 48- or 80-byte key"),
            std::string::npos)
      << r.output;
  r = HearthProcess::check_config(fe + tmp.file("two") + "\n");
  EXPECT_NE(r.output.find("at least 3 keys are needed, found 2"), std::string::npos) << r.output;
  r = HearthProcess::check_config(fe + tmp.file("none") + "\n");
  EXPECT_NE(r.output.find("tls-ticket-keys: cannot open '" + tmp.file("none") + "'"),
            std::string::npos)
      << r.output;
}

}  // namespace
}  // namespace hearth::test::http
