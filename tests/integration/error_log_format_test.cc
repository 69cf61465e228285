// error-log-format: the line of a connection that fails before its session
// (a TLS handshake here) follows the frontend's format, with the
// connection's fetches, compared with HAProxy 2.6 on the same configuration;
// a frontend without it keeps HAProxy's "IP:PORT [DATE] FE/BIND: MESSAGE".
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"
#include "support/test_certs.h"
#include "support/wait.h"
#include "tcp_test_util.h"
#include "tls_test_util.h"

namespace hearth::test::http {
namespace {

using tcp::kBinaries;
using tcp::name_of;
using tcp::options_for;
using tls::addr;
using tls::s_client;

std::vector<std::string> error_lines(const std::string& binary, const std::string& pem) {
  const uint16_t custom = free_tcp_port(), plain = free_tcp_port();
  HearthOptions opt = options_for(binary, custom);
  opt.wait_ports = {custom, plain};
  HearthProcess h("defaults\n  mode http\n  log stdout format raw local0\n"
                  "  timeout connect 2s\n  timeout client 5s\n  timeout server 5s\n"
                  "  error-log-format \"ERR %ft %ci %[fc_err]:%[fc_err_str] "
                  "hsk:%{+Q}[ssl_fc_err_str] sni:%[ssl_fc_sni] %[ssl_c_used]\"\n"
                  "frontend custom\n  bind " +
                      addr(custom) + " ssl crt " + pem +
                      " ssl-min-ver TLSv1.3\n  http-request return status 200\n"
                      "frontend plain\n  error-log-format \"%[fc_err]\"\n"
                      "  bind " +
                      addr(plain) + " ssl crt " + pem +
                      " ssl-min-ver TLSv1.3\n  http-request return status 200\n",
                  opt);
  EXPECT_TRUE(h.ready()) << name_of(binary) << ": " << h.describe();
  if (!h.ready()) return {};
  // A TLS 1.2 client: no shared protocol version.
  s_client(custom, {"-tls1_2", "-servername", "a.test"});
  s_client(plain, {"-tls1_2"});
  // The error lines: "ERR ..." (custom) and a bare number (plain).
  auto lines = [&] {
    std::vector<std::string> out;
    const std::string text = h.output();
    size_t at = 0;
    while (at < text.size()) {
      size_t eol = text.find('\n', at);
      if (eol == std::string::npos) break;
      const std::string l = text.substr(at, eol - at);
      if (l.rfind("ERR ", 0) == 0 ||
          (!l.empty() && l.find_first_not_of("0123456789") == std::string::npos))
        out.push_back(std::regex_replace(l, std::regex("127\\.0\\.0\\.1:?[0-9]*"), "IP"));
      at = eol + 1;
    }
    return out;
  };
  wait_until([&] { return lines().size() >= 2; }, milliseconds{3000});
  std::vector<std::string> out = lines();
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ErrorLogFormatVsHAProxy, FailedHandshakeLinesAsHAProxy) {
  TestCerts certs;
  const std::string pem = certs.server("server.pem", "server", {"server.test"});
  ASSERT_EQ(certs.last_error(), "");
  std::vector<std::vector<std::string>> seen;
  for (const std::string binary : kBinaries) seen.push_back(error_lines(binary, pem));
  EXPECT_EQ(seen[0], seen[1]);
  ASSERT_EQ(seen[0].size(), 2u) << ::testing::PrintToString(seen[0]);
  EXPECT_EQ(seen[0][0], "34");  // the plain one: only fc_err
  EXPECT_NE(seen[0][1].find("ERR custom~ IP 34:SSL handshake failure"), std::string::npos)
      << seen[0][1];
}

}  // namespace
}  // namespace hearth::test::http
