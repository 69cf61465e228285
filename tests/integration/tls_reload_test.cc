// Certificates are files read at startup: a master-worker reload (SIGUSR2)
// reads them again, so a certificate file replaced on disk and a line added
// to a crt-list are served after the reload, and a certificate replaced only
// through the runtime API is not kept.
#include <gtest/gtest.h>

#include <csignal>
#include <string>

#include "http_test_util.h"
#include "support/ports.h"
#include "support/test_certs.h"
#include "support/wait.h"
#include "tls_test_util.h"

namespace hearth::test::http {
namespace {

using tls::addr;
using tls::presented_cn;
using tls::s_client;

size_t count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST(TlsReload, ReloadReadsTheCertificatesAgain) {
  TestCerts certs;
  const std::string d = certs.dir();
  certs.server("default.pem", "www.example.com", {"www.example.com"});
  certs.server("b.pem", "b-old", {"b.test"});
  certs.server("b-next.pem", "b-next", {"b.test"});
  certs.server("c.pem", "c", {"c.test"});
  certs.server("cli.pem", "b-cli", {"b.test"});
  ASSERT_EQ(certs.last_error(), "");
  ASSERT_TRUE(write_file(d + "/sites.lst", "default.pem\nb.pem\n"));
  TempDir tmp;
  const std::string sock = tmp.file("stats.sock");
  const uint16_t port = free_tcp_port();
  HearthOptions opt{.extra_args = {"-W"}, .wait_ports = {port}, .wait_output = "new worker ("};
  HearthProcess h("global\n  stats socket " + sock + " level admin\n  crt-base " + d +
                      "\ndefaults\n  mode http\n  timeout connect 2s\n  timeout client 10s\n"
                      "  timeout server 10s\nfrontend fe\n  bind " +
                      addr(port) + " ssl crt-list " + d + "/sites.lst\n" +
                      "  http-request return status 200\n",
                  opt);
  ASSERT_TRUE(h.ready()) << h.describe();
  auto cn = [&](const std::string& sni) {
    return presented_cn(s_client(port, {"-servername", sni}));
  };
  ASSERT_EQ(cn("b.test"), "b-old");
  ASSERT_EQ(cn("c.test"), "www.example.com");
  // Replaced through the runtime API: served until the reload.
  std::string pem = tls::read_all(d + "/cli.pem");
  ASSERT_FALSE(pem.empty());
  pem.pop_back();
  ASSERT_NE(stats_command(sock, "set ssl cert " + d + "/b.pem <<\n" + pem + "\n")
                .find("Transaction created"),
            std::string::npos);
  ASSERT_NE(stats_command(sock, "commit ssl cert " + d + "/b.pem").find("Success!"),
            std::string::npos);
  ASSERT_EQ(cn("b.test"), "b-cli");
  // The files change on disk; nothing changes before the reload.
  ASSERT_EQ(std::rename((d + "/b-next.pem").c_str(), (d + "/b.pem").c_str()), 0);
  ASSERT_TRUE(write_file(d + "/sites.lst", "default.pem\nb.pem\nc.pem\n"));
  EXPECT_EQ(cn("c.test"), "www.example.com");
  h.process().send_signal(SIGUSR2);
  ASSERT_TRUE(wait_until([&] { return count(h.output(), "reload done") >= 1; },
                         std::chrono::milliseconds{15000}))
      << h.output();
  // The new worker serves what the files say now.
  EXPECT_TRUE(wait_until([&] { return cn("c.test") == "c"; }, std::chrono::milliseconds{10000}))
      << h.output();
  EXPECT_EQ(cn("b.test"), "b-next");
}

}  // namespace
}  // namespace hearth::test::http
