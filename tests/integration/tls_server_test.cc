// TLS toward servers through the real binary, nginx with "ssl" as the
// server: SNI from an expression, verification against a test CA (and a
// wrong CA refused as HAProxy does: 503, SC), session resumption seen by
// nginx, the idle pool never mixing connections of different SNI, idle
// connections that survive TLS 1.3 session tickets and are retired on the
// server's close_notify, checks over TLS, and the configuration refusals.
#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "http_test_util.h"
#include "stat_csv.h"
#include "support/command.h"
#include "support/hearth_process.h"
#include "support/ports.h"
#include "support/temp_dir.h"
#include "support/test_certs.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

using std::chrono::milliseconds;

// One nginx log line: "<conn> <reqs> <status> "<request>" <reused> <sni> <proto>".
struct LogLine {
  std::string conn, status, request, reused, sni, protocol;
};

LogLine parse(const std::string& line) {
  LogLine l;
  std::istringstream in(line);
  std::string reqs;
  in >> l.conn >> reqs >> l.status;
  const size_t q1 = line.find('"'), q2 = line.rfind('"');
  l.request = line.substr(q1 + 1, q2 - q1 - 1);
  std::istringstream rest(line.substr(q2 + 1));
  rest >> l.reused >> l.sni >> l.protocol;
  return l;
}

class TlsServer : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    certs_ = new TestCerts();
    other_ = new TestCerts("Other CA");
    crt_ = certs_->server("srv.pem", "a.example", {"a.example", "b.example"}, KeyType::kRsa,
                          /*key_apart=*/true);
    ASSERT_EQ(certs_->last_error(), "");
    ASSERT_EQ(other_->last_error(), "");
  }
  static void TearDownTestSuite() {
    delete certs_;
    delete other_;
  }
  static NginxTls tls(const std::string& protocols = "TLSv1.2 TLSv1.3") {
    return NginxTls{crt_, crt_ + ".key", protocols};
  }
  // A hearth proxying to `port` with the server options `srv`.
  static std::string config(uint16_t fe, uint16_t be, const std::string& srv,
                            const std::string& global = "", const std::string& be_extra = "") {
    return "global\n" + global +
           "defaults\n  mode http\n  timeout connect 2s\n  timeout client 10s\n"
           "  timeout server 10s\n"
           "frontend f\n  bind 127.0.0.1:" +
           std::to_string(fe) +
           "\n  log stdout format raw local0\n  log-format \"%ST %ts %b/%s\"\n"
           "  default_backend b\nbackend b\n" +
           be_extra + "  server s1 127.0.0.1:" + std::to_string(be) + " " + srv + "\n";
  }
  static std::string url(uint16_t port, const std::string& path) {
    return "http://127.0.0.1:" + std::to_string(port) + path;
  }
  static TestCerts* certs_;
  static TestCerts* other_;
  static std::string crt_;
};
TestCerts* TlsServer::certs_ = nullptr;
TestCerts* TlsServer::other_ = nullptr;
std::string TlsServer::crt_;

TEST_F(TlsServer, SniVerifyRequiredAndResumption) {
  for (const std::string protocols : {"TLSv1.2", "TLSv1.3"}) {
    SCOPED_TRACE(protocols);
    const NginxTls t = tls(protocols);
    Nginx nginx("    location = /sni { return 200 \"sni=$ssl_server_name\\n\"; }\n", &t);
    ASSERT_TRUE(nginx.ready()) << nginx.describe();
    const uint16_t fe = free_tcp_port();
    HearthProcess h(config(fe, nginx.port(),
                           "ssl verify required ca-file " + certs_->ca_pem() +
                               " sni req.hdr(host) alpn http/1.1",
                           "", "  option httpclose\n"),
                    {.wait_ports = {fe}});
    ASSERT_TRUE(h.ready()) << h.describe();
    // A new server connection per request (httpclose): the first makes a
    // full handshake, each later one resumes the session of the one before
    // (TLS 1.2: the same session, over connections that each ended).
    constexpr size_t kRequests = 4;
    for (size_t i = 0; i < kRequests; ++i) {
      CommandResult r = run_command({"curl", "-sS", "-H", "Host: a.example", url(fe, "/sni")},
                                    milliseconds{10000});
      EXPECT_EQ(r.output, "sni=a.example\n") << h.output();
    }
    ASSERT_TRUE(
        wait_until([&] { return nginx.access_log().size() == kRequests; }, milliseconds{3000}));
    EXPECT_EQ(nginx.distinct_connections(), kRequests);
    for (size_t i = 0; i < kRequests; ++i) {
      const LogLine l = parse(nginx.access_log()[i]);
      EXPECT_EQ(l.sni, "a.example");
      EXPECT_EQ(l.protocol, protocols);
      EXPECT_EQ(l.reused, i == 0 ? "." : "r") << "request " << i;
    }
  }
}

