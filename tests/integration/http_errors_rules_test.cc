// What a client sees when the server side fails (502, 503, 504), and the
// configured HTTP behaviour: header rules, return/deny, forwardfor, httpclose,
// the http-request and http-keep-alive timeouts.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <string>
#include <thread>

#include "http_test_util.h"
#include "support/client.h"
#include "support/ports.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

using SteadyClock = std::chrono::steady_clock;

int64_t ms_since(SteadyClock::time_point t) {
  return std::chrono::duration_cast<milliseconds>(SteadyClock::now() - t).count();
}

class HttpErrorsTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (proxy_ && proxy_->ready()) {
      EXPECT_EQ(proxy_->stop_and_check(), "");
    }
  }
  void start(HearthHttpConfig c = {}) {
    if (c.be_port == 0) c.be_port = backend_.port();
    proxy_ = std::make_unique<HttpProxy>(c);
    ASSERT_TRUE(proxy_->ready()) << proxy_->describe();
  }
  HttpBackend backend_;
  std::unique_ptr<HttpProxy> proxy_;
};

TEST_F(HttpErrorsTest, GarbageFromTheServerIs502) {
  start();
  HttpClient c(proxy_->port());
  HttpResponse r = c.request("GET", "/garbage");
  EXPECT_EQ(r.status, 502);
  // As HAProxy 2.6: the request was whole, the client's connection stays.
  EXPECT_FALSE(r.has_token("connection", "close"));
  // Not retried: retry-on defaults to conn-failure only.
  EXPECT_EQ(backend_.request_count(), 1u);
  // The next request on it is served.
  EXPECT_EQ(c.request("GET", "/").status, 200);
}

TEST_F(HttpErrorsTest, SilentServerIs504AfterTimeoutServer) {
  start({.timeouts = "  timeout connect 1s\n  timeout client 5s\n  timeout server 300ms\n"});
  HttpClient c(proxy_->port());
  auto t0 = SteadyClock::now();
  HttpResponse r = c.request("GET", "/never");
  int64_t took = ms_since(t0);
  EXPECT_EQ(r.status, 504);
  EXPECT_GE(took, 280);
  EXPECT_LT(took, 2000);
  // Hearth gave up on the server connection; the client's stays (HAProxy 2.6).
  EXPECT_TRUE(wait_until([&] { return backend_.active() == 0; }, milliseconds{2000}));
  EXPECT_FALSE(r.has_token("connection", "close"));
  EXPECT_EQ(c.request("GET", "/").status, 200);
}

// timeout client measures the client's inactivity: a client waiting for a
// slow server is not inactive.
TEST_F(HttpErrorsTest, SlowServerWithinTimeoutServerOutlivesTimeoutClient) {
  start({.timeouts = "  timeout connect 1s\n  timeout client 300ms\n  timeout server 3s\n"});
  HttpClient c(proxy_->port());
  HttpResponse r = c.request("GET", "/slow/700");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ok\n");
  r = c.request("GET", "/pause/700");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.body, "first\nsecond\n");
}

// A client that reads a large response slowly holds the server back; the
// server is not inactive and must not be cut at timeout server.
TEST_F(HttpErrorsTest, SlowReaderWithinTimeoutClientOutlivesTimeoutServer) {
  start({.timeouts = "  timeout connect 1s\n  timeout client 3s\n  timeout server 300ms\n"});
  HttpClient c(proxy_->port());
  const uint64_t n = 20 << 20;  // far more than the socket buffers hold
  ASSERT_TRUE(c.send("GET /size/" + std::to_string(n) + " HTTP/1.1\r\nhost: a\r\n\r\n"));
  std::this_thread::sleep_for(milliseconds{800});
  PatternChecker check;
  HttpResponse r = c.read_response(milliseconds{10000}, false,
                                   [&](const char* p, size_t k) { check.feed(p, k); });
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(check.size(), n);
  EXPECT_TRUE(check.ok());
}

