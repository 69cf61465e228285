// Self-tests of the HTTP test helpers (http_test_util.h), without hearth: the
// scripted backend and the client talk to each other directly, so an HTTP
// integration test can trust what they report.
//
// CMakeLists.txt builds only tests/integration/*_test.cc into
// integration_tests, so the helpers' implementation is compiled here.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <thread>

#include "http_test_util.cc"  // NOLINT(bugprone-suspicious-include)

namespace hearth::test::http {
namespace {

TEST(HttpUtilPattern, AnyChunkingMatchesAndCorruptionIsFound) {
  std::string whole(200000, '\0');
  pattern_fill(0, whole.data(), whole.size());
  std::string parts(200000, '\0');
  pattern_fill(0, parts.data(), 5);
  pattern_fill(5, parts.data() + 5, 70000);
  pattern_fill(70005, parts.data() + 70005, 200000 - 70005);
  EXPECT_EQ(whole, parts);
  PatternChecker good;
  good.feed(whole.data(), 3);
  good.feed(whole.data() + 3, whole.size() - 3);
  EXPECT_TRUE(good.ok());
  EXPECT_EQ(good.size(), whole.size());
  // Blocks differ by their number: a repeated block is caught.
  std::string repeated = whole.substr(0, 65536) + whole.substr(0, 65536);
  PatternChecker bad;
  bad.feed(repeated.data(), repeated.size());
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.first_bad(), 65536);
}

TEST(HttpUtilBackend, KeepAliveBodiesAndBookkeeping) {
  HttpBackend be;
  HttpClient c(be.port());
  ASSERT_TRUE(c.connected());
  HttpResponse r = c.request("GET", "/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ok\n");
  EXPECT_EQ(r.header("x-conn"), "1");
  r = c.request("POST", "/hash", {}, "abc");
  EXPECT_EQ(r.body, "3 " + sha256_hex("abc"));
  EXPECT_EQ(r.header("x-req"), "2");
  r = c.request("POST", "/echo", {"transfer-encoding: chunked"},
                "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
  EXPECT_EQ(r.body, "abcde");
  r = c.request("GET", "/chunked/300000");
  EXPECT_TRUE(r.complete);
  EXPECT_TRUE(r.chunked);
  ASSERT_EQ(r.trailers.size(), 1u);
  PatternChecker check;
  check.feed(r.body.data(), r.body.size());
  EXPECT_TRUE(check.ok());
  EXPECT_EQ(check.size(), 300000u);
  r = c.request("HEAD", "/size/10");
  EXPECT_EQ(r.header("content-length"), "10");
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(be.connections(), 1u);
  EXPECT_EQ(be.request_count(), 5u);
  EXPECT_EQ(be.count_method("POST"), 2u);
  EXPECT_EQ(be.per_connection().at(1), 5);
}

TEST(HttpUtilBackend, IdleCloseCountsLateRequests) {
  HttpBackend::Options o;
  o.idle_timeout_ms = 50;
  o.linger_ms = 300;
  HttpBackend be(o);
  HttpClient c(be.port());
  EXPECT_EQ(c.request("GET", "/").status, 200);
  std::this_thread::sleep_for(milliseconds{120});
  // The backend has half-closed; a request sent now is a late one.
  ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nhost: x\r\n\r\n"));
  EXPECT_TRUE(c.closed_by_peer(milliseconds{2000}));
  EXPECT_TRUE(wait_until([&] { return be.late_requests() == 1; }, milliseconds{2000}));
  EXPECT_EQ(be.idle_closes(), 1u);
  EXPECT_EQ(be.request_count(), 1u);
}

TEST(HttpUtilBackend, ReusedConnectionsAreKilledOnArrival) {
  HttpBackend::Options o;
  o.on_reuse = HttpBackend::OnReuse::kReset;
  HttpBackend be(o);
  HttpClient c(be.port());
  EXPECT_EQ(c.request("GET", "/").status, 200);
  EXPECT_EQ(c.request("GET", "/").status, 0);
  ASSERT_TRUE(be.wait_requests(2, milliseconds{2000}));
  EXPECT_TRUE(be.requests()[1].killed);
  EXPECT_FALSE(be.requests()[0].killed);
}

TEST(HttpUtilBackend, ExpectContinueAndUpgrade) {
  HttpBackend be;
  HttpClient c(be.port());
  ASSERT_TRUE(
      c.send("POST /echo HTTP/1.1\r\nhost: x\r\nexpect: 100-continue\r\n"
             "content-length: 2\r\n\r\n"));
  EXPECT_EQ(c.read_response().status, 100);
  ASSERT_TRUE(c.send("hi"));
  EXPECT_EQ(c.read_response().body, "hi");
  HttpClient w(be.port());
  ASSERT_TRUE(
      w.send("GET /ws HTTP/1.1\r\nhost: x\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n"));
  EXPECT_EQ(w.read_response().status, 101);
  ASSERT_TRUE(w.send("ping"));
  EXPECT_EQ(w.read_n(10, milliseconds{2000}), "hello\nping");
}

TEST(HttpUtilNginx, ServesAndLogsConnections) {
  Nginx n;
  ASSERT_TRUE(n.ready()) << n.describe();
  HttpClient c(n.port());
  HttpResponse r = c.request("GET", "/hello");
  EXPECT_EQ(r.status, 200) << n.describe();
  EXPECT_EQ(r.body, "hello from nginx\n");
  EXPECT_EQ(c.request("GET", "/index.html").body, "hello from nginx\n");
  EXPECT_TRUE(wait_until([&] { return n.access_log().size() == 2; }, milliseconds{2000}));
  EXPECT_EQ(n.distinct_connections(), 1u);
}

}  // namespace
}  // namespace hearth::test::http
