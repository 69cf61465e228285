// HTTP mode end to end: curl through hearth to nginx, and the message shapes
// that are easy to get wrong in a proxy (pipelining, 100-continue, websocket
// upgrades, chunked bodies in both directions).
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "http_test_util.h"
#include "support/client.h"
#include "support/command.h"
#include "support/pseudo_random.h"
#include "support/scripted_server.h"
#include "support/sha256.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

std::string url(uint16_t port, std::string_view path) {
  return "http://127.0.0.1:" + std::to_string(port) + std::string(path);
}

// curl as the client, nginx as the server: status and body pass through, curl
// reuses its connection for a second URL, and hearth reuses nginx connections
// across sequential clients.
TEST(HttpNginx, CurlKeepAliveOnBothSides) {
  Nginx nginx;
  ASSERT_TRUE(nginx.ready()) << nginx.describe();
  HttpProxy proxy({.be_port = nginx.port()});
  ASSERT_TRUE(proxy.ready()) << proxy.describe();

  constexpr int kClients = 5;
  for (int i = 0; i < kClients; ++i) {
    CommandResult r = run_command({"curl", "-sS", "-w", "[%{http_code} %{num_connects}]\n",
                                   url(proxy.port(), "/hello"), url(proxy.port(), "/index.html")},
                                  milliseconds{10000});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    // The second transfer made no new connection (num_connects 0): curl
    // reused the first one.
    EXPECT_EQ(r.output, "hello from nginx\n[200 1]\nhello from nginx\n[200 0]\n");
  }
  ASSERT_TRUE(
      wait_until([&] { return nginx.access_log().size() == 2 * kClients; }, milliseconds{3000}))
      << nginx.access_log().size();
  // http-reuse safe: each client's first request opened a connection, its
  // second one reused an idle connection.
  EXPECT_EQ(nginx.distinct_connections(), size_t(kClients)) << proxy.hearth().output();
  for (const std::string& line : nginx.access_log())
    EXPECT_NE(line.find(" 200 "), std::string::npos) << line;
  EXPECT_EQ(proxy.stop_and_check(), "");
}

TEST(HttpNginx, CurlDownloadsAFileIntact) {
  Nginx nginx;
  ASSERT_TRUE(nginx.ready()) << nginx.describe();
  const std::string data = pseudo_random_bytes(9, 3 << 20);
  ASSERT_TRUE(write_file(nginx.root() + "/blob.bin", data));
  HttpProxy proxy({.be_port = nginx.port()});
  ASSERT_TRUE(proxy.ready()) << proxy.describe();
  TempDir out;
  CommandResult r = run_command(
      {"curl", "-sS", "-o", out.file("blob"), "-w", "%{http_code}", url(proxy.port(), "/blob.bin")},
      milliseconds{20000});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output, "200");
  std::string got = read_file(out.file("blob"));
  EXPECT_EQ(got.size(), data.size());
  EXPECT_EQ(sha256_hex(got), sha256_hex(data));
  // A HEAD and a 404 from nginx pass through with their framing intact.
  HttpClient c(proxy.port());
  HttpResponse head = c.request("HEAD", "/blob.bin");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("content-length"), std::to_string(data.size()));
  HttpResponse missing = c.request("GET", "/nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_TRUE(missing.complete);
  EXPECT_EQ(c.request("GET", "/hello").body, "hello from nginx\n");
  EXPECT_EQ(proxy.stop_and_check(), "");
}

TEST(HttpNginx, CurlPostsAChunkedUpload) {
  // nginx answers POST to a `return` location after reading the body.
  Nginx nginx("    location = /upload { client_max_body_size 10m; return 200 \"stored\\n\"; }\n");
  ASSERT_TRUE(nginx.ready()) << nginx.describe();
  HttpProxy proxy({.be_port = nginx.port()});
  ASSERT_TRUE(proxy.ready()) << proxy.describe();
  TempDir in;
  ASSERT_TRUE(write_file(in.file("up"), pseudo_random_bytes(4, 200000)));
  CommandResult r =
      run_command({"curl", "-sS", "-H", "Transfer-Encoding: chunked", "--data-binary",
                   "@" + in.file("up"), "-w", "[%{http_code}]", url(proxy.port(), "/upload")},
                  milliseconds{10000});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output, "stored\n[200]");
  EXPECT_EQ(proxy.stop_and_check(), "");
}

class HttpProxyTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (proxy_ && proxy_->ready()) {
      EXPECT_EQ(proxy_->stop_and_check(), "");
    }
  }
  void start(HearthHttpConfig c = {}) {
    c.be_port = backend_.port();
    proxy_ = std::make_unique<HttpProxy>(c);
    ASSERT_TRUE(proxy_->ready()) << proxy_->describe();
  }
  HttpBackend backend_;
  std::unique_ptr<HttpProxy> proxy_;
};

TEST_F(HttpProxyTest, ThreePipelinedRequestsInOneWriteAnswerInOrder) {
  start();
  HttpClient c(proxy_->port());
  ASSERT_TRUE(
      c.send("GET /slow/80 HTTP/1.1\r\nhost: a\r\n\r\n"
             "POST /echo HTTP/1.1\r\nhost: a\r\ncontent-length: 6\r\n\r\nsecond"
             "GET /size/100000 HTTP/1.1\r\nhost: a\r\n\r\n"));
  HttpResponse r1 = c.read_response();
  HttpResponse r2 = c.read_response();
  HttpResponse r3 = c.read_response();
  EXPECT_EQ(r1.header("x-target"), "/slow/80");
  EXPECT_EQ(r1.body, "ok\n");
  EXPECT_EQ(r2.header("x-target"), "/echo");
  EXPECT_EQ(r2.body, "second");
  EXPECT_EQ(r3.header("x-target"), "/size/100000");
  EXPECT_EQ(r3.body.size(), 100000u);
  PatternChecker check;
  check.feed(r3.body.data(), r3.body.size());
  EXPECT_TRUE(check.ok());
  // The connection is still usable afterwards.
  EXPECT_EQ(c.request("GET", "/four").header("x-target"), "/four");
  EXPECT_EQ(backend_.request_count(), 4u);
}

TEST_F(HttpProxyTest, ExpectContinueIsRelayedBeforeTheBody) {
  start();
  HttpClient c(proxy_->port());
  ASSERT_TRUE(
      c.send("POST /echo HTTP/1.1\r\nhost: a\r\nexpect: 100-continue\r\n"
             "content-length: 11\r\n\r\n"));
  // The client holds the body back until it sees the 100.
  HttpResponse interim = c.read_response(milliseconds{3000});
  EXPECT_EQ(interim.status, 100);
  ASSERT_TRUE(c.send("hello world"));
  HttpResponse final_response = c.read_response();
  EXPECT_EQ(final_response.status, 200);
  EXPECT_EQ(final_response.body, "hello world");
  ASSERT_EQ(backend_.request_count(), 1u);
  EXPECT_EQ(backend_.requests()[0].header("expect"), "100-continue");
  // curl waits for the 100 as well: told to wait up to 6 s, it must not.
  TempDir in;
  ASSERT_TRUE(write_file(in.file("b"), std::string(2000, 'x')));
  auto start_time = std::chrono::steady_clock::now();
  CommandResult r = run_command({"curl", "-sS", "-H", "Expect: 100-continue", "--expect100-timeout",
                                 "6", "--data-binary", "@" + in.file("b"), "-w", "[%{http_code}]",
                                 url(proxy_->port(), "/hash")});
  auto took = std::chrono::steady_clock::now() - start_time;
  EXPECT_EQ(r.output, "2000 " + sha256_hex(std::string(2000, 'x')) + "[200]");
  EXPECT_LT(took, milliseconds{4000}) << "curl did not get the 100 and waited for its timeout";
}

