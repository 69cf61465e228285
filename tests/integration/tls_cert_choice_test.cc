// Which certificate a bind line presents when several name the client's
// SNI, compared with HAProxy 2.6 on the same files: an RSA and an ECDSA
// certificate of one name are chosen by the signatures and ciphers the
// client accepts; an exact name that only has a certificate of the wrong key
// type gives way to a wildcard of the right one; a certificate answers for
// its CN as well as its subjectAltName names.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"
#include "support/test_certs.h"
#include "tcp_test_util.h"
#include "tls_test_util.h"

namespace hearth::test::http {
namespace {

using tcp::kBinaries;
using tcp::name_of;
using tcp::options_for;
using tls::addr;
using tls::presented_cn;
using tls::s_client;
using tls::sni_args;

struct Case {
  std::string sni;
  std::vector<std::string> client;  // s_client's protocol, cipher and sigalgs options
  std::string cn;                   // what hearth is expected to present ("": none)
};

TEST(TlsCertChoiceVsHAProxy, KeyTypeAndNamesAsHAProxy) {
  TestCerts certs;
  certs.server("default.pem", "default", {"default.test"});
  certs.server("both-rsa.pem", "both-rsa", {"both.test"});
  certs.server("both-ecdsa.pem", "both-ecdsa", {"both.test"}, KeyType::kEcdsa);
  certs.server("wild-rsa.pem", "wild-rsa", {"*.mix.test"});
  certs.server("exact-ecdsa.pem", "exact-ecdsa", {"a.mix.test"}, KeyType::kEcdsa);
  certs.server("cn-and-san.pem", "cn.test", {"san.test"});
  ASSERT_EQ(certs.last_error(), "");
  const std::vector<std::string> t12 = {"-tls1_2"}, t13 = {"-tls1_3"};
  auto with = [](std::vector<std::string> a, std::vector<std::string> b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };
  const std::string ecdsa_c = "ECDHE-ECDSA-AES128-GCM-SHA256", rsa_c = "ECDHE-RSA-AES128-GCM-SHA256";
  const std::vector<Case> cases = {
      {"both.test", with(t12, {"-cipher", ecdsa_c}), "both-ecdsa"},
      {"both.test", with(t12, {"-cipher", rsa_c}), "both-rsa"},
      {"both.test", with(t12, {"-cipher", ecdsa_c + ":" + rsa_c}), "both-ecdsa"},
      // ECDSA signatures without an ECDSA cipher: RSA.
      {"both.test", with(t12, {"-cipher", rsa_c, "-sigalgs", "ECDSA+SHA256:RSA+SHA256"}),
       "both-rsa"},
      // TLS 1.3 suites do not count as ECDSA ciphers (HAProxy 2.6): RSA,
      // unless the client accepts no RSA signature.
      {"both.test", t13, "both-rsa"},
      {"both.test", with(t13, {"-sigalgs", "ECDSA+SHA256"}), "both-ecdsa"},
      {"both.test", with(t13, {"-sigalgs", "rsa_pss_rsae_sha256:RSA+SHA256"}), "both-rsa"},
      // The exact name has only an ECDSA certificate: an RSA client gets the
      // wildcard's RSA one.
      {"a.mix.test", with(t12, {"-cipher", rsa_c}), "wild-rsa"},
      {"a.mix.test", with(t12, {"-cipher", ecdsa_c}), "exact-ecdsa"},
      {"a.mix.test", t13, "wild-rsa"},
      {"a.mix.test", with(t13, {"-sigalgs", "ECDSA+SHA256"}), "exact-ecdsa"},
      {"b.mix.test", t13, "wild-rsa"},
      // b.mix.test has only the wildcard's RSA certificate: a client with
      // ECDSA ciphers alone gets it anyway, and the handshake fails.
      {"b.mix.test", with(t12, {"-cipher", ecdsa_c}), ""},
      {"cn.test", t13, "cn.test"},  // the CN, although there is a SAN
      {"san.test", t13, "cn.test"},
      {"", t13, "default"},
      {"unknown.test", with(t12, {"-cipher", ecdsa_c}), ""},  // the default is RSA
  };
  std::vector<std::vector<std::string>> seen;
  for (const std::string binary : kBinaries) {
    const uint16_t port = free_tcp_port();
    HearthProcess h("global\n  crt-base " + certs.dir() +
                        "\ndefaults\n  mode http\n  timeout connect 2s\n  timeout client 5s\n"
                        "  timeout server 5s\nfrontend fe\n  bind " +
                        addr(port) +
                        " ssl crt default.pem crt both-rsa.pem crt both-ecdsa.pem crt "
                        "wild-rsa.pem crt exact-ecdsa.pem crt cn-and-san.pem\n"
                        "  http-request return status 200\n",
                    options_for(binary, port));
    ASSERT_TRUE(h.ready()) << name_of(binary) << ": " << h.describe();
    std::vector<std::string> got;
    for (const Case& c : cases)
      got.push_back(presented_cn(s_client(port, with(sni_args(c.sni), c.client))));
    seen.push_back(got);
  }
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(seen[0][i], seen[1][i]) << "case " << i << " sni '" << cases[i].sni << "'";
    EXPECT_EQ(seen[0][i], cases[i].cn) << "case " << i << " sni '" << cases[i].sni << "'";
  }
}

}  // namespace
}  // namespace hearth::test::http
