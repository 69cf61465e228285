// The access log of HTTP mode, read from hearth's stdout: `option httplog`
// writes one HTTP line per transaction (timers, status, request line), while
// `option tcplog` or no option keeps the short connection-level tcplog shape.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/client.h"
#include "support/output_lines.h"
#include "support/ports.h"
#include "support/unique_fd.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

// len: a line longer than 1024 bytes (the default) would be cut, as HAProxy does.
constexpr const char* kLogStdout = "  log stdout len 8192 format raw local0\n";

// Waits until at least n lines of hearth's output contain needle.
std::vector<std::string> wait_lines(HearthProcess& h, const std::string& needle, size_t n,
                                    milliseconds timeout = milliseconds{3000}) {
  std::vector<std::string> found;
  wait_until(
      [&] {
        found = lines_with(h.output(), {needle});
        return found.size() >= n;
      },
      timeout);
  return found;
}

// "127.0.0.1:PORT " for the local end of fd: the prefix of its log lines.
std::string client_prefix(int fd) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) return "?";
  return "127.0.0.1:" + std::to_string(ntohs(a.sin_port)) + " ";
}

// Sends raw bytes on a new connection and reads until hearth closes it.
std::string raw_exchange(uint16_t port, const std::string& request) {
  UniqueFd fd(connect_tcp(port));
  if (!fd.valid() || !send_all(fd.get(), request)) return "";
  return recv_until_eof(fd.get(), milliseconds{5000});
}

// The httplog line: client, date with ms, names, TR/Tw/Tc/Tr/Ta, status, bytes,
// two unused capture fields, termination, connection counts and retries, queues,
// request line.
const char* kHttpLine =
    R"(^127\.0\.0\.1:\d+ \[\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2}\.\d{3}\] )"
    R"((\S+) (\S+)/(\S+) (-?\d+)/(-?\d+)/(-?\d+)/(-?\d+)/(\d+) (-?\d+) (\d+) - - (\S{4}) )"
    R"re(\d+/\d+/\d+/\d+/\+?(\d+) \d+/\d+ "([^"]*)"$)re";

struct HttpLine {
  std::string frontend, backend, server;
  long tr = 0, tw = 0, tc = 0, tr_srv = 0, ta = 0;
  int status = 0;
  unsigned long long bytes = 0;
  std::string term;
  int retries = 0;
  std::string request;
};

// Parses an httplog line. Returns: false if the line does not have the shape.
bool parse_http_line(const std::string& line, HttpLine* out) {
  static const std::regex re(kHttpLine);
  std::smatch m;
  if (!std::regex_match(line, m, re)) return false;
  out->frontend = m[1];
  out->backend = m[2];
  out->server = m[3];
  out->tr = std::stol(m[4]);
  out->tw = std::stol(m[5]);
  out->tc = std::stol(m[6]);
  out->tr_srv = std::stol(m[7]);
  out->ta = std::stol(m[8]);
  out->status = std::stoi(m[9]);
  out->bytes = std::stoull(m[10]);
  out->term = m[11];
  out->retries = std::stoi(m[12]);
  out->request = m[13];
  return true;
}

class HttpLogTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (proxy_ && proxy_->ready()) {
      EXPECT_EQ(proxy_->stop_and_check(), "");
    }
  }
  void start(HearthHttpConfig c) {
    if (c.be_port == 0) c.be_port = backend_.port();
    c.global_extra += kLogStdout;
    proxy_ = std::make_unique<HttpProxy>(c);
    ASSERT_TRUE(proxy_->ready()) << proxy_->describe();
  }
  HearthProcess& hearth() { return proxy_->hearth(); }

  HttpBackend backend_;
  std::unique_ptr<HttpProxy> proxy_;
};

// Two requests on one keep-alive connection: two lines, each with its own
// method, URI, status and the server that answered, and timers that add up.
TEST_F(HttpLogTest, HttplogWritesOneLinePerKeepAliveTransaction) {
  start({.defaults_extra = "  log global\n  option httplog\n"});
  HttpClient c(proxy_->port());
  ASSERT_TRUE(c.connected());
  const std::string prefix = client_prefix(c.fd());
  HttpResponse r1 = c.request("GET", "/a?x=1");
  ASSERT_EQ(r1.status, 200);
  HttpResponse r2 = c.request("POST", "/b", {}, "hello");
  ASSERT_EQ(r2.status, 200);
  ASSERT_EQ(backend_.request_count(), 2u);

  std::vector<std::string> lines = wait_lines(hearth(), prefix, 2);
  ASSERT_EQ(lines.size(), 2u) << hearth().output();
  HttpLine get, post;
  ASSERT_TRUE(parse_http_line(lines[0], &get)) << lines[0];
  ASSERT_TRUE(parse_http_line(lines[1], &post)) << lines[1];

  EXPECT_EQ(get.request, "GET /a?x=1 HTTP/1.1");
  EXPECT_EQ(post.request, "POST /b HTTP/1.1");
  for (const HttpLine* l : {&get, &post}) {
    EXPECT_EQ(l->frontend, "fe");
    EXPECT_EQ(l->backend, "be");
    EXPECT_EQ(l->server, "s1");
    EXPECT_EQ(l->status, 200);
    EXPECT_EQ(l->term, "----");
    EXPECT_EQ(l->retries, 0);
    // Every phase happened, and they follow each other within Ta.
    EXPECT_GE(l->tr, 0);
    EXPECT_GE(l->tw, 0);
    EXPECT_GE(l->tc, 0);
    EXPECT_GE(l->tr_srv, 0);
    EXPECT_LE(l->tr + l->tw + l->tc + l->tr_srv, l->ta);
    EXPECT_GT(l->bytes, 3u);  // at least the "ok\n" body
  }
}