TEST_F(HttpProxyTest, WebsocketUpgradeBecomesATunnel) {
  start();
  HttpClient c(proxy_->port());
  ASSERT_TRUE(
      c.send("GET /ws HTTP/1.1\r\nhost: a\r\nupgrade: websocket\r\nconnection: Upgrade\r\n"
             "sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\nsec-websocket-version: 13\r\n\r\n"));
  HttpResponse r = c.read_response();
  ASSERT_EQ(r.status, 101);
  EXPECT_TRUE(r.has_token("upgrade", "websocket"));
  EXPECT_TRUE(r.has_token("connection", "upgrade"));
  ASSERT_EQ(backend_.request_count(), 1u);
  EXPECT_EQ(backend_.requests()[0].header("upgrade"), "websocket");
  // The server speaks first, then echoes; a binary frame crosses as-is.
  EXPECT_EQ(c.read_n(6), "hello\n");
  std::string frame = pseudo_random_bytes(5, 70000);
  std::thread writer([&] { EXPECT_TRUE(c.send(frame)); });
  std::string back = c.read_n(frame.size());
  writer.join();
  EXPECT_EQ(sha256_hex(back), sha256_hex(frame));
  ASSERT_TRUE(c.send("bye"));
  EXPECT_EQ(c.read_n(3), "bye");
  // Closing our side ends the tunnel on the server side too.
  shutdown(c.fd(), SHUT_WR);
  EXPECT_TRUE(c.closed_by_peer(milliseconds{3000}));
  EXPECT_TRUE(wait_until([&] { return backend_.active() == 0; }, milliseconds{3000}));
}

// An idle tunnel ends at timeout tunnel; traffic in either direction keeps
// it open.
TEST_F(HttpProxyTest, IdleTunnelClosedAtTimeoutTunnel) {
  start({.timeouts = "  timeout connect 1s\n  timeout client 5s\n  timeout server 5s\n"
                     "  timeout tunnel 400ms\n"});
  HttpClient c(proxy_->port());
  ASSERT_TRUE(
      c.send("GET /ws HTTP/1.1\r\nhost: a\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n"));
  ASSERT_EQ(c.read_response().status, 101);
  EXPECT_EQ(c.read_n(6), "hello\n");
  for (int i = 0; i < 4; ++i) {  // 1 s of light traffic
    std::this_thread::sleep_for(milliseconds{250});
    ASSERT_TRUE(c.send("x"));
    ASSERT_EQ(c.read_n(1, milliseconds{1000}), "x") << i;
  }
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(c.closed_by_peer(milliseconds{3000}));
  auto idle = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - t0);
  EXPECT_GE(idle.count(), 350);
  EXPECT_LT(idle.count(), 1500);
  EXPECT_TRUE(wait_until([&] { return backend_.active() == 0; }, milliseconds{2000}));
}

TEST_F(HttpProxyTest, ChunkedRequestBodyArrivesIntact) {
  start();
  HttpClient c(proxy_->port());
  // Chunk extensions, a trailer, and chunks split across several writes.
  std::string body = pseudo_random_bytes(6, 50000);
  std::string wire;
  size_t sizes[] = {1, 4096, 17, 30000, 15886};
  size_t off = 0;
  for (size_t n : sizes) {
    char line[32];
    snprintf(line, sizeof line, "%zx;ext=1\r\n", n);
    wire += line + body.substr(off, n) + "\r\n";
    off += n;
  }
  ASSERT_EQ(off, body.size());
  wire += "0\r\nx-check: end\r\n\r\n";
  ASSERT_TRUE(c.send("POST /hash HTTP/1.1\r\nhost: a\r\ntransfer-encoding: chunked\r\n\r\n"));
  for (size_t i = 0; i < wire.size(); i += 7000) {
    ASSERT_TRUE(c.send(wire.substr(i, 7000)));
    std::this_thread::sleep_for(milliseconds{5});
  }
  HttpResponse r = c.read_response();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "50000 " + sha256_hex(body));
  ASSERT_EQ(backend_.request_count(), 1u);
  EXPECT_TRUE(backend_.requests()[0].chunked);
  // The trailer travels with the body.
  const auto trailers = backend_.requests()[0].trailers;
  ASSERT_EQ(trailers.size(), 1u);
  EXPECT_EQ(trailers[0].second, "end");
  // The connection survives for another request.
  EXPECT_EQ(c.request("POST", "/hash", {}, "abc").body, "3 " + sha256_hex("abc"));
}

