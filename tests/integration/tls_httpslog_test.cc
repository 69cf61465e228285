// option httpslog: the access line of HTTP mode with the TLS fields
// appended (fc_err, ssl_fc_err, ssl_c_err, ssl_c_ca_err, ssl_fc_is_resumed,
// SNI, protocol, cipher), through hearth and through haproxy 2.6 on the same
// configuration, over TLS and over a plain bind line. Dates, ports and timers
// are compared by shape (each digit run as "9").
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/client.h"
#include "support/output_lines.h"
#include "support/ports.h"
#include "support/test_certs.h"
#include "support/tls_client.h"
#include "support/wait.h"
#include "tls_test_util.h"

namespace hearth::test::http {
namespace {

using tls::addr;

std::string shape(const std::string& line) {
  static const std::regex date(R"(\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2}\.\d{3})");
  static const std::regex digits(R"(\d+)");
  return std::regex_replace(std::regex_replace(line, date, "DATE"), digits, "9");
}

// One TLS request (with SNI) and one plain request through `binary` ("":
// hearth). Returns: the two log lines, TLS first.
std::vector<std::string> run(const std::string& binary, const std::string& pem,
                             HttpBackend& backend) {
  const uint16_t tls_port = free_tcp_port(), plain = free_tcp_port();
  const std::string cfg =
      "global\n  log stdout format raw local0\n"
      "defaults\n  mode http\n  log global\n  timeout connect 2s\n  timeout client 5s\n"
      "  timeout server 5s\n"
      "frontend fe\n  option httpslog\n  bind " +
      addr(tls_port) + " ssl crt " + pem + "\n  bind " + addr(plain) +
      "\n  default_backend b\nbackend b\n  server s1 127.0.0.1:" + std::to_string(backend.port()) +
      "\n";
  HearthOptions opt{.wait_ports = {tls_port, plain}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  HearthProcess h(cfg, opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  if (!h.ready()) return {};
  auto lines = [&] { return lines_with(h.output(), {"\"GET /"}); };
  {
    TlsClientOptions o;
    o.sni = "www.slog.test";
    TlsClient c(tls_port, o);
    std::string head, body;
    EXPECT_TRUE(c.ok() && c.write_all("GET /tls HTTP/1.1\r\nhost: a\r\n\r\n") &&
                c.read_response(&head, &body) == 200);
  }
  wait_until([&] { return lines().size() >= 1; }, milliseconds{3000});
  EXPECT_EQ(http_status(http_get(plain, "/plain")), 200);
  std::vector<std::string> out;
  wait_until([&] { return (out = lines()).size() >= 2; }, milliseconds{3000});
  return out;
}

TEST(TlsHttpsLog, SameLinesAsHAProxy) {
  TestCerts certs;
  const std::string pem = certs.server("s.pem", "www.slog.test", {"www.slog.test"});
  ASSERT_EQ(certs.last_error(), "");
  HttpBackend backend;
  const auto ours = run("", pem, backend);
  const auto theirs = run("haproxy", pem, backend);
  ASSERT_EQ(ours.size(), 2u);
  ASSERT_EQ(theirs.size(), 2u);
  for (size_t i = 0; i < 2; ++i)
    EXPECT_EQ(shape(ours[i]), shape(theirs[i]))
        << "\n hearth  " << ours[i] << "\n haproxy " << theirs[i];
  // The TLS fields themselves, and the '~' of a TLS frontend.
  EXPECT_NE(ours[0].find(" fe~ b/s1 "), std::string::npos) << ours[0];
  EXPECT_NE(ours[1].find(" fe b/s1 "), std::string::npos) << ours[1];
  EXPECT_NE(ours[0].find("\"GET /tls HTTP/1.1\" 0/0000000000000000/0/0/0 www.slog.test/TLSv1.3/"),
            std::string::npos)
      << ours[0];
  EXPECT_NE(ours[1].find("\"GET /plain HTTP/1.1\" 0/-/-/-/0 -/-/-"), std::string::npos) << ours[1];
}

}  // namespace
}  // namespace hearth::test::http
