// TLS records as they come off the wire in bunches, through the real binary.
// The TLS transport reads ahead (one recv(2) takes whatever the socket holds),
// so records can be left inside OpenSSL while the socket is already drained;
// they must still be served, without waiting for more bytes from the client:
// a request sent in the same segment as the client's Finished, and more
// pipelined records than one tune.bufsize buffer holds. (mux_h1 tops its input
// buffer up before each head, so these also pass without the transport's
// rx_inside wake-up: they pin what a client sees, for any mux.)
#include <fcntl.h>
#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "http_test_util.h"
#include "support/client.h"
#include "support/ports.h"
#include "support/test_certs.h"

namespace hearth::test::http {
namespace {

// A TLS 1.3 client whose output is corked: what it writes (handshake messages
// and records) is held until flush() sends it all in one send(2). Its socket
// is non-blocking; every wait for input is bounded by 10 s.
class CorkedClient {
 public:
  explicit CorkedClient(uint16_t port) : fd_(connect_tcp(port)) {
    fcntl(fd_, F_SETFL, fcntl(fd_, F_GETFL) | O_NONBLOCK);
    ctx_ = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_NONE, nullptr);
    SSL_CTX_set_min_proto_version(ctx_, TLS1_3_VERSION);
    ssl_ = SSL_new(ctx_);
    out_ = BIO_new(BIO_s_mem());
    SSL_set_bio(ssl_, BIO_new_socket(fd_, BIO_NOCLOSE), out_);
    SSL_set_connect_state(ssl_);
  }
  ~CorkedClient() {
    SSL_free(ssl_);
    SSL_CTX_free(ctx_);
    if (fd_ >= 0) close(fd_);
  }

  // Runs the handshake; each flight goes out except the last (the client's
  // Finished), which stays corked. Returns: true once the handshake is done.
  bool handshake() {
    for (int i = 0; i < 16; ++i) {
      const int r = SSL_do_handshake(ssl_);
      if (r == 1) return true;
      if (SSL_get_error(ssl_, r) != SSL_ERROR_WANT_READ || !flush() || !wait_input()) return false;
    }
    return false;
  }
  // Returns: true once `data` is encrypted as one record, corked.
  bool write(std::string_view data) {
    size_t n = 0;
    return SSL_write_ex(ssl_, data.data(), data.size(), &n) == 1 && n == data.size();
  }
  // Returns: true once everything corked went out in one send(2).
  bool flush() {
    char* p = nullptr;
    const long n = BIO_get_mem_data(out_, &p);
    const bool ok = n <= 0 || send_all(fd_, std::string_view(p, size_t(n)));
    (void)BIO_reset(out_);
    return ok;
  }
  // Reads until `count` responses have begun (or 10 s without a byte).
  // Returns: how many began.
  int read_responses(int count) {
    std::string got;
    int seen = 0;
    char buf[4096];
    while (seen < count) {
      size_t n = 0;
      const int r = SSL_read_ex(ssl_, buf, sizeof buf, &n);
      if (r != 1) {
        if (SSL_get_error(ssl_, r) == SSL_ERROR_WANT_READ && wait_input()) continue;
        break;
      }
      got.append(buf, n);
      seen = 0;
      for (size_t at = 0; (at = got.find("HTTP/1.1 200", at)) != std::string::npos; ++at) ++seen;
    }
    return seen;
  }

 private:
  // Returns: true once the socket is readable (false after 10 s).
  bool wait_input() {
    pollfd p{fd_, POLLIN, 0};
    return poll(&p, 1, 10000) == 1;
  }
  int fd_ = -1;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  BIO* out_ = nullptr;
};

class TlsRecords : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    certs_ = new TestCerts();
    crt_ = certs_->server("site.pem", "www.example.com", {"www.example.com"});
    ASSERT_EQ(certs_->last_error(), "");
  }
  static void TearDownTestSuite() { delete certs_; }
  // Returns: a configuration answering 200 itself on an ssl bind at `port`.
  static std::string config(uint16_t port, const std::string& global = "") {
    return "global\n" + global +
           "defaults\n  mode http\n  timeout client 10s\n  timeout http-keep-alive 10s\n"
           "frontend fe\n  bind 127.0.0.1:" +
           std::to_string(port) + " ssl crt " + crt_ + "\n  http-request return status 200\n";
  }
  static TestCerts* certs_;
  static std::string crt_;
};
TestCerts* TlsRecords::certs_ = nullptr;
std::string TlsRecords::crt_;

TEST_F(TlsRecords, RequestInTheSegmentOfTheClientFinished) {
  const uint16_t port = free_tcp_port();
  HearthProcess h(config(port), HearthOptions{.wait_ports = {port}});
  ASSERT_TRUE(h.ready()) << h.describe();
  CorkedClient c(port);
  ASSERT_TRUE(c.handshake());
  ASSERT_TRUE(c.write("GET / HTTP/1.1\r\nhost: a\r\n\r\n"));
  ASSERT_TRUE(c.flush());  // Finished and the request: one segment
  EXPECT_EQ(c.read_responses(1), 1);
}

TEST_F(TlsRecords, PipelinedRecordsBeyondOneBuffer) {
  const uint16_t port = free_tcp_port();
  HearthProcess h(config(port, "  tune.bufsize 1024\n"), HearthOptions{.wait_ports = {port}});
  ASSERT_TRUE(h.ready()) << h.describe();
  CorkedClient c(port);
  ASSERT_TRUE(c.handshake());
  ASSERT_TRUE(c.flush());
  // 100 requests of 64 bytes, one record each: one segment, one read, into a
  // 1024-byte buffer that takes 16 of them at a time.
  const int kRequests = 100;
  char req[80];
  for (int i = 0; i < kRequests; ++i) {
    snprintf(req, sizeof req, "GET /%03d HTTP/1.1\r\nhost: a\r\nx-pad: %025d\r\n\r\n", i, i);
    ASSERT_EQ(strlen(req), 64u);
    ASSERT_TRUE(c.write(req));
  }
  ASSERT_TRUE(c.flush());
  EXPECT_EQ(c.read_responses(kRequests), kRequests);
}

}  // namespace
}  // namespace hearth::test::http