// A client that stops sending its request body is the inactive side: it is
// cut at timeout client, and the server is not blamed with a 504.
TEST_F(HttpErrorsTest, StalledUploadEndsAtTimeoutClient) {
  start({.timeouts = "  timeout connect 1s\n  timeout client 300ms\n  timeout server 5s\n"});
  HttpClient c(proxy_->port());
  auto t0 = SteadyClock::now();
  ASSERT_TRUE(c.send("POST /hash HTTP/1.1\r\nhost: a\r\ncontent-length: 100\r\n\r\n0123456789"));
  HttpResponse r = c.read_response(milliseconds{4000});
  int64_t took = ms_since(t0);
  EXPECT_NE(r.status, 504) << "the server was blamed for the client's stall";
  EXPECT_TRUE(r.status == 0 || r.status == 408) << r.status;
  EXPECT_TRUE(c.closed_by_peer(milliseconds{1000}));
  EXPECT_LT(took, 2000);
  EXPECT_TRUE(wait_until([&] { return backend_.active() == 0; }, milliseconds{2000}));
}

// As in TCP mode (and HAProxy), a refused connect is retried after a
// turn-around of min(timeout connect, 1s): three attempts, 200 ms apart.
TEST_F(HttpErrorsTest, RefusedServerIs503AfterRetries) {
  uint16_t dead = free_tcp_port();  // nothing listens there
  start({.be_port = dead,
         .be_extra = "  retries 2\n",
         .timeouts = "  timeout connect 200ms\n  timeout client 5s\n  timeout server 5s\n"});
  HttpClient c(proxy_->port());
  auto t0 = SteadyClock::now();
  HttpResponse r = c.request("GET", "/");
  EXPECT_EQ(r.status, 503);
  EXPECT_GE(ms_since(t0), 350) << "retries did not wait";
  EXPECT_LT(ms_since(t0), 2000);
  // The client's connection stays (HAProxy 2.6) and takes the next request.
  EXPECT_FALSE(r.has_token("connection", "close"));
  EXPECT_EQ(c.request("GET", "/").status, 503);
}

TEST_F(HttpErrorsTest, NoUsableServerIs503) {
  start({.srv_extra = "disabled"});
  HttpClient c(proxy_->port());
  EXPECT_EQ(c.request("GET", "/").status, 503);
  EXPECT_EQ(backend_.connections(), 0u);
}

TEST_F(HttpErrorsTest, ServerCutMidBodyClosesTheClient) {
  // content-length says more than the server sends before closing.
  ScriptedServer liar(scripted::reply_and_close(
      "HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly thirty bytes of the body."));
  start({.be_port = liar.port()});
  HttpClient c(proxy_->port());
  HttpResponse r = c.request("GET", "/", {}, {}, milliseconds{3000});
  EXPECT_EQ(r.status, 200);
  EXPECT_FALSE(r.complete);  // the client sees the truncation as a close
  EXPECT_EQ(r.body, "only thirty bytes of the body.");
}

// The session log of HTTP mode names the server that answered (or failed)
// and counts the bytes sent to the client.
TEST_F(HttpErrorsTest, LogLinesNameTheServerAndCountBytes) {
  start({.global_extra = "  log stdout format raw local0\n",
         .defaults_extra = "  log global\n  option httplog\n",
         .timeouts = "  timeout connect 1s\n  timeout client 5s\n  timeout server 300ms\n"});
  std::string raw = http_get(proxy_->port(), "/");
  ASSERT_EQ(http_status(raw), 200) << raw;
  HttpClient c(proxy_->port());
  EXPECT_EQ(c.request("GET", "/never").status, 504);
  auto line_with = [&](const std::string& needle) {
    std::string found;
    wait_until(
        [&] {
          std::string out = proxy_->hearth().output();
          size_t at = out.find(needle);
          if (at == std::string::npos) return false;
          size_t start = out.rfind('\n', at);
          start = start == std::string::npos ? 0 : start + 1;
          found = out.substr(start, out.find('\n', at) - start);
          return true;
        },
        milliseconds{2000});
    return found;
  };
  std::string ok = line_with(" 200 ");
  EXPECT_NE(ok.find(" fe be/s1 "), std::string::npos) << ok;
  EXPECT_NE(ok.find(" 200 " + std::to_string(raw.size()) + " "), std::string::npos)
      << ok << " (the client received " << raw.size() << " bytes)";
  std::string timeout = line_with(" 504 ");
  EXPECT_NE(timeout.find(" fe be/s1 "), std::string::npos) << timeout;
  EXPECT_NE(timeout.find(" sH-- "), std::string::npos) << timeout;
}

