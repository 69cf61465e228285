// errorfile, errorfiles, http-errors, http-error and errorloc30x through
// hearth and HAProxy with the same configuration: the bytes a client
// receives must be the same, for rule replies (deny, return), built-in
// messages, backend failures (502, 503) and an empty errorfile.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/client.h"
#include "support/ports.h"
#include "support/temp_dir.h"

namespace hearth::test::http {
namespace {

struct Case {
  std::string name;
  std::string request;
};

std::string config(uint16_t port, uint16_t be_port, const TempDir& dir) {
  const std::string d = dir.path() + "/";
  return "http-errors site\n"
         "  errorfile 404 " +
         d +
         "404.http\n"
         "  errorfile 500 " +
         d +
         "500.http\n"
         "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
         "  timeout server 5s\n  retries 0\n"
         "  errorfile 403 " +
         d +
         "403.http\n"
         "frontend fe\n  bind 127.0.0.1:" +
         std::to_string(port) +
         "\n"
         "  errorfile 400 " +
         d +
         "400.http\n"
         "  errorfile 502 " +
         d +
         "502.http\n"
         "  errorfile 408 /dev/null\n"
         "  errorfiles site 404\n"
         "  errorloc302 410 /gone?x=1\n"
         "  errorloc303 413 http://ex.com/big\n"
         "  http-error status 429 content-type text/plain hdr x-path %[path] "
         "lf-string \"slow down at %[path]\"\n"
         "  http-error status 425\n"
         "  http-request deny if { path /deny }\n"
         "  http-request deny deny_status 404 if { path /e404 }\n"
         "  http-request deny deny_status 500 errorfiles site if { path /e500 }\n"
         "  http-request deny deny_status 500 if { path /b500 }\n"
         "  http-request deny deny_status 405 if { path /b405 }\n"
         "  http-request deny deny_status 408 if { path /e408 }\n"
         "  http-request deny deny_status 410 if { path /l410 }\n"
         "  http-request deny deny_status 413 if { path /l413 }\n"
         "  http-request deny deny_status 429 if { path /h429 }\n"
         "  http-request deny deny_status 425 if { path /h425 }\n"
         "  http-request deny deny_status 400 if { path /d400 }\n"
         "  http-request return status 403 errorfile " +
         d +
         "403b.http if { path /r403 }\n"
         "  http-request return status 404 default-errorfiles if { path /r404 }\n"
         "  use_backend down if { path /down }\n"
         "  default_backend app\n"
         "backend down\n"
         "  errorfile 503 " +
         d +
         "503.http\n"
         "backend app\n"
         "  server s1 127.0.0.1:" +
         std::to_string(be_port) + "\n";
}

std::string file(int status, const std::string& tag, const std::string& body) {
  return "HTTP/1.1 " + std::to_string(status) + " Custom " + tag +
         "\r\nCache-Control: no-cache\r\nConnection: close\r\nContent-Type: text/html\r\n"
         "X-Err: " +
         tag + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

TEST(ErrorFiles, SameBytesAsHAProxy) {
  TempDir dir;
  ASSERT_TRUE(
      write_file(dir.file("403.http"), file(403, "defaults", "<p>403 from defaults</p>\n")));
  ASSERT_TRUE(write_file(dir.file("403b.http"), file(403, "rule", "<p>rule</p>\n")));
  ASSERT_TRUE(write_file(dir.file("400.http"), file(400, "fe", "bad\n")));
  ASSERT_TRUE(write_file(dir.file("404.http"), file(404, "site", "<p>nothing here</p>\n")));
  ASSERT_TRUE(write_file(dir.file("500.http"), file(500, "site", "oops\n")));
  ASSERT_TRUE(write_file(dir.file("502.http"), file(502, "fe", "upstream broke\n")));
  ASSERT_TRUE(write_file(dir.file("503.http"), file(503, "be", "maintenance\n")));
  HttpBackend backend;
  const std::vector<Case> cases = {
      {"deny with the defaults' errorfile", "GET /deny HTTP/1.1\r\nhost: a\r\n\r\n"},
      {"errorfiles SECTION CODE", "GET /e404 HTTP/1.1\r\nhost: a\r\n\r\n"},
      {"deny errorfiles SECTION", "GET /e500 HTTP/1.1\r\nhost: a\r\n\r\n"},
      {"built-in 500", "GET /b500 HTTP/1.1\r\nhost: a\r\n\r\n"},
      {"built-in 405", "GET /b405 HTTP/1.1\r\nhost: a\r\n\r\n"},
      {"empty errorfile: nothing sent", "GET /e408 HTTP/1.1\r\nhost: a\r\n\r\n"},
      {"errorloc302", "GET /l410 HTTP/1.1\r\nhost: a\r\n\r\n"},
      {"errorloc303", "GET /l413 HTTP/1.1\r\nhost: a\r\n\r\n"},
      {"http-error lf-string and hdr", "GET /h429 HTTP/1.1\r\nhost: a\r\n\r\n"},
      {"http-error without payload", "GET /h425 HTTP/1.1\r\nhost: a\r\n\r\n"},
      {"deny 400 with the frontend's errorfile", "GET /d400 HTTP/1.1\r\nhost: a\r\n\r\n"},
      {"return errorfile", "GET /r403 HTTP/1.1\r\nhost: a\r\nconnection: close\r\n\r\n"},
      {"return default-errorfiles", "GET /r404 HTTP/1.1\r\nhost: a\r\nconnection: close\r\n\r\n"},
      {"503 with the backend's errorfile", "GET /down HTTP/1.1\r\nhost: a\r\n\r\n"},
      {"502 with the frontend's errorfile", "GET /garbage HTTP/1.1\r\nhost: a\r\n\r\n"},
      {"bad request: the built-in 400", "GET / HTTP/1.1\r\nhost: a\r\nbad line\r\n\r\n"},
  };
  std::vector<std::vector<std::string>> runs;
  for (const std::string binary : {"", "haproxy"}) {
    const uint16_t port = free_tcp_port();
    HearthOptions opt{.wait_ports = {port}};
    if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
    HearthProcess h(config(port, backend.port(), dir), opt);
    ASSERT_TRUE(h.ready()) << binary << ": " << h.describe();
    std::vector<std::string> seen;
    for (const Case& c : cases) {
      const int fd = connect_tcp(port);
      ASSERT_GE(fd, 0);
      EXPECT_TRUE(send_all(fd, c.request));
      bool closed = false;
      seen.push_back(recv_until_eof(fd, milliseconds{3000}, &closed));
      EXPECT_TRUE(closed) << binary << ": " << c.name;
      ::close(fd);
    }
    runs.push_back(seen);
  }
  for (size_t i = 0; i < cases.size(); ++i) EXPECT_EQ(runs[0][i], runs[1][i]) << cases[i].name;
  // Spot checks of what both send.
  EXPECT_EQ(runs[0][0],
            "HTTP/1.1 403 Custom defaults\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n"
            "x-err: defaults\r\ncontent-length: 25\r\nconnection: close\r\n\r\n"
            "<p>403 from defaults</p>\n");
  EXPECT_EQ(runs[0][5], "");
  EXPECT_NE(runs[0][13].find("x-err: be"), std::string::npos);
  EXPECT_NE(runs[0][14].find("x-err: fe"), std::string::npos);
}

}  // namespace
}  // namespace hearth::test::http
