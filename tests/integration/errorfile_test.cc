// errorfile, errorfiles, http-errors, http-error and errorloc30x through
// hearth and HAProxy with the same configuration: the bytes a client
// receives must be the same, for rule replies (deny, return), built-in
// messages, backend failures (502, 503) and an empty errorfile.
#include <gtest/gtest.h>

#include <cctype>
#include <cstring>
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

// Replaces every `from` in `s` by `to`.
std::string subst(std::string s, const std::string& from, const std::string& to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size()))
    s.replace(p, from.size(), to);
  return s;
}

std::string config(uint16_t port, uint16_t be_port, const TempDir& dir) {
  const std::string text = R"(http-errors site
  errorfile 404 @D/404.http
  errorfile 500 @D/500.http
defaults
  mode http
  timeout connect 1s
  timeout client 5s
  timeout server 5s
  retries 0
  errorfile 403 @D/403.http
frontend fe
  bind 127.0.0.1:@PORT
  errorfile 400 @D/400.http
  errorfile 502 @D/502.http
  errorfile 503 @D/503fe.http
  errorfile 408 /dev/null
  errorfiles site 404
  errorloc302 410 /gone?x=1
  errorloc303 413 http://ex.com/big
  http-error status 401 errorfile @D/413.http
  http-error status 429 content-type text/plain hdr x-path %[path] lf-string "slow down at %[path]"
  http-error status 425
  http-request deny if { path /deny }
  http-request deny deny_status 404 if { path /e404 }
  http-request deny deny_status 500 errorfiles site if { path /e500 }
  http-request deny deny_status 500 if { path /b500 }
  http-request deny deny_status 405 if { path /b405 }
  http-request deny deny_status 408 if { path /e408 }
  http-request deny deny_status 410 if { path /l410 }
  http-request deny deny_status 413 if { path /l413 }
  http-request deny deny_status 429 if { path /h429 }
  http-request deny deny_status 425 if { path /h425 }
  http-request deny deny_status 400 if { path /d400 }
  http-request deny deny_status 401 if { path /n401 }
  http-request return status 403 errorfile @D/403b.http if { path /r403 }
  http-request return status 404 default-errorfiles if { path /r404 }
  use_backend down if { path /down }
  use_backend down2 if { path /down2 }
  default_backend app
backend down
  errorfile 503 @D/503.http
backend down2
backend app
  server s1 127.0.0.1:@BE
)";
  return subst(subst(subst(text, "@D", dir.path()), "@PORT", std::to_string(port)), "@BE",
               std::to_string(be_port));
}

std::string file(int status, const std::string& tag, const std::string& body) {
  return "HTTP/1.1 " + std::to_string(status) + " Custom " + tag +
         "\r\nCache-Control: no-cache\r\nConnection: close\r\nContent-Type: text/html\r\n"
         "X-Err: " +
         tag + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// Reads one response: up to its content-length, else up to the close.
// `closed`: the connection was closed right after it (within 300 ms).
std::string read_one(int fd, bool* closed) {
  std::string got;
  *closed = false;
  size_t end = std::string::npos;
  while ((end = got.find("\r\n\r\n")) == std::string::npos) {
    const std::string more = recv_n(fd, 1, milliseconds{3000});
    if (more.empty()) {
      *closed = true;
      return got;
    }
    got += more;
  }
  const size_t cl = got.find("content-length: ");
  if (cl == std::string::npos || cl > end) {
    got += recv_until_eof(fd, milliseconds{3000}, closed);
    return got;
  }
  const size_t n = std::stoul(got.substr(cl + 16));
  got += recv_n(fd, n, milliseconds{3000});
  *closed = peer_closed(fd, milliseconds{300});
  return got;
}

// A built-in page's sentence is worded by each its own way (HAProxy's text
// is its own): it and the content-length are masked; the rest is compared.
std::string mask_builtin(std::string t) {
  const size_t h1 = t.find("</h1>\n");
  if (t.find("<html><body><h1>") == std::string::npos || h1 == std::string::npos) return t;
  const size_t end = t.find("\n</body>", h1);
  if (end == std::string::npos) return t;
  t.replace(h1 + 6, end - h1 - 6, "(sentence)");
  std::string low = t;
  for (char& ch : low) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  const size_t at = low.find("content-length: ");
  if (at != std::string::npos) {
    const size_t v = at + std::strlen("content-length: ");
    t.replace(v, t.find("\r\n", v) - v, "(n)");
  }
  return t;
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
  ASSERT_TRUE(write_file(dir.file("503fe.http"), file(503, "fe", "fe maintenance\n")));
  ASSERT_TRUE(write_file(dir.file("413.http"),
                         "HTTP/1.1 413 Too big\r\nX-Err: nolength\r\n\r\nno length here\n"));
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
      {"503 with the frontend's errorfile", "GET /down2 HTTP/1.1\r\nhost: a\r\n\r\n"},
      {"502 with the frontend's errorfile", "GET /garbage HTTP/1.1\r\nhost: a\r\n\r\n"},
      {"errorfile without content-length", "GET /n401 HTTP/1.1\r\nhost: a\r\n\r\n"},
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
      const std::string got = read_one(fd, &closed);
      seen.push_back(mask_builtin(got) + (closed ? "<closed>" : "<open>"));
      ::close(fd);
    }
    runs.push_back(seen);
  }
  auto lower = [](std::string t) {
    for (char& ch : t) ch = char(std::tolower(static_cast<unsigned char>(ch)));
    return t;
  };
  for (size_t i = 0; i + 1 < cases.size(); ++i) EXPECT_EQ(runs[0][i], runs[1][i]) << cases[i].name;
  // HAProxy's mux writes its raw 400 (field names capitalised, Connection
  // among them); Hearth's writes the same fields in lower case, Connection
  // last: the same response otherwise.
  const std::string& h400 = runs[0].back();
  const std::string& x400 = runs[1].back();
  EXPECT_EQ(lower(h400).substr(0, 24), lower(x400).substr(0, 24));
  EXPECT_EQ(h400.substr(h400.find("\r\n\r\n")), x400.substr(x400.find("\r\n\r\n")));
  for (const char* f : {"content-length: (n)\r\n", "cache-control: no-cache\r\n",
                        "connection: close\r\n", "content-type: text/html\r\n"}) {
    EXPECT_NE(h400.find(f), std::string::npos) << f;
    EXPECT_NE(lower(x400).find(f), std::string::npos) << f;
  }
  // Spot checks of what both send.
  EXPECT_EQ(runs[0][0],
            "HTTP/1.1 403 Custom defaults\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n"
            "x-err: defaults\r\ncontent-length: 25\r\nconnection: close\r\n\r\n"
            "<p>403 from defaults</p>\n<closed>");
  EXPECT_EQ(runs[0][5], "<closed>");
  EXPECT_NE(runs[0][3].find("<open>"), std::string::npos);  // a deny keeps the connection
  EXPECT_NE(runs[0][13].find("x-err: be"), std::string::npos);
  EXPECT_NE(runs[0][14].find("x-err: fe"), std::string::npos);
  EXPECT_NE(runs[0][15].find("x-err: fe"), std::string::npos);
  EXPECT_NE(runs[0][15].find(" 502 "), std::string::npos);
  EXPECT_EQ(runs[0][16],
            "HTTP/1.1 413 Too big\r\nx-err: nolength\r\nconnection: close\r\n\r\n"
            "no length here\n<closed>");
}