// ---------------------------------------------------------------------------

TEST_F(HttpErrorsTest, RequestSetAndDelHeader) {
  start(
      {.fe_extra = "  http-request set-header X-Added yes\n  http-request del-header X-Secret\n"});
  HttpClient c(proxy_->port());
  HttpResponse r =
      c.request("GET", "/", {"X-Secret: s", "X-Added: old", "X-Added: older", "X-Kept: k"});
  EXPECT_EQ(r.status, 200);
  ASSERT_EQ(backend_.request_count(), 1u);
  HttpRequestRecord seen = backend_.requests()[0];
  EXPECT_EQ(seen.header_count("x-added"), 1);
  EXPECT_EQ(seen.header("x-added"), "yes");
  EXPECT_EQ(seen.header_count("x-secret"), 0);
  EXPECT_EQ(seen.header("x-kept"), "k");
}

TEST_F(HttpErrorsTest, ResponseSetAndDelHeader) {
  start(
      {.be_extra = "  http-response set-header X-Via hearth\n  http-response del-header X-Conn\n"});
  HttpClient c(proxy_->port());
  HttpResponse r = c.request("GET", "/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("x-via"), "hearth");
  EXPECT_FALSE(r.header("x-conn").has_value());
  EXPECT_EQ(r.header("x-target"), "/");
}

TEST_F(HttpErrorsTest, ReturnAnswersWithoutTheServer) {
  start({.fe_extra = "  http-request return status 202 content-type text/plain string hi-there\n"});
  HttpClient c(proxy_->port());
  HttpResponse r = c.request("GET", "/");
  EXPECT_EQ(r.status, 202);
  EXPECT_EQ(r.body, "hi-there");
  EXPECT_EQ(r.header("content-type"), "text/plain");
  // Keep-alive continues after a local answer.
  EXPECT_EQ(c.request("GET", "/again").status, 202);
  EXPECT_EQ(backend_.connections(), 0u);
}

TEST_F(HttpErrorsTest, DenyIs403AndCloses) {
  start({.fe_extra = "  http-request deny\n"});
  // A payload left unread closes the connection after the answer...
  HttpClient c(proxy_->port());
  ASSERT_TRUE(c.send("POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\npart"));
  HttpResponse r = c.read_response();
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(c.closed_by_peer(milliseconds{2000}));
  // ... one that came whole with the head was read for the rules: the
  // connection stays, as in HAProxy 2.6.
  HttpClient k(proxy_->port());
  EXPECT_EQ(k.request("POST", "/", {}, "payload").status, 403);
  EXPECT_EQ(k.request("GET", "/").status, 403);
  HttpClient d(proxy_->port());
  EXPECT_EQ(d.request("GET", "/").status, 403);
  EXPECT_EQ(backend_.connections(), 0u);
}

TEST_F(HttpErrorsTest, DenyWithStatus) {
  start({.fe_extra = "  http-request deny deny_status 429\n"});
  HttpClient c(proxy_->port());
  EXPECT_EQ(c.request("GET", "/").status, 429);
  EXPECT_EQ(backend_.connections(), 0u);
}

TEST_F(HttpErrorsTest, ForwardforAddsTheClientAddress) {
  start({.fe_extra = "  option forwardfor\n"});
  HttpClient c(proxy_->port());
  EXPECT_EQ(c.request("GET", "/").status, 200);
  ASSERT_EQ(backend_.request_count(), 1u);
  EXPECT_EQ(backend_.requests()[0].header("x-forwarded-for"), "127.0.0.1");
}

TEST_F(HttpErrorsTest, HttpcloseClosesBothSides) {
  start({.fe_extra = "  option httpclose\n"});
  HttpClient c(proxy_->port());
  HttpResponse r = c.request("GET", "/");  // a keep-alive request
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.has_token("connection", "close"));
  EXPECT_TRUE(c.closed_by_peer(milliseconds{2000}));
  ASSERT_EQ(backend_.request_count(), 1u);
  EXPECT_EQ(backend_.requests()[0].header("connection"), "close");
  EXPECT_TRUE(wait_until([&] { return backend_.active() == 0; }, milliseconds{2000}));
}

