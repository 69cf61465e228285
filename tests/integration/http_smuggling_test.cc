// Every request-smuggling and malformed-request vector the HTTP parser knows,
// sent through the real hearth: the client gets the right status, the
// connection is closed, and the backend receives nothing.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>

#include "http_test_util.h"
#include "support/sha256.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

using namespace std::string_literals;

struct Vector {
  const char* name;
  std::string wire;  // everything the client sends, in one write
  int status;
};

std::string post(std::string_view fields, std::string_view body = "",
                 std::string_view line = "POST / HTTP/1.1") {
  return std::string(line) + "\r\nhost: a\r\n" + std::string(fields) + "\r\n" + std::string(body);
}

std::string get(std::string_view line, std::string_view fields = "host: a\r\n") {
  return std::string(line) + "\r\n" + std::string(fields) + "\r\n";
}

std::string many_fields(int n, size_t value_size) {
  std::string out;
  for (int i = 0; i < n; ++i)
    out += "x-f" + std::to_string(i) + ": " + std::string(value_size, 'v') + "\r\n";
  return out;
}

const Vector kVectors[] = {
    // Content-Length together with Transfer-Encoding.
    {"cl_te", post("content-length: 5\r\ntransfer-encoding: chunked\r\n", "0\r\n\r\n"), 400},
    {"te_cl", post("transfer-encoding: chunked\r\ncontent-length: 5\r\n", "0\r\n\r\n"), 400},
    // Content-Length forms.
    {"cl_duplicate_differing", post("content-length: 5\r\ncontent-length: 6\r\n", "hello!"), 400},
    {"cl_list", post("content-length: 5, 5\r\n", "hello"), 400},
    {"cl_list_differing", post("content-length: 5, 6\r\n", "hello!"), 400},
    {"cl_plus", post("content-length: +5\r\n", "hello"), 400},
    {"cl_minus", post("content-length: -5\r\n", "hello"), 400},
    {"cl_hex", post("content-length: 0x5\r\n", "hello"), 400},
    {"cl_overflow", post("content-length: 18446744073709551616\r\n", "x"), 400},
    // Transfer-Encoding forms.
    {"te_chunked_not_last", post("transfer-encoding: chunked, gzip\r\n", "0\r\n\r\n"), 400},
    {"te_gzip_only", post("transfer-encoding: gzip\r\n", "x"), 400},
    {"te_chunked_twice",
     post("transfer-encoding: chunked\r\ntransfer-encoding: chunked\r\n", "0\r\n\r\n"), 400},
    {"te_unknown", post("transfer-encoding: gzip2\r\n", "x"), 501},
    {"te_identity", post("transfer-encoding: identity\r\n", "x"), 501},
    {"te_http10", "POST / HTTP/1.0\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n", 400},
    {"te_vertical_tab",
     post("transfer-encoding: \x0b"
          "chunked\r\n",
          "0\r\n\r\n"),
     400},
    // Line structure.
    {"obs_fold", get("GET / HTTP/1.1", "host: a\r\nx-a: b\r\n c\r\n"), 400},
    {"obs_fold_te", post("x-a: b\r\n transfer-encoding: chunked\r\n", "0\r\n\r\n"), 400},
    {"bare_cr", get("GET / HTTP/1.1", "host: a\rx-b: c\r\n"), 400},
    {"bare_lf_field", "GET / HTTP/1.1\r\nhost: a\nx-b: c\r\n\r\n", 400},
    {"bare_lf_start_line", "GET / HTTP/1.1\nhost: a\r\n\r\n", 400},
    {"bare_lf_end", "GET / HTTP/1.1\r\nhost: a\r\n\n", 400},
    {"space_before_colon", post("transfer-encoding : chunked\r\n", "0\r\n\r\n"), 400},
    {"tab_before_colon", post("content-length\t: 0\r\n"), 400},
    // Control characters.
    {"nul_in_value", get("GET / HTTP/1.1", "host: a\r\nx-a: a\0b\r\n"s), 400},
    {"ctl_in_value",
     get("GET / HTTP/1.1",
         "host: a\r\nx-a: a\x01"
         "b\r\n"),
     400},
    {"del_in_value", get("GET / HTTP/1.1", "host: a\r\nx-a: a\x7f\r\n"), 400},
    {"nul_in_target", get("GET /a\0b HTTP/1.1"s), 400},
    {"nul_in_name", get("GET / HTTP/1.1", "host: a\r\nx\0a: b\r\n"s), 400},
    // Host.
    {"duplicate_host", "GET / HTTP/1.1\r\nhost: a\r\nhost: b\r\n\r\n", 400},
    {"duplicate_same_host", "GET / HTTP/1.1\r\nhost: a\r\nhost: a\r\n\r\n", 400},
    // Versions.
    {"http2_version", get("GET / HTTP/2.0"), 505},
    {"http12_version", get("GET / HTTP/1.2"), 505},
    {"http09_version", get("GET / HTTP/0.9"), 505},
    {"malformed_version", get("GET / HTTP/1.10"), 400},
    {"lowercase_version", get("GET / http/1.1"), 400},
    // Limits.
    {"too_many_fields", get("GET / HTTP/1.1", "host: a\r\n" + many_fields(150, 2)), 431},
    {"oversize_head", get("GET / HTTP/1.1", "host: a\r\n" + many_fields(20, 1000)), 431},
    {"long_request_line", get("GET /" + std::string(10000, 'a') + " HTTP/1.1"), 414},
    {"request_line_beyond_buffer", get("GET /" + std::string(20000, 'a') + " HTTP/1.1"), 414},
    // Chunked bodies (arriving with the head).
    {"chunk_size_not_hex", post("transfer-encoding: chunked\r\n", "zz\r\nhello\r\n0\r\n\r\n"), 400},
    {"chunk_size_negative", post("transfer-encoding: chunked\r\n", "-1\r\nx\r\n0\r\n\r\n"), 400},
    {"chunk_size_0x", post("transfer-encoding: chunked\r\n", "0x5\r\nhello\r\n0\r\n\r\n"), 400},
    {"chunk_size_overflow",
     post("transfer-encoding: chunked\r\n", "10000000000000001\r\nx\r\n0\r\n\r\n"), 400},
    {"chunk_size_empty", post("transfer-encoding: chunked\r\n", "\r\nhello\r\n0\r\n\r\n"), 400},
    {"chunk_data_too_long", post("transfer-encoding: chunked\r\n", "3\r\nhello\r\n0\r\n\r\n"), 400},
    {"chunk_bare_lf", post("transfer-encoding: chunked\r\n", "5\nhello\r\n0\r\n\r\n"), 400},
};