TEST_F(TlsServer, NoSslReuseMakesFullHandshakes) {
  const NginxTls t = tls();
  Nginx nginx({}, &t);
  ASSERT_TRUE(nginx.ready()) << nginx.describe();
  const uint16_t fe = free_tcp_port();
  HearthProcess h(config(fe, nginx.port(),
                         "ssl verify required ca-file " + certs_->ca_pem() +
                             " verifyhost a.example no-ssl-reuse"),
                  {.wait_ports = {fe}});
  ASSERT_TRUE(h.ready()) << h.describe();
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(run_command({"curl", "-sS", url(fe, "/hello")}, milliseconds{10000}).output,
              "hello from nginx\n");
  ASSERT_TRUE(wait_until([&] { return nginx.access_log().size() == 3; }, milliseconds{3000}));
  for (const std::string& l : nginx.access_log()) {
    EXPECT_EQ(parse(l).reused, ".") << l;
    EXPECT_EQ(parse(l).sni, "-") << "no sni: none sent";
  }
}

TEST_F(TlsServer, WrongCaOrWrongNameIsRefusedAs503SC) {
  const NginxTls t = tls();
  Nginx nginx({}, &t);
  ASSERT_TRUE(nginx.ready()) << nginx.describe();
  for (const std::string& srv :
       {"ssl verify required ca-file " + other_->ca_pem() + " sni str(a.example)",
        "ssl verify required ca-file " + certs_->ca_pem() + " sni str(c.example)",
        "ssl ca-file " + certs_->ca_pem() + " verifyhost c.example"}) {
    const uint16_t fe = free_tcp_port();
    HearthProcess h(config(fe, nginx.port(), srv, "", "  retries 0\n"), {.wait_ports = {fe}});
    ASSERT_TRUE(h.ready()) << h.describe();
    CommandResult r =
        run_command({"curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", url(fe, "/hello")},
                    milliseconds{10000});
    EXPECT_EQ(r.output, "503") << srv;
    EXPECT_TRUE(wait_until([&] { return h.output().find("503 SC b/s1") != std::string::npos; },
                           milliseconds{3000}))
        << h.output();
  }
  EXPECT_TRUE(nginx.access_log().empty()) << "no request may reach an unverified server";
}

TEST_F(TlsServer, IdlePoolNeverMixesServerNames) {
  const NginxTls t = tls();
  Nginx nginx({}, &t);
  ASSERT_TRUE(nginx.ready()) << nginx.describe();
  const uint16_t fe = free_tcp_port();
  HearthProcess h(config(fe, nginx.port(),
                         "ssl verify required ca-file " + certs_->ca_pem() + " sni req.hdr(host)",
                         "", "  http-reuse always\n"),
                  {.wait_ports = {fe}});
  ASSERT_TRUE(h.ready()) << h.describe();
  const std::vector<std::string> hosts = {"a.example", "b.example", "a.example", "b.example"};
  for (size_t i = 0; i < hosts.size(); ++i)
    EXPECT_EQ(run_command({"curl", "-sS", "-H", "Host: " + hosts[i],
                           url(fe, "/hello?" + std::to_string(i))},
                          milliseconds{10000})
                  .output,
              "hello from nginx\n");
  ASSERT_TRUE(wait_until([&] { return nginx.access_log().size() == 4; }, milliseconds{3000}));
  for (size_t i = 0; i < hosts.size(); ++i) {
    const LogLine l = parse(nginx.access_log()[i]);
    EXPECT_EQ(l.request, "GET /hello?" + std::to_string(i) + " HTTP/1.1");
    EXPECT_EQ(l.sni, hosts[i]) << "a request went on a connection opened for another name";
  }
  // http-reuse always: one connection per name, each reused once.
  EXPECT_EQ(nginx.distinct_connections(), 2u);
}

