// The certificate fetches (ssl_c_*, ssl_f_*, ssl_s_*) and the ClientHello
// capture fetches (tune.ssl.capture-buffer-size) through hearth and through
// haproxy 2.6 on the same configuration, certificates and client: every value
// must be the same. Certificates are made at test time.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/client.h"
#include "support/ports.h"
#include "support/test_certs.h"
#include "support/tls_client.h"
#include "tls_test_util.h"

namespace hearth::test::http {
namespace {

using tls::addr;
using Values = std::map<std::string, std::string>;

// name -> expression, printed by the TLS frontend (client side) ...
const std::vector<std::pair<std::string, std::string>> kFrontFetches = {
    {"c-used", "ssl_c_used"},
    {"c-der", "ssl_c_der,hex"},
    {"c-chain", "ssl_c_chain_der,hex"},
    {"c-key-alg", "ssl_c_key_alg"},
    {"c-sig-alg", "ssl_c_sig_alg"},
    {"c-version", "ssl_c_version"},
    {"c-notbefore", "ssl_c_notbefore"},
    {"c-notafter", "ssl_c_notafter"},
    {"c-serial", "ssl_c_serial,hex"},
    {"c-sha1", "ssl_c_sha1,hex"},
    {"c-s-dn", "ssl_c_s_dn"},
    {"c-s-dn-cn", "ssl_c_s_dn(CN)"},
    {"c-i-dn-2253", "ssl_c_i_dn(,0,rfc2253)"},
    {"f-der", "ssl_f_der,hex"},
    {"f-key-alg", "ssl_f_key_alg"},
    {"f-sig-alg", "ssl_f_sig_alg"},
    {"f-version", "ssl_f_version"},
    {"f-notbefore", "ssl_f_notbefore"},
    {"f-notafter", "ssl_f_notafter"},
    {"f-serial", "ssl_f_serial,hex"},
    {"f-sha1", "ssl_f_sha1,hex"},
    {"f-s-dn", "ssl_f_s_dn"},
    {"f-s-dn-o", "ssl_f_s_dn(O,1)"},
    {"f-i-dn", "ssl_f_i_dn"},
    {"f-i-dn-cn-last", "ssl_f_i_dn(CN,-1)"},
    {"hello-id", "ssl_fc_protocol_hello_id"},
    {"cl-hex", "ssl_fc_cipherlist_hex"},
    {"cl-hex-nogrease", "ssl_fc_cipherlist_hex(1)"},
    {"cl-bin", "ssl_fc_cipherlist_bin,hex"},
    {"cl-str", "ssl_fc_cipherlist_str"},
    {"cl-xxh", "ssl_fc_cipherlist_xxh"},
    {"ext", "ssl_fc_extlist_bin,hex"},
    {"ext-nogrease", "ssl_fc_extlist_bin(1),hex"},
    {"ec", "ssl_fc_eclist_bin,hex"},
    {"ecf", "ssl_fc_ecformats_bin,hex"},
};
// ... and by the plain frontend about the server connection.
const std::vector<std::pair<std::string, std::string>> kBackFetches = {
    {"s-der", "ssl_s_der,hex"},
    {"s-chain", "ssl_s_chain_der,hex"},
    {"s-key-alg", "ssl_s_key_alg"},
    {"s-sig-alg", "ssl_s_sig_alg"},
    {"s-version", "ssl_s_version"},
    {"s-notbefore", "ssl_s_notbefore"},
    {"s-notafter", "ssl_s_notafter"},
    {"s-serial", "ssl_s_serial,hex"},
    {"s-sha1", "ssl_s_sha1,hex"},
    {"s-s-dn", "ssl_s_s_dn"},
    {"s-s-dn-cn", "ssl_s_s_dn(CN)"},
    {"s-i-dn", "ssl_s_i_dn"},
    {"s-i-dn-2253", "ssl_s_i_dn(,0,rfc2253)"},
};

class TlsFetches : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    certs_ = new TestCerts("Fetch CA");
    server_ = certs_->server("front.pem", "www.fetch.test", {"www.fetch.test"}, KeyType::kEcdsa);
    client_ = certs_->client("carol", "carol");
    ASSERT_EQ(certs_->last_error(), "");
  }
  static void TearDownTestSuite() { delete certs_; }

