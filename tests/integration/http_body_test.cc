// Request payload buffering for rules: option http-buffer-request,
// http-request wait-for-body, the req.body fetches and json_query, through
// hearth and HAProxy with the same configuration on real sockets.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"
#include "support/pseudo_random.h"
#include "support/sha256.h"

namespace hearth::test::http {
namespace {

const std::vector<std::string> kBinaries = {"", "haproxy"};

std::unique_ptr<HearthProcess> start(const std::string& binary, const std::string& cfg,
                                     uint16_t port) {
  HearthOptions opt{.wait_ports = {port}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  return std::make_unique<HearthProcess>(cfg, opt);
}

std::string defaults() {
  return "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
         "  timeout server 5s\n";
}

// A request whose head goes first and whose payload follows in pieces, each
// sent once the previous one was written (the proxy sees them apart).
HttpResponse post_in_pieces(uint16_t port, const std::string& head,
                            const std::vector<std::string>& pieces) {
  HttpClient c(port);
  if (!c.send(head)) return {};
  for (const std::string& p : pieces) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // apart, not a timing check
    if (!c.send(p)) break;
  }
  return c.read_response();
}

TEST(HttpBody, RoutesOnAJsonFieldOfTheBody) {
  HttpBackend::Options ao, wo;
  ao.body = "api\n";
  wo.body = "web\n";
  HttpBackend api(ao), web(wo);
  for (const std::string& binary : kBinaries) {
    const uint16_t port = free_tcp_port();
    const std::string cfg = defaults() + "frontend fe\n  bind 127.0.0.1:" + std::to_string(port) +
                            "\n  option http-buffer-request\n"
                            "  use_backend api if { req.body,json_query('$.kind') -m str foo }\n"
                            "  default_backend web\n"
                            "backend api\n  server s 127.0.0.1:" +
                            std::to_string(api.port()) +
                            "\nbackend web\n  server s 127.0.0.1:" + std::to_string(web.port()) +
                            "\n";
    auto h = start(binary, cfg, port);
    ASSERT_TRUE(h->ready()) << binary << ": " << h->describe();
    const std::string foo = R"({"id":1,"kind":"foo"})", bar = R"({"kind":"bar"})";
    auto head = [](size_t n) {
      return "POST /j HTTP/1.1\r\nhost: x\r\ncontent-length: " + std::to_string(n) + "\r\n\r\n";
    };
    // The payload arrives after the head: the rules must wait for it.
    EXPECT_EQ(post_in_pieces(port, head(foo.size()), {foo.substr(0, 7), foo.substr(7)}).body,
              "api\n")
        << binary;
    EXPECT_EQ(post_in_pieces(port, head(bar.size()), {bar}).body, "web\n") << binary;
    // Chunked: the rules see the payload without its framing.
    EXPECT_EQ(
        post_in_pieces(port, "POST /j HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n",
                       {"7\r\n{\"kind\"\r\n", "7\r\n:\"foo\"}\r\n0\r\n\r\n"})
            .body,
        "api\n")
        << binary;
  }
  // The servers received the payloads whole.
  ASSERT_EQ(api.request_count(), 4u);
  EXPECT_EQ(api.requests()[0].body, R"({"id":1,"kind":"foo"})");
  EXPECT_EQ(api.requests()[1].body, R"({"kind":"foo"})");
}

TEST(HttpBody, BodyFetchesSameAsHAProxy) {
  std::vector<std::vector<std::string>> runs;
  for (const std::string& binary : kBinaries) {
    const uint16_t port = free_tcp_port();
    const std::string cfg =
        defaults() + "frontend fe\n  bind 127.0.0.1:" + std::to_string(port) +
        "\n  option http-buffer-request\n"
        "  http-request set-var(txn.n) req.body,json_query('$.n',int)\n"
        "  http-request return status 200 content-type text/plain lf-string "
        "\"body=[%[req.body]] len=%[req.body_len] size=%[req.body_size] "
        "b=[%[req.body_param(b)]] first=[%[req.body_param]] n=%[var(txn.n)]\"\n";
    auto h = start(binary, cfg, port);
    ASSERT_TRUE(h->ready()) << binary << ": " << h->describe();
    std::vector<std::string> seen;
    const std::string cl = "POST / HTTP/1.1\r\nhost: x\r\ncontent-length: ";
    seen.push_back(post_in_pieces(port, cl + "11\r\n\r\n", {"a=1&b=2", "&c=3"}).body);
    seen.push_back(post_in_pieces(port, cl + "0\r\n\r\n", {}).body);
    seen.push_back(post_in_pieces(port, cl + "9\r\n\r\n", {"{\"n\":41}", " "}).body);
    seen.push_back(
        post_in_pieces(port, "POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n",
                       {"3\r\nb=x\r\n", "4\r\n;b=y\r\n0\r\n\r\n"})
            .body);
    seen.push_back(post_in_pieces(port, "GET / HTTP/1.1\r\nhost: x\r\n\r\n", {}).body);
    runs.push_back(seen);
  }
  EXPECT_EQ(runs[0], runs[1]);
  EXPECT_EQ(runs[0][0], "body=[a=1&b=2&c=3] len=11 size=11 b=[2] first=[1] n=");
  EXPECT_EQ(runs[0][2], "body=[{\"n\":41} ] len=9 size=9 b=[] first=[] n=41");
  EXPECT_EQ(runs[0][3], "body=[b=x;b=y] len=7 size=7 b=[x] first=[x] n=");
}

// A payload larger than the buffer reaches the server intact, while the rules
// saw only its first part (tune.bufsize bytes).
TEST(HttpBody, LargeBodyPassesIntactRulesSeeTheBuffer) {
  HttpBackend be;
  const uint16_t port = free_tcp_port();
  const std::string cfg = "global\n  tune.bufsize 16384\n" + defaults() +
                          "frontend fe\n  bind 127.0.0.1:" + std::to_string(port) +
                          "\n  option http-buffer-request\n"
                          "  http-request set-header x-seen %[req.body_len]/%[req.body_size]\n"
                          "  default_backend be\nbackend be\n  server s 127.0.0.1:" +
                          std::to_string(be.port()) + "\n";
  auto h = start("", cfg, port);
  ASSERT_TRUE(h->ready()) << h->describe();
  const std::string body = pseudo_random_bytes(7, 300000);
  HttpClient c(port);
  const HttpResponse r = c.request("POST", "/big", {}, body, std::chrono::milliseconds(10000));
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(be.request_count(), 1u);
  const HttpRequestRecord rec = be.requests()[0];
  EXPECT_EQ(rec.body_size, body.size());
  EXPECT_EQ(rec.body_sha256, sha256_hex(body));
  EXPECT_EQ(rec.header("x-seen"), "16384/300000");
}

// The wait ends with 408 when the payload does not come in time, as in
// HAProxy; `at-least` bytes end it early; the server sees nothing of a
// request that timed out.
TEST(HttpBody, WaitForBodyTimeoutAndAtLeast) {
  HttpBackend be;
  for (const std::string& binary : kBinaries) {
    const uint16_t port = free_tcp_port();
    const std::string cfg = defaults() + "frontend fe\n  bind 127.0.0.1:" + std::to_string(port) +
                            "\n  http-request wait-for-body time 300ms at-least 4\n"
                            "  http-request return status 200 content-type text/plain lf-string "
                            "\"%[req.body]\" if { path /ret }\n"
                            "  default_backend be\nbackend be\n  server s 127.0.0.1:" +
                            std::to_string(be.port()) + "\n";
    auto h = start(binary, cfg, port);
    ASSERT_TRUE(h->ready()) << binary << ": " << h->describe();
    const std::string head = "POST /ret HTTP/1.1\r\nhost: x\r\ncontent-length: 10\r\n\r\n";
    HttpResponse r = post_in_pieces(port, head, {"ab"});
    EXPECT_EQ(r.status, 408) << binary;
    EXPECT_TRUE(r.has_token("connection", "close")) << binary;
    r = post_in_pieces(port, head, {"ab", "cd"});
    EXPECT_EQ(r.status, 200) << binary;
    EXPECT_EQ(r.body, "abcd") << binary;
    // To the server: the same timeout, nothing forwarded.
    r = post_in_pieces(port, "POST /srv HTTP/1.1\r\nhost: x\r\ncontent-length: 10\r\n\r\n", {"x"});
    EXPECT_EQ(r.status, 408) << binary;
  }
  EXPECT_EQ(be.request_count(), 0u);
  EXPECT_EQ(be.connections(), 0u);
}

// option http-buffer-request: the wait is bounded by timeout http-request;
// a client expecting 100-continue is told to send its payload.
TEST(HttpBody, BufferRequestTimeoutAndExpectContinue) {
  HttpBackend be;
  for (const std::string& binary : kBinaries) {
    const uint16_t port = free_tcp_port();
    const std::string cfg = defaults() + "frontend fe\n  bind 127.0.0.1:" + std::to_string(port) +
                            "\n  timeout http-request 300ms\n  option http-buffer-request\n"
                            "  default_backend be\nbackend be\n  server s 127.0.0.1:" +
                            std::to_string(be.port()) + "\n";
    auto h = start(binary, cfg, port);
    ASSERT_TRUE(h->ready()) << binary << ": " << h->describe();
    HttpResponse r = post_in_pieces(
        port, "POST /slow HTTP/1.1\r\nhost: x\r\ncontent-length: 10\r\n\r\n", {"12345"});
    EXPECT_EQ(r.status, 408) << binary;
    HttpClient c(port);
    ASSERT_TRUE(c.send(
        "POST /expect HTTP/1.1\r\nhost: x\r\nexpect: 100-continue\r\ncontent-length: 5\r\n\r\n"));
    r = c.read_response();
    EXPECT_EQ(r.status, 100) << binary;
    ASSERT_TRUE(c.send("hello"));
    r = c.read_response();
    EXPECT_EQ(r.status, 200) << binary;
  }
  ASSERT_EQ(be.request_count(), 2u);
  for (const HttpRequestRecord& rec : be.requests()) {
    EXPECT_EQ(rec.target, "/expect");
    EXPECT_EQ(rec.body, "hello");
    EXPECT_EQ(rec.header("expect"), std::nullopt);  // answered by the proxy
  }
}

}  // namespace
}  // namespace hearth::test::http