TEST_F(HttpProxyTest, ChunkedResponseWithTrailerArrivesIntact) {
  start();
  HttpClient c(proxy_->port());
  HttpResponse r = c.request("GET", "/chunked/1000000", {}, {}, milliseconds{10000});
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(r.chunked);
  EXPECT_TRUE(r.complete);
  PatternChecker check;
  check.feed(r.body.data(), r.body.size());
  EXPECT_TRUE(check.ok()) << check.first_bad();
  EXPECT_EQ(check.size(), 1000000u);
  ASSERT_EQ(r.trailers.size(), 1u);
  EXPECT_EQ(r.trailers[0].first, "x-trailer");
  // Keep-alive continues after a chunked response.
  HttpResponse again = c.request("GET", "/x");
  EXPECT_EQ(again.body, "ok\n");
  EXPECT_EQ(again.header("x-req"), "2");
}

// Many keep-alive clients at once, on two threads, against a server that
// closes connections after a few requests or a short idle time: every
// response is whole and belongs to its request.
TEST(HttpConcurrency, ManyClientsWithServerChurn) {
  HttpBackend::Options o;
  o.close_after = 7;
  o.idle_timeout_ms = 30;
  o.linger_ms = 100;
  HttpBackend backend(o);
  HttpProxy proxy({.be_port = backend.port(),
                   .global_extra = "  nbthread 2\n",
                   .be_extra = "  http-reuse always\n"});
  ASSERT_TRUE(proxy.ready()) << proxy.describe();
  constexpr int kClients = 12, kRequests = 30;
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kClients; ++t) {
    threads.emplace_back([&, t] {
      auto c = std::make_unique<HttpClient>(proxy.port());
      for (int i = 0; i < kRequests; ++i) {
        if (!c->connected()) c = std::make_unique<HttpClient>(proxy.port());
        HttpResponse r;
        std::string what;
        if (i % 3 == 0) {
          r = c->request("GET", "/size/" + std::to_string(1000 + 997 * i));
          PatternChecker check;
          check.feed(r.body.data(), r.body.size());
          if (r.status != 200 || check.size() != 1000u + 997 * i || !check.ok()) what = "size";
        } else if (i % 3 == 1) {
          std::string body = "client " + std::to_string(t) + " request " + std::to_string(i);
          r = c->request("POST", "/echo", {}, body);
          if (r.status != 200 && r.status != 502) what = "echo status";
          if (r.status == 200 && r.body != body) what = "echo body";
        } else {
          r = c->request("GET", "/chunked/" + std::to_string(5000 + i));
          if (r.status != 200 || r.body.size() != 5000u + i) what = "chunked";
        }
        if (!what.empty()) {
          ++bad;
          ADD_FAILURE() << "client " << t << " #" << i << ": " << what << " status " << r.status;
        }
        if (r.status != 200 || r.has_token("connection", "close")) c.reset();
        if (!c) c = std::make_unique<HttpClient>(proxy.port());
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(proxy.stop_and_check(), "");
}

TEST_F(HttpProxyTest, Http10ClientGetsItsVersionSemantics) {
  start();
  HttpClient c(proxy_->port());
  ASSERT_TRUE(c.send("GET /a HTTP/1.0\r\n\r\n"));
  HttpResponse r = c.read_response();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ok\n");
  // No keep-alive asked: hearth closes after the response.
  EXPECT_TRUE(c.closed_by_peer(milliseconds{2000}));
  HttpClient k(proxy_->port());
  ASSERT_TRUE(k.send("GET /b HTTP/1.0\r\nconnection: keep-alive\r\n\r\n"));
  r = k.read_response();
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.has_token("connection", "keep-alive"));
  ASSERT_TRUE(k.send("GET /c HTTP/1.0\r\nconnection: keep-alive\r\n\r\n"));
  EXPECT_EQ(k.read_response().header("x-target"), "/c");
}

// RFC 9112 §6.1: no Transfer-Encoding toward an HTTP/1.0 client, which
// cannot decode chunks; the body must arrive decoded.
TEST_F(HttpProxyTest, Http10ClientNeverGetsChunkedEncoding) {
  start();
  for (const char* conn : {"", "connection: keep-alive\r\n"}) {
    SCOPED_TRACE(*conn ? "keep-alive" : "close");
    HttpClient c(proxy_->port());
    // Big enough that the client's socket fills and sends are partial.
    ASSERT_TRUE(c.send(std::string("GET /chunked/5000000 HTTP/1.0\r\n") + conn + "\r\n"));
    std::this_thread::sleep_for(milliseconds{100});
    HttpResponse r = c.read_response();
    EXPECT_EQ(r.status, 200);
    EXPECT_FALSE(r.header("transfer-encoding").has_value());
    EXPECT_TRUE(r.complete);
    PatternChecker check;
    check.feed(r.body.data(), r.body.size());
    EXPECT_EQ(check.size(), 5000000u);
    EXPECT_TRUE(check.ok());
  }
}

TEST_F(HttpProxyTest, ResponsesWithoutBodyKeepBothConnections) {
  start();
  HttpClient c(proxy_->port());
  EXPECT_EQ(c.request("GET", "/status/204").status, 204);
  EXPECT_EQ(c.request("GET", "/status/304").status, 304);
  HttpResponse head = c.request("HEAD", "/size/5000");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("content-length"), "5000");
  HttpResponse last = c.request("GET", "/");
  EXPECT_EQ(last.body, "ok\n");
  // All four on one server connection.
  EXPECT_EQ(last.header("x-req"), "4");
  EXPECT_EQ(backend_.connections(), 1u);
}

// A response delimited by the server's close reaches the client whole, and the
// client learns that the connection ends with it.
TEST(HttpCloseDelimited, BodyEndsWithTheConnection) {
  ScriptedServer old_server(scripted::reply_and_close(
      "HTTP/1.0 200 OK\r\ncontent-type: text/plain\r\n\r\nall of this until the close"));
  HttpProxy proxy({.be_port = old_server.port()});
  ASSERT_TRUE(proxy.ready()) << proxy.describe();
  HttpClient c(proxy.port());
  HttpResponse r = c.request("GET", "/");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.body, "all of this until the close");
  EXPECT_TRUE(r.has_token("connection", "close"));
  EXPECT_EQ(proxy.stop_and_check(), "");
}

