// "set server B/S ssl on|off" through the real binary, side by side with
// HAProxy 2.6 on the same configuration, against nginx over TLS: the switch
// applies to the next request, a pooled connection of the other kind is never
// reused (plain HTTP sent to nginx's TLS port gets nginx's 400), "no-ssl"
// under a default-server with "ssl" can be switched on, a server without TLS
// settings cannot, and show servers state's srv_use_ssl column follows.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/command.h"
#include "support/hearth_process.h"
#include "support/ports.h"
#include "support/temp_dir.h"
#include "support/test_certs.h"

namespace hearth::test::http {
namespace {

using std::chrono::milliseconds;

// Returns: "STATUS BODY" of a GET through the proxy.
std::string get(uint16_t port, const std::string& path) {
  CommandResult r = run_command(
      {"curl", "-sS", "-w", " %{http_code}", "http://127.0.0.1:" + std::to_string(port) + path},
      milliseconds{10000});
  // nginx's own 400 page for plain HTTP on its TLS port: its status is enough.
  const size_t sp = r.output.rfind(' ');
  const std::string status = sp == std::string::npos ? r.output : r.output.substr(sp + 1);
  if (status != "200") return status;
  return status + " " + r.output.substr(0, sp);
}

// Returns: the srv_use_ssl column of `server`'s show servers state row.
std::string use_ssl(const std::string& sock, const std::string& be, const std::string& server) {
  std::istringstream in(stats_command(sock, "show servers state " + be));
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> f;
    std::istringstream words(line);
    for (std::string w; words >> w;) f.push_back(w);
    if (f.size() > 20 && f[3] == server) return f[20];
  }
  return "(none)";
}

TEST(SetServerSsl, SwitchesTheNextConnectionsAsHAProxy) {
  TestCerts certs;
  const std::string crt = certs.server("srv.pem", "a.example", {"a.example"}, KeyType::kRsa,
                                       /*key_apart=*/true);
  ASSERT_EQ(certs.last_error(), "");
  const NginxTls tls{crt, crt + ".key"};
  Nginx nginx("    location / { return 200 \"https=$https\\n\"; }\n", &tls);
  ASSERT_TRUE(nginx.ready()) << nginx.describe();
  const std::string to = "127.0.0.1:" + std::to_string(nginx.port());
  std::vector<std::vector<std::string>> runs;
  for (const std::string binary : {"", "haproxy"}) {
    SCOPED_TRACE(binary.empty() ? "hearth" : binary);
    TempDir dir;
    const std::string sock = dir.file("s.sock");
    const uint16_t fe = free_tcp_port();
    const std::string cfg = "global\n  ssl-server-verify none\n  stats socket " + sock +
                            " level admin\n"
                            "defaults\n  mode http\n  timeout connect 2s\n  timeout client 10s\n"
                            "  timeout server 10s\n  http-reuse always\n"
                            "frontend f\n  bind 127.0.0.1:" +
                            std::to_string(fe) +
                            "\n  use_backend %[path,field(2,/)]\n"
                            "backend on\n  server s1 " +
                            to +
                            " ssl\n"
                            "backend standby\n  default-server ssl\n  server s2 " +
                            to +
                            " no-ssl\n"
                            "backend plain\n  server s3 " +
                            to + "\n";
    HearthOptions opt{.wait_ports = {fe}};
    if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
    HearthProcess h(cfg, opt);
    ASSERT_TRUE(h.ready()) << h.describe();
    std::vector<std::string> seen;
    auto note = [&](const std::string& what) { seen.push_back(what); };
    note(use_ssl(sock, "on", "s1") + " " + use_ssl(sock, "standby", "s2") + " " +
         use_ssl(sock, "plain", "s3"));
    note(get(fe, "/on/1"));  // over TLS; its connection stays idle (http-reuse always)
    note(stats_command(sock, "set server on/s1 ssl off"));
    note(get(fe, "/on/2"));  // plain to the TLS port: nginx's 400, not the idle TLS one
    note(use_ssl(sock, "on", "s1"));
    note(stats_command(sock, "set server on/s1 ssl on"));
    note(get(fe, "/on/3"));
    note(get(fe, "/standby/1"));
    note(stats_command(sock, "set server standby/s2 ssl on"));
    note(get(fe, "/standby/2"));
    note(use_ssl(sock, "standby", "s2"));
    note(stats_command(sock, "set server plain/s3 ssl on"));
    note(stats_command(sock, "set server on/s1 ssl yes"));
    note(stats_command(sock, "set server on/s1 ssl"));
    runs.push_back(seen);
  }
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0], runs[1]);
  const std::vector<std::string> want = {
      "1 -1 0",
      "200 https=on\n",
      "server ssl setting updated.\n\n",
      "400",
      "0",
      "server ssl setting updated.\n\n",
      "200 https=on\n",
      "400",
      "server ssl setting updated.\n\n",
      "200 https=on\n",
      "1",
      "'set server <srv> ssl' cannot be set.  default-server should define ssl settings\n\n",
      "'set server <srv> ssl' expects 'on' or 'off'.\n\n",
      "'set server <srv> ssl' expects 'on' or 'off'.\n\n"};
  EXPECT_EQ(runs[0], want);
}

}  // namespace
}  // namespace hearth::test::http