// A request line as received: quotes and other bytes that would break the log
// line are escaped, a long target is cut, HTTP/1.0 stays 1.0, and a request
// that could not be parsed is <BADREQ>. Bytes count what the client received.
TEST_F(HttpLogTest, HttplogRequestLineEscapingTruncationAndBadRequests) {
  start({.defaults_extra = "  log global\n  option httplog\n"});
  std::string raw = http_get(proxy_->port(), "/q?a=\"b\"");
  ASSERT_EQ(http_status(raw), 200) << raw;
  std::vector<std::string> quoted = wait_lines(hearth(), "/q?a=", 1);
  ASSERT_EQ(quoted.size(), 1u) << hearth().output();
  HttpLine q;
  ASSERT_TRUE(parse_http_line(quoted[0], &q)) << quoted[0];
  EXPECT_EQ(q.request, "GET /q?a=#22b#22 HTTP/1.1");
  EXPECT_EQ(q.bytes, raw.size()) << quoted[0];

  const std::string long_target = "/long/" + std::string(2000, 'x');
  ASSERT_EQ(http_status(http_get(proxy_->port(), long_target)), 200);
  std::vector<std::string> longs = wait_lines(hearth(), "/long/", 1);
  ASSERT_EQ(longs.size(), 1u) << hearth().output();
  HttpLine l;
  ASSERT_TRUE(parse_http_line(longs[0], &l)) << longs[0].substr(0, 300);
  // HAProxy keeps the first 1023 bytes of the line without tune.http.logurilen.
  EXPECT_EQ(l.request, ("GET " + long_target).substr(0, 1023));

  std::string old = raw_exchange(proxy_->port(), "GET /old HTTP/1.0\r\n\r\n");
  ASSERT_EQ(http_status(old), 200) << old;
  std::vector<std::string> olds = wait_lines(hearth(), "/old", 1);
  ASSERT_EQ(olds.size(), 1u) << hearth().output();
  HttpLine o;
  ASSERT_TRUE(parse_http_line(olds[0], &o)) << olds[0];
  EXPECT_EQ(o.request, "GET /old HTTP/1.0");

  std::string bad = raw_exchange(proxy_->port(), "garbage\r\n\r\n");
  ASSERT_EQ(http_status(bad), 400) << bad;
  std::vector<std::string> bads = wait_lines(hearth(), "<BADREQ>", 1);
  ASSERT_EQ(bads.size(), 1u) << hearth().output();
  HttpLine b;
  ASSERT_TRUE(parse_http_line(bads[0], &b)) << bads[0];
  EXPECT_EQ(b.server, "<NOSRV>");
  EXPECT_EQ(b.status, 400);
  EXPECT_EQ(b.term, "PR--");
  EXPECT_EQ(b.tr, -1);  // the head never completed as a valid request
  EXPECT_EQ(b.tw, -1);
  EXPECT_EQ(b.tc, -1);
  EXPECT_EQ(b.tr_srv, -1);
  EXPECT_EQ(b.bytes, bad.size());
  EXPECT_EQ(backend_.request_count(), 3u);
}

// option dontlognull: a connection that closes without sending a byte leaves
// no line (without the option it leaves a <BADREQ> one); requests still do.
TEST_F(HttpLogTest, DontlognullSkipsConnectionsWithoutARequestByte) {
  start({.defaults_extra = "  log global\n  option httplog\n  option dontlognull\n"});
  {
    UniqueFd probe(connect_tcp(proxy_->port()));
    ASSERT_TRUE(probe.valid());
    ASSERT_TRUE(shutdown_write(probe.get()));
    ASSERT_TRUE(peer_closed(probe.get(), milliseconds{3000}));
  }
  ASSERT_EQ(http_status(http_get(proxy_->port(), "/after")), 200);
  ASSERT_EQ(wait_lines(hearth(), "\"GET /after HTTP/1.1\"", 1).size(), 1u) << hearth().output();
  EXPECT_TRUE(lines_with(hearth().output(), {"<BADREQ>"}).empty()) << hearth().output();
}