void PrintTo(const Vector& v, std::ostream* os) { *os << v.name; }

class HttpSmugglingTest : public ::testing::TestWithParam<Vector> {
 protected:
  static void SetUpTestSuite() {
    backend_ = new HttpBackend();
    proxy_ = new HttpProxy({.be_port = backend_->port()});
  }
  static void TearDownTestSuite() {
    if (proxy_->ready()) {
      EXPECT_EQ(proxy_->stop_and_check(), "");
    }
    delete proxy_;
    delete backend_;
    proxy_ = nullptr;
    backend_ = nullptr;
  }
  static HttpBackend* backend_;
  static HttpProxy* proxy_;
};

HttpBackend* HttpSmugglingTest::backend_ = nullptr;
HttpProxy* HttpSmugglingTest::proxy_ = nullptr;

TEST_P(HttpSmugglingTest, RejectedClosedAndNeverForwarded) {
  ASSERT_TRUE(proxy_->ready()) << proxy_->describe();
  const uint64_t before = backend_->connections();
  HttpClient c(proxy_->port());
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.send(GetParam().wire));
  HttpResponse r = c.read_response(milliseconds{3000});
  EXPECT_EQ(r.status, GetParam().status);
  EXPECT_TRUE(r.has_token("connection", "close"));
  std::string extra;
  EXPECT_TRUE(c.closed_by_peer(milliseconds{2000}, &extra)) << "then: " << extra;
  EXPECT_EQ(backend_->connections(), before) << "the backend was contacted";
}

INSTANTIATE_TEST_SUITE_P(Http, HttpSmugglingTest, ::testing::ValuesIn(kVectors),
                         [](const ::testing::TestParamInfo<Vector>& info) {
                           return std::string(info.param.name);
                         });

// The same hearth forwards a clean request, so the rejections above are not
// a broken proxy or backend.
TEST_F(HttpSmugglingTest, ControlRequestsAreForwarded) {
  ASSERT_TRUE(proxy_->ready()) << proxy_->describe();
  HttpClient c(proxy_->port());
  EXPECT_EQ(c.request("POST", "/hash", {}, "hello").body, "5 " + sha256_hex("hello"));
  EXPECT_EQ(
      c.request("POST", "/echo", {"transfer-encoding: chunked"}, "5\r\nhello\r\n0\r\n\r\n").body,
      "hello");
  EXPECT_EQ(c.request("GET", "/" + std::string(8000, 'a')).status, 200);
  EXPECT_GE(backend_->request_count(), 3u);
}

// An HTTP/1.1 request without Host is not refused: HAProxy 2.6 forwards it
// as it is (RFC 9112 would have a 400), and Hearth does the same, so configs
// and HAProxy's reg-tests (whose client sends no Host) behave alike.
TEST_F(HttpSmugglingTest, RequestWithoutHostIsForwardedAsHAProxyDoes) {
  ASSERT_TRUE(proxy_->ready()) << proxy_->describe();
  const size_t before = backend_->requests().size();
  HttpClient c(proxy_->port());
  ASSERT_TRUE(c.send("GET /no-host HTTP/1.1\r\naccept: */*\r\n\r\n"));
  EXPECT_EQ(c.read_response(milliseconds{3000}).status, 200);
  const std::vector<HttpRequestRecord> got = backend_->requests();
  ASSERT_EQ(got.size(), before + 1);
  EXPECT_EQ(got.back().target, "/no-host");
  EXPECT_EQ(got.back().header("host"), std::nullopt);
}

// A malformed chunk that arrives after the head was already forwarded: the
// client still gets a 400 and a close, and the bad bytes never reach the
// server (whose request is cut short).
TEST(HttpSmugglingLate, BadChunkAfterTheHeadWasForwarded) {
  HttpBackend backend;
  HttpProxy proxy({.be_port = backend.port()});
  ASSERT_TRUE(proxy.ready()) << proxy.describe();
  HttpClient c(proxy.port());
  ASSERT_TRUE(
      c.send("POST /hash HTTP/1.1\r\nhost: a\r\ntransfer-encoding: chunked\r\n\r\n"
             "5\r\nhello\r\n"));
  ASSERT_TRUE(wait_until([&] { return backend.active() == 1; }, milliseconds{2000}));
  std::this_thread::sleep_for(milliseconds{50});
  ASSERT_TRUE(c.send("zz\r\nsmuggled\r\n0\r\n\r\n"));
  HttpResponse r = c.read_response(milliseconds{3000});
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(c.closed_by_peer(milliseconds{2000}));
  EXPECT_TRUE(wait_until([&] { return backend.partial_requests() == 1; }, milliseconds{2000}));
  EXPECT_EQ(backend.request_count(), 0u);
  EXPECT_EQ(proxy.stop_and_check(), "");
}

}  // namespace
}  // namespace hearth::test::http