// Many interim (1xx) responses while the client reads slowly: each reaches it
// whole and in order, then the final response. Hearth takes the next head from
// the server only once the previous one has left its output buffer.
TEST(HttpInterim, ManyEarlyHintsReachASlowClientWhole) {
  const std::string link(900, 'l');
  constexpr int kHints = 8000;  // ~7.5 MB of heads: more than the sockets hold
  std::string script;
  for (int i = 0; i < kHints; ++i)
    script += "HTTP/1.1 103 Early Hints\r\nlink: <" + std::to_string(i) + link + ">\r\n\r\n";
  script += "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok";
  ScriptedServer server(scripted::reply_and_close(script));
  HttpProxy proxy({.be_port = server.port()});
  ASSERT_TRUE(proxy.ready()) << proxy.describe();
  UniqueFd fd(connect_tcp(proxy.port()));
  ASSERT_TRUE(fd.valid());
  ASSERT_TRUE(send_all(fd.get(), "GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n"));
  std::this_thread::sleep_for(milliseconds{300});  // hearth's output backs up meanwhile
  const std::string got = recv_until_eof(fd.get());
  size_t at = 0;
  for (int i = 0; i < kHints; ++i) {
    const std::string want =
        "HTTP/1.1 103 Early Hints\r\nlink: <" + std::to_string(i) + link + ">\r\n";
    ASSERT_EQ(got.compare(at, want.size(), want), 0)
        << "hint #" << i << " at byte " << at << " of " << got.size() << ": " << got.substr(at, 60);
    at = got.find("\r\n\r\n", at);
    ASSERT_NE(at, std::string::npos);
    at += 4;
  }
  EXPECT_EQ(got.compare(at, 15, "HTTP/1.1 200 OK"), 0) << got.substr(at, 200);
  EXPECT_EQ(got.substr(got.size() - 2), "ok");
  EXPECT_EQ(proxy.stop_and_check(), "");
}

}  // namespace
}  // namespace hearth::test::http