TEST_F(HttpLogTest, WithoutDontlognullAnEmptyConnectionIsLogged) {
  start({.defaults_extra = "  log global\n  option httplog\n"});
  {
    UniqueFd probe(connect_tcp(proxy_->port()));
    ASSERT_TRUE(probe.valid());
    ASSERT_TRUE(shutdown_write(probe.get()));
    ASSERT_TRUE(peer_closed(probe.get(), milliseconds{3000}));
  }
  std::vector<std::string> lines = wait_lines(hearth(), "<BADREQ>", 1);
  ASSERT_EQ(lines.size(), 1u) << hearth().output();
  HttpLine l;
  ASSERT_TRUE(parse_http_line(lines[0], &l)) << lines[0];
  EXPECT_EQ(l.term, "CR--");
  EXPECT_EQ(l.status, -1);
  EXPECT_EQ(l.bytes, 0u);
}

// The server refuses connections: after the retry, a 503 made by Hearth. The
// server was chosen, but no connection and no response happened (-1).
TEST_F(HttpLogTest, HttplogServerDown503) {
  start({.be_port = free_tcp_port(),
         .defaults_extra = "  log global\n  option httplog\n",
         .be_extra = "  retries 1\n"});
  HttpClient c(proxy_->port());
  ASSERT_EQ(c.request("GET", "/down").status, 503);
  std::vector<std::string> lines = wait_lines(hearth(), "\"GET /down HTTP/1.1\"", 1);
  ASSERT_EQ(lines.size(), 1u) << hearth().output();
  HttpLine l;
  ASSERT_TRUE(parse_http_line(lines[0], &l)) << lines[0];
  EXPECT_EQ(l.server, "s1");
  EXPECT_EQ(l.status, 503);
  EXPECT_EQ(l.term, "SC--");
  EXPECT_EQ(l.retries, 1);
  EXPECT_GE(l.tr, 0);
  EXPECT_GE(l.tw, 0);
  EXPECT_EQ(l.tc, -1);
  EXPECT_EQ(l.tr_srv, -1);
}

// No usable server: no slot was ever granted, so Tw is -1 as well.
TEST_F(HttpLogTest, HttplogNoServer503) {
  start({.defaults_extra = "  log global\n  option httplog\n", .srv_extra = "disabled"});
  HttpClient c(proxy_->port());
  ASSERT_EQ(c.request("GET", "/none").status, 503);
  std::vector<std::string> lines = wait_lines(hearth(), "\"GET /none HTTP/1.1\"", 1);
  ASSERT_EQ(lines.size(), 1u) << hearth().output();
  HttpLine l;
  ASSERT_TRUE(parse_http_line(lines[0], &l)) << lines[0];
  EXPECT_EQ(l.server, "<NOSRV>");
  EXPECT_EQ(l.status, 503);
  EXPECT_EQ(l.term, "SC--");
  EXPECT_GE(l.tr, 0);
  EXPECT_EQ(l.tw, -1);
  EXPECT_EQ(l.tc, -1);
  EXPECT_EQ(l.tr_srv, -1);
  EXPECT_EQ(backend_.connections(), 0u);
}

// option tcplog in an HTTP frontend: HAProxy's tcplog line, one per
// transaction, with no HTTP fields.
TEST_F(HttpLogTest, TcplogKeepsTheTcpShape) {
  start({.defaults_extra = "  log global\n  option tcplog\n"});
  HttpClient c(proxy_->port());
  ASSERT_TRUE(c.connected());
  const std::string prefix = client_prefix(c.fd());
  ASSERT_EQ(c.request("GET", "/a?x=1").status, 200);
  ASSERT_EQ(c.request("POST", "/b", {}, "hello").status, 200);
  std::vector<std::string> lines = wait_lines(hearth(), prefix, 2);
  ASSERT_EQ(lines.size(), 2u) << hearth().output();
  // client [date.ms] frontend backend/server Tw/Tc/Tt bytes termination
  // ac/fc/bc/sc/rc sq/bq
  std::regex tcp(R"(^127\.0\.0\.1:\d+ \[\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2}\.\d{3}\] )"
                 R"(fe be/s1 -?\d+/-?\d+/\d+ \d+ -- \d+/\d+/\d+/\d+/\d+ \d+/\d+$)");
  for (const std::string& line : lines) {
    EXPECT_TRUE(std::regex_match(line, tcp)) << line;
    EXPECT_EQ(line.find("/a"), std::string::npos) << line;
    EXPECT_EQ(line.find('"'), std::string::npos) << line;
  }
}

// No log format option: HAProxy's default line, once per connection, when
// it is accepted.
TEST_F(HttpLogTest, NoOptionLogsTheConnection) {
  start({.defaults_extra = "  log global\n"});
  HttpClient c(proxy_->port());
  ASSERT_TRUE(c.connected());
  ASSERT_EQ(c.request("GET", "/a").status, 200);
  ASSERT_EQ(c.request("GET", "/b").status, 200);
  std::vector<std::string> lines = wait_lines(hearth(), "Connect from ", 1);
  ASSERT_EQ(lines.size(), 1u) << hearth().output();
  std::regex line(R"(^Connect from 127\.0\.0\.1:\d+ to 127\.0\.0\.1:\d+ \(fe/HTTP\)$)");
  EXPECT_TRUE(std::regex_match(lines[0], line)) << lines[0];
  EXPECT_EQ(lines_with(hearth().output(), {"/a"}).size(), 0u) << hearth().output();
}

}  // namespace
}  // namespace hearth::test::http