// Errors of the client's connection itself (a head that cannot be parsed,
// the request timeout) get the built-in message even when the frontend has
// its own, or nothing when its own is an empty file; a server timeout gets
// the backend's 504.
TEST(ErrorFiles, ConnectionErrorsAndServerTimeoutAsHAProxy) {
  TempDir dir;
  ASSERT_TRUE(write_file(dir.file("408.http"), file(408, "fe", "late\n")));
  ASSERT_TRUE(write_file(dir.file("504.http"), file(504, "be", "slow server\n")));
  HttpBackend backend;
  const std::string text = R"(defaults
  mode http
  timeout connect 1s
  timeout client 5s
  timeout http-request 300ms
  retries 0
frontend fe
  bind 127.0.0.1:@PORT
  errorfile 400 /dev/null
  errorfile 408 @D/408.http
  default_backend app
backend app
  timeout server 300ms
  errorfile 504 @D/504.http
  server s1 127.0.0.1:@BE
)";
  const std::vector<std::string> requests = {"GET / HTTP/1.1\r\nhost: a\r\nbad line\r\n\r\n",
                                             "GET / HTTP/1.1\r\nhost: a\r\n",
                                             "GET /never HTTP/1.1\r\nhost: a\r\n\r\n"};
  std::vector<std::vector<std::string>> runs;
  for (const std::string binary : {"", "haproxy"}) {
    const uint16_t port = free_tcp_port();
    HearthOptions opt{.wait_ports = {port}};
    if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
    const std::string cfg =
        subst(subst(subst(text, "@D", dir.path()), "@PORT", std::to_string(port)), "@BE",
              std::to_string(backend.port()));
    HearthProcess h(cfg, opt);
    ASSERT_TRUE(h.ready()) << binary << ": " << h.describe();
    std::vector<std::string> seen;
    for (const std::string& req : requests) {
      const int fd = connect_tcp(port);
      ASSERT_GE(fd, 0);
      EXPECT_TRUE(send_all(fd, req));
      bool closed = false;
      const std::string got = read_one(fd, &closed);
      seen.push_back(mask_builtin(got) + (closed ? "<closed>" : "<open>"));
      ::close(fd);
    }
    runs.push_back(seen);
  }
  EXPECT_EQ(runs[0][0], "<closed>");
  EXPECT_EQ(runs[1][0], "<closed>");
  // The built-in 408 (HAProxy's mux writes its field names capitalised).
  EXPECT_NE(runs[0][1].find("HTTP/1.1 408 Request Time-out\r\n"), std::string::npos);
  EXPECT_NE(runs[1][1].find("HTTP/1.1 408 Request Time-out\r\n"), std::string::npos);
  EXPECT_EQ(runs[0][1].substr(runs[0][1].find("\r\n\r\n")),
            runs[1][1].substr(runs[1][1].find("\r\n\r\n")));
  EXPECT_EQ(runs[0][1].find("x-err"), std::string::npos);
  EXPECT_EQ(runs[0][2], runs[1][2]);
  EXPECT_NE(runs[0][2].find("x-err: be"), std::string::npos);
}

}  // namespace
}  // namespace hearth::test::http