  // Runs `binary` ("": hearth) with the capture size `capture`: one client
  // certificate request to the TLS frontend, one plain request relayed to it.
  static Values run(const std::string& binary, int capture) {
    HttpBackend app;
    const uint16_t tls_port = free_tcp_port(), plain = free_tcp_port();
    // One rule per value: HAProxy reads at most 64 words on a line.
    std::string reply = "  default_backend app\n";
    for (const auto& [name, expr] : kFrontFetches)
      reply += "  http-response set-header x-" + name + " \"%[" + expr + "]\"\n";
    std::string back;
    for (const auto& [name, expr] : kBackFetches)
      back += "  http-response set-header x-" + name + " \"%[" + expr + "]\"\n";
    const std::string cfg = "global\n  tune.ssl.capture-buffer-size " + std::to_string(capture) +
                            "\ndefaults\n  mode http\n  timeout connect 2s\n  timeout client 10s\n"
                            "  timeout server 10s\n"
                            "frontend tls\n  bind " +
                            addr(tls_port) + " ssl crt " + server_ + " ca-file " +
                            certs_->ca_pem() + " verify optional\n" + reply +
                            "backend app\n  server a 127.0.0.1:" + std::to_string(app.port()) +
                            "\n"
                            "frontend plain\n  bind " +
                            addr(plain) + "\n  default_backend b\n" + "backend b\n" + back +
                            "  server s1 " + addr(tls_port) +
                            " ssl verify none sni str(www.fetch.test)\n";
    HearthOptions opt{.wait_ports = {tls_port, plain}};
    if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
    HearthProcess h(cfg, opt);
    EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
    if (!h.ready()) return {};
    Values v;
    TlsClientOptions o;
    o.sni = "www.fetch.test";
    o.cert = client_;
    o.key = client_.substr(0, client_.size() - 4) + ".key";
    TlsClient c(tls_port, o);
    std::string head, body;
    EXPECT_TRUE(c.ok()) << c.error();
    EXPECT_TRUE(c.write_all("GET / HTTP/1.1\r\nhost: a\r\n\r\n"));
    EXPECT_EQ(c.read_response(&head, &body), 200) << head;
    const std::string plain_head = http_get(plain, "/");
    EXPECT_EQ(http_status(plain_head), 200) << plain_head;
    auto field = [](const std::string& h, const std::string& name) {
      const size_t at = h.find("\r\nx-" + name + ": ");
      if (at == std::string::npos) return std::string("(absent)");
      const size_t from = at + name.size() + 6;
      return h.substr(from, h.find("\r\n", from) - from);
    };
    for (const auto& f : kFrontFetches) v[f.first] = field(head, f.first);
    for (const auto& f : kBackFetches) v[f.first] = field(plain_head, f.first);
    return v;
  }

  static TestCerts* certs_;
  static std::string server_, client_;
};
TestCerts* TlsFetches::certs_ = nullptr;
std::string TlsFetches::server_, TlsFetches::client_;

TEST_F(TlsFetches, SameValuesAsHAProxy) {
  const Values ours = run("", 4096);
  const Values theirs = run("haproxy", 4096);
  ASSERT_FALSE(ours.empty());
  ASSERT_EQ(ours.size(), theirs.size());
  for (const auto& [name, value] : ours) {
    EXPECT_EQ(value, theirs.at(name)) << name;
    EXPECT_NE(value, "(absent)") << name;
  }
  // What the values are, not only that they agree.
  EXPECT_EQ(ours.at("c-used"), "1");
  EXPECT_EQ(ours.at("c-s-dn-cn"), "carol");
  EXPECT_EQ(ours.at("c-version"), "3");
  EXPECT_EQ(ours.at("f-key-alg"), "id-ecPublicKey");
  EXPECT_EQ(ours.at("s-key-alg"), "id-ecPublicKey");
  EXPECT_EQ(ours.at("f-der"), ours.at("s-der"));  // one certificate, seen from both ends
  EXPECT_EQ(ours.at("s-s-dn-cn"), "www.fetch.test");
  EXPECT_EQ(ours.at("hello-id"), "771");
  EXPECT_EQ(ours.at("cl-hex"), ours.at("cl-bin"));
  EXPECT_GT(ours.at("cl-str").size(), 20u);
}

// A buffer too small for every list: each is cut, the hash is not.
TEST_F(TlsFetches, SmallCaptureBufferLikeHAProxy) {
  const Values ours = run("", 11);
  const Values theirs = run("haproxy", 11);
  ASSERT_FALSE(ours.empty());
  for (const char* name : {"cl-hex", "cl-xxh", "ext", "ec", "ecf", "hello-id"})
    EXPECT_EQ(ours.at(name), theirs.at(name)) << name;
  EXPECT_EQ(ours.at("cl-hex").size(), 22u);  // 11 bytes: cut mid-suite, as HAProxy
  const Values big = run("", 4096);
  EXPECT_EQ(ours.at("cl-xxh"), big.at("cl-xxh"));
}

}  // namespace
}  // namespace hearth::test::http