TEST_F(TlsServer, IdleConnectionSurvivesTls13TicketsAndLeavesOnCloseNotify) {
  const NginxTls t = tls("TLSv1.3");
  Nginx nginx("    keepalive_timeout 1500ms;\n", &t);
  ASSERT_TRUE(nginx.ready()) << nginx.describe();
  TempDir dir;
  const std::string sock = dir.file("stats.sock");
  const uint16_t fe = free_tcp_port();
  HearthProcess h(config(fe, nginx.port(),
                         "ssl verify required ca-file " + certs_->ca_pem() + " sni str(a.example)",
                         "  stats socket " + sock + " level admin\n", "  http-reuse always\n"),
                  {.wait_ports = {fe}});
  ASSERT_TRUE(h.ready()) << h.describe();
  EXPECT_EQ(run_command({"curl", "-sS", url(fe, "/hello")}, milliseconds{10000}).output,
            "hello from nginx\n");
  ASSERT_TRUE(wait_until([&] { return server_conn_stats(sock, "b/s1")["idle_cur"] == "1"; },
                         milliseconds{3000}))
      << stats_command(sock, "show servers conn");
  // The TLS 1.3 tickets nginx sent after the handshake were read while idle
  // or with the response: the connection is still in the pool and carries
  // the next request.
  EXPECT_EQ(run_command({"curl", "-sS", url(fe, "/hello")}, milliseconds{10000}).output,
            "hello from nginx\n");
  ASSERT_TRUE(wait_until([&] { return nginx.access_log().size() == 2; }, milliseconds{3000}));
  EXPECT_EQ(nginx.distinct_connections(), 1u) << "the idle TLS connection was not reused";
  EXPECT_EQ(parse(nginx.access_log()[0]).protocol, "TLSv1.3");
  // nginx's keep-alive timeout closes it with a close_notify: it leaves the
  // pool without any request being sent on it.
  EXPECT_TRUE(wait_until([&] { return server_conn_stats(sock, "b/s1")["idle_cur"] == "0"; },
                         milliseconds{5000}))
      << stats_command(sock, "show servers conn");
  EXPECT_EQ(run_command({"curl", "-sS", url(fe, "/hello")}, milliseconds{10000}).output,
            "hello from nginx\n");
  ASSERT_TRUE(wait_until([&] { return nginx.access_log().size() == 3; }, milliseconds{3000}));
  const LogLine third = parse(nginx.access_log()[2]);
  EXPECT_EQ(nginx.distinct_connections(), 2u);
  EXPECT_EQ(third.reused, "r") << "the TLS 1.3 ticket was not used to resume";
  EXPECT_EQ(h.output().find(" SH "), std::string::npos) << h.output();
}

// One TLS connection served by hand: the handshake, one request answered with
// keep-alive, then how the peer ended: "close_notify" or "eof" (a FIN alone).
std::string serve_one_and_see_the_end(int listen_fd, const std::string& crt) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  std::string end = "setup failed";
  const int fd = accept(listen_fd, nullptr, nullptr);
  if (ctx && fd >= 0 && SSL_CTX_use_certificate_chain_file(ctx, crt.c_str()) == 1 &&
      SSL_CTX_use_PrivateKey_file(ctx, (crt + ".key").c_str(), SSL_FILETYPE_PEM) == 1) {
    SSL* ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    char buf[4096];
    if (SSL_accept(ssl) == 1 && SSL_read(ssl, buf, sizeof buf) > 0) {
      const std::string res = "HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\nok\n";
      SSL_write(ssl, res.data(), int(res.size()));
      const int r = SSL_read(ssl, buf, sizeof buf);
      end = r > 0                                            ? "more data"
            : SSL_get_error(ssl, r) == SSL_ERROR_ZERO_RETURN ? "close_notify"
                                                             : "eof";
    }
    SSL_free(ssl);
  }
  if (fd >= 0) close(fd);
  SSL_CTX_free(ctx);
  ERR_clear_error();
  return end;
}

TEST_F(TlsServer, HearthClosesWithCloseNotify) {
  uint16_t port = 0;
  const int lfd = listen_loopback(0, &port);
  ASSERT_GE(lfd, 0);
  std::string end;
  std::thread server([&] { end = serve_one_and_see_the_end(lfd, crt_); });
  const uint16_t fe = free_tcp_port();
  // pool-max-conn 0: Hearth closes the connection as soon as the exchange ends.
  HearthProcess h(config(fe, port,
                         "ssl verify required ca-file " + certs_->ca_pem() +
                             " sni str(a.example) pool-max-conn 0"),
                  {.wait_ports = {fe}});
  EXPECT_TRUE(h.ready()) << h.describe();
  EXPECT_EQ(run_command({"curl", "-sS", url(fe, "/")}, milliseconds{10000}).output, "ok\n");
  server.join();
  close(lfd);
  EXPECT_EQ(end, "close_notify") << h.output();
}

TEST_F(TlsServer, ChecksGoOverTls) {
  const NginxTls t = tls();
  Nginx nginx({}, &t);
  ASSERT_TRUE(nginx.ready()) << nginx.describe();
  TempDir dir;
  const std::string sock = dir.file("stats.sock");
  const uint16_t fe = free_tcp_port();
  HearthProcess h(
      config(fe, nginx.port(),
             "ssl verify required ca-file " + certs_->ca_pem() +
                 " check-sni a.example check inter 200ms",
             "  stats socket " + sock + " level admin\n", "  option httpchk GET /hello\n"),
      {.wait_ports = {fe}});
  ASSERT_TRUE(h.ready()) << h.describe();
  // HTTP checks over TLS reach nginx and pass.
  EXPECT_TRUE(wait_until(
      [&] {
        for (const std::string& l : nginx.access_log())
          if (l.find("GET /hello") != std::string::npos && parse(l).sni == "a.example") return true;
        return false;
      },
      milliseconds{5000}))
      << nginx.describe();
  EXPECT_NE(stats_command(sock, "show stat").find("L7OK"), std::string::npos)
      << stats_command(sock, "show stat");
}