TEST_F(HttpErrorsTest, SlowlorisGets408AtTimeoutHttpRequest) {
  start({.fe_extra = "  timeout http-request 300ms\n"});
  HttpClient c(proxy_->port());
  auto t0 = SteadyClock::now();
  ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nhost: a\r\n"));
  // Trickling header lines does not extend the deadline.
  for (int i = 0; i < 20 && ms_since(t0) < 1500; ++i) {
    if (!c.send("x-slow-" + std::to_string(i) + ": 1\r\n")) break;
    std::this_thread::sleep_for(milliseconds{50});
  }
  HttpResponse r = c.read_response(milliseconds{3000});
  EXPECT_EQ(r.status, 408);
  EXPECT_GE(ms_since(t0), 280);
  EXPECT_TRUE(c.closed_by_peer(milliseconds{2000}));
  EXPECT_EQ(backend_.connections(), 0u);
}

TEST_F(HttpErrorsTest, IdleClientConnectionClosedAtTimeoutHttpKeepAlive) {
  start({.fe_extra = "  timeout http-keep-alive 200ms\n"});
  HttpClient c(proxy_->port());
  EXPECT_EQ(c.request("GET", "/").status, 200);
  auto t0 = SteadyClock::now();
  std::string extra;
  EXPECT_TRUE(c.closed_by_peer(milliseconds{3000}, &extra));
  EXPECT_EQ(extra, "");  // closed silently, no 408
  int64_t took = ms_since(t0);
  EXPECT_GE(took, 150);
  EXPECT_LT(took, 1500);
  // A connection that keeps asking in time is kept.
  HttpClient k(proxy_->port());
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(k.request("GET", "/").status, 200) << i;
    std::this_thread::sleep_for(milliseconds{50});
  }
}

// A graceful stop (SIGTERM) closes keep-alive clients that sit between
// requests, finishes a request in flight with "connection: close", then exits.
TEST_F(HttpErrorsTest, GracefulStopClosesIdleClientsAndFinishesRequests) {
  start();
  HttpClient idle(proxy_->port());
  ASSERT_EQ(idle.request("GET", "/").status, 200);
  HttpClient busy(proxy_->port());
  ASSERT_EQ(busy.request("GET", "/").status, 200);
  ASSERT_TRUE(busy.send("GET /slow/800 HTTP/1.1\r\nhost: a\r\n\r\n"));
  ASSERT_TRUE(backend_.wait_requests(3, milliseconds{2000}));
  ASSERT_TRUE(proxy_->hearth().process().send_signal(SIGTERM));
  // Closed at once, not when the process exits after the slow request.
  EXPECT_TRUE(idle.closed_by_peer(milliseconds{300})) << "idle keep-alive client left open";
  HttpResponse r = busy.read_response(milliseconds{3000});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ok\n");
  EXPECT_TRUE(r.has_token("connection", "close"));
  EXPECT_TRUE(busy.closed_by_peer(milliseconds{1000}));
  std::optional<int> code = proxy_->hearth().process().wait_exit(milliseconds{3000});
  EXPECT_EQ(code, 0);
}

}  // namespace
}  // namespace hearth::test::http
