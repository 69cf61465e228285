// `show info`'s TLS figures after real handshakes (openssl s_client, one full
// handshake then resumptions by session id), through hearth and through
// haproxy 2.6 on the same configuration: the same counts.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/command.h"
#include "support/ports.h"
#include "support/test_certs.h"
#include "tls_test_util.h"

namespace hearth::test::http {
namespace {

using tls::addr;

// Returns: the "Name: value" lines of `show info` whose name starts with Ssl
// or contains SslConns.
std::map<std::string, std::string> ssl_fields(const std::string& info) {
  std::map<std::string, std::string> out;
  size_t pos = 0;
  while (pos < info.size()) {
    size_t eol = info.find('\n', pos);
    if (eol == std::string::npos) eol = info.size();
    const std::string line = info.substr(pos, eol - pos);
    const size_t colon = line.find(": ");
    if (colon != std::string::npos && line.find("Ssl") != std::string::npos)
      out[line.substr(0, colon)] = line.substr(colon + 2);
    pos = eol + 1;
  }
  return out;
}

// One s_client run: a TLS 1.2 handshake without tickets, saving the session
// (`out`) or resuming one (`in`). Returns: whether it says "Reused".
bool handshake(uint16_t port, const std::string& sess, bool resume) {
  const CommandResult r = run_command({"openssl", "s_client", "-connect", addr(port), "-tls1_2",
                                       "-no_ticket", resume ? "-sess_in" : "-sess_out", sess});
  return r.output.find("\nReused, ") != std::string::npos;
}

std::map<std::string, std::string> run(const std::string& binary, const TestCerts& certs,
                                       const std::string& pem) {
  const uint16_t port = free_tcp_port();
  const std::string sock = certs.dir() + "/stats-" + (binary.empty() ? "hearth" : binary);
  const std::string cfg = "global\n  stats socket " + sock +
                          " level admin\n"
                          "defaults\n  mode http\n  timeout connect 2s\n  timeout client 5s\n"
                          "  timeout server 5s\n"
                          "frontend fe\n  bind " +
                          addr(port) + " ssl crt " + pem + "\n  http-request return status 200\n";
  HearthOptions opt{.wait_ports = {port}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  HearthProcess h(cfg, opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  if (!h.ready()) return {};
  const std::string sess = certs.dir() + "/sess-" + std::to_string(port);
  EXPECT_FALSE(handshake(port, sess, false));
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(handshake(port, sess, true)) << binary << " " << i;
  return ssl_fields(stats_command(sock, "show info"));
}

TEST(TlsShowInfo, SameCountsAsHAProxy) {
  TestCerts certs;
  const std::string pem = certs.server("s.pem", "www.info.test", {"www.info.test"});
  ASSERT_EQ(certs.last_error(), "");
  const auto ours = run("", certs, pem);
  const auto theirs = run("haproxy", certs, pem);
  // Five connections, one full handshake, four lookups in the session cache
  // that found their session.
  const std::map<std::string, std::string> want = {
      {"MaxSslConns", "0"},
      {"CurrSslConns", "0"},
      {"CumSslConns", "5"},
      {"SslRate", "5"},
      {"SslRateLimit", "0"},
      {"MaxSslRate", "5"},
      {"SslFrontendKeyRate", "1"},
      {"SslFrontendMaxKeyRate", "1"},
      {"SslFrontendSessionReuse_pct", "80"},
      {"SslBackendKeyRate", "0"},
      {"SslBackendMaxKeyRate", "0"},
      {"SslCacheLookups", "4"},
      {"SslCacheMisses", "0"},
  };
  for (const auto& [name, value] : want) {
    ASSERT_TRUE(ours.count(name)) << name;
    EXPECT_EQ(ours.at(name), value) << "hearth " << name;
    ASSERT_TRUE(theirs.count(name)) << name;
    EXPECT_EQ(theirs.at(name), value) << "haproxy " << name;
  }
}

}  // namespace
}  // namespace hearth::test::http