TEST_F(TlsServer, ConfigurationRefusals) {
  struct Case {
    std::string srv, global, expect;
  };
  const std::vector<Case> cases = {
      {"ssl", "", "verify is enabled by default but no CA file specified"},
      {"ssl verify required", "", "verify is required but no CA file specified"},
      {"sni str(a)", "", "option 'sni' needs 'ssl'"},
      {"ssl verify none proxy-v2-options ssl,nosuch", "", "unknown option 'nosuch'"},
      {"ssl verify maybe", "", "'verify' expects none or required"},
      {"ssl verify none sni nosuchfetch", "", "sni nosuchfetch"},
      {"ssl verify none ssl-min-ver TLSv1.3 ssl-max-ver TLSv1.2", "", "is above ssl-max-ver"},
      {"ssl verify none ca-file /nonexistent/ca.pem", "", "cannot load CA file"},
      {"ssl", "  ssl-default-server-options no-ssl-reuse\n",
       "not an option of ssl-default-server-options"},
  };
  for (const Case& c : cases) {
    RunResult r = HearthProcess::check_config(config(1, 2, c.srv, c.global));
    EXPECT_NE(r.exit_code, 0) << c.srv;
    EXPECT_NE(r.output.find(c.expect), std::string::npos) << c.srv << "\n" << r.output;
  }
  // ssl-server-verify none lifts the default.
  RunResult ok = HearthProcess::check_config(config(1, 2, "ssl", "  ssl-server-verify none\n"));
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
}

}  // namespace
}  // namespace hearth::test::http

namespace hearth::test::http {
namespace {

// "alpn" on a check's connect rule: the check offers that list (nginx
// answers the protocol it chose), with haproxy 2.6 side by side. The same
// expectation fails without the rule's ALPN: the server saw none.
TEST_F(TlsServer, CheckConnectRulesOfferTheirAlpn) {
  const NginxTls t = tls();
  Nginx nginx("    location = /alpn { return 200 \"alpn=$ssl_alpn_protocol\\n\"; }\n", &t);
  ASSERT_TRUE(nginx.ready()) << nginx.describe();
  const std::string np = std::to_string(nginx.port());
  const std::string get = "GET /alpn HTTP/1.0\\r\\nhost: a.example\\r\\n\\r\\n";
  struct Case {
    std::string name, rules, want;
  };
  const Case cases[] = {
      {"http",
       "  option httpchk\n  http-check connect ssl alpn http/1.1\n"
       "  http-check send meth GET uri /alpn\n  http-check expect string alpn=http/1.1\n",
       "UP L7OK"},
      {"http-none",
       "  option httpchk\n  http-check connect ssl\n"
       "  http-check send meth GET uri /alpn\n  http-check expect string alpn=http\n",
       "DOWN L7RSP"},
      {"tcp",
       "  option tcp-check\n  tcp-check connect ssl alpn foo,http/1.1\n"
       "  tcp-check send \"" +
           get + "\"\n  tcp-check expect string alpn=http/1.1\n",
       "UP L7OK"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::map<std::string, std::string> seen;
    for (const std::string bin : {"haproxy", ""}) {
      TempDir dir;
      const std::string sock = dir.file("s.sock");
      const std::string cfg = "global\n  stats socket " + sock +
                              " level admin\n"
                              "defaults\n  mode http\n  timeout connect 2s\n"
                              "  timeout client 5s\n  timeout server 5s\n  timeout check 2s\n"
                              "backend b\n" +
                              c.rules + "  server s1 127.0.0.1:" + np +
                              " check inter 200ms rise 1 fall 1 verify none\n";
      HearthOptions o;
      if (!bin.empty()) o.binary = bin, o.extra_args = {"-db"};
      HearthProcess h(cfg, o);
      ASSERT_TRUE(h.ready()) << h.describe();
      std::string got;
      wait_until(
          [&] {
            const auto row = stat_row(sock, "b", "s1");
            got = row.count("status") ? row.at("status") + " " + row.at("check_status") : "";
            return got == c.want;
          },
          milliseconds{5000});
      seen[bin.empty() ? "hearth" : bin] = got;
    }
    EXPECT_EQ(seen["haproxy"], c.want);
    EXPECT_EQ(seen["hearth"], c.want);
  }
}

}  // namespace
}  // namespace hearth::test::http
