// Large bodies stream through hearth in both directions with bounded memory.
//
// Size: HEARTH_TEST_BIG_BYTES if set (bytes; k/m/g suffixes accepted), else
// 1 GiB, or 256 MiB in a sanitized build (an ASan hearth is several times
// slower; the memory bound is what matters, and a leak per buffer-full would
// show long before 256 MiB). A debug build moves 1 GiB in about a second.
// Hearth's resident memory (VmRSS) is sampled all along and must stay under
// 64 MiB (in a sanitized build: 64 MiB above what it used once started).
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <thread>

#include "http_test_util.h"
#include "support/sha256.h"

namespace hearth::test::http {
namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif
#else
constexpr bool kSanitized = false;
#endif

uint64_t big_bytes() {
  if (const char* env = std::getenv("HEARTH_TEST_BIG_BYTES")) {
    char* end = nullptr;
    uint64_t n = std::strtoull(env, &end, 10);
    switch (end && *end ? *end : ' ') {
      case 'g':
      case 'G':
        n <<= 30;
        break;
      case 'm':
      case 'M':
        n <<= 20;
        break;
      case 'k':
      case 'K':
        n <<= 10;
        break;
      default:
        break;
    }
    if (n > 0) return n;
  }
  return kSanitized ? uint64_t(256) << 20 : uint64_t(1) << 30;
}

constexpr long kRssBoundKib = 64 * 1024;

// Samples a process's VmRSS every 10 ms until stopped; keeps the maximum.
class RssSampler {
 public:
  explicit RssSampler(pid_t pid) : pid_(pid), thread_([this] { run(); }) {}
  ~RssSampler() { stop(); }
  void stop() {
    done_.store(true);
    if (thread_.joinable()) thread_.join();
  }
  long max_kib() const { return max_.load(); }

 private:
  void run() {
    while (!done_.load()) {
      long v = rss_kib(pid_);
      if (v > max_.load()) max_.store(v);
      std::this_thread::sleep_for(milliseconds{10});
    }
  }
  pid_t pid_;
  std::atomic<bool> done_{false};
  std::atomic<long> max_{0};
  std::thread thread_;
};

class HttpLargeBodyTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (proxy_ && proxy_->ready()) {
      EXPECT_EQ(proxy_->stop_and_check(), "");
    }
  }
  void SetUp() override {
    proxy_ = std::make_unique<HttpProxy>(HearthHttpConfig{
        .be_port = backend_.port(),
        .timeouts = "  timeout connect 1s\n  timeout client 30s\n  timeout server 30s\n"});
    ASSERT_TRUE(proxy_->ready()) << proxy_->describe();
    // Warm up: one small exchange, so the baseline includes a live stream.
    HttpClient c(proxy_->port());
    ASSERT_EQ(c.request("GET", "/").status, 200);
    baseline_kib_ = rss_kib(proxy_->pid());
    ASSERT_GT(baseline_kib_, 0);
  }
  long bound_kib() const { return kSanitized ? baseline_kib_ + kRssBoundKib : kRssBoundKib; }

  HttpBackend backend_;
  std::unique_ptr<HttpProxy> proxy_;
  long baseline_kib_ = 0;
};

TEST_F(HttpLargeBodyTest, DownloadStreamsThrough) {
  const uint64_t n = big_bytes();
  RssSampler rss(proxy_->pid());
  HttpClient c(proxy_->port());
  PatternChecker check;
  ASSERT_TRUE(c.send("GET /size/" + std::to_string(n) + " HTTP/1.1\r\nhost: a\r\n\r\n"));
  HttpResponse r = c.read_response(milliseconds{600000}, false,
                                   [&](const char* p, size_t k) { check.feed(p, k); });
  rss.stop();
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(check.size(), n);
  EXPECT_TRUE(check.ok()) << "first bad byte at " << check.first_bad();
  EXPECT_LT(rss.max_kib(), bound_kib()) << "baseline " << baseline_kib_ << " KiB";
  RecordProperty("bytes", std::to_string(n));
  RecordProperty("max_rss_kib", std::to_string(rss.max_kib()));
  // The connection is still good for another request.
  EXPECT_EQ(c.request("GET", "/after").status, 200);
}

TEST_F(HttpLargeBodyTest, UploadStreamsThrough) {
  const uint64_t n = big_bytes();
  RssSampler rss(proxy_->pid());
  HttpClient c(proxy_->port());
  ASSERT_TRUE(c.send("POST /hash HTTP/1.1\r\nhost: a\r\ncontent-length: " + std::to_string(n) +
                     "\r\n\r\n"));
  Sha256 sent;
  std::string chunk(1 << 20, '\0');
  for (uint64_t off = 0; off < n;) {
    size_t k = static_cast<size_t>(std::min<uint64_t>(n - off, chunk.size()));
    pattern_fill(off, chunk.data(), k);
    ASSERT_TRUE(c.send(std::string_view(chunk.data(), k), milliseconds{60000})) << "at " << off;
    sent.update(std::string_view(chunk.data(), k));
    off += k;
  }
  HttpResponse r = c.read_response(milliseconds{60000});
  rss.stop();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, std::to_string(n) + " " + sent.hex_digest());
  EXPECT_LT(rss.max_kib(), bound_kib()) << "baseline " << baseline_kib_ << " KiB";
  RecordProperty("bytes", std::to_string(n));
  RecordProperty("max_rss_kib", std::to_string(rss.max_kib()));
}

// Chunked both ways, at a sixteenth of the size: the chunk framing is
// checked at every boundary on the way.
TEST_F(HttpLargeBodyTest, ChunkedBothWays) {
  const uint64_t n = big_bytes() / 16;
  RssSampler rss(proxy_->pid());
  HttpClient c(proxy_->port());
  PatternChecker check;
  ASSERT_TRUE(c.send("GET /chunked/" + std::to_string(n) + " HTTP/1.1\r\nhost: a\r\n\r\n"));
  HttpResponse r = c.read_response(milliseconds{600000}, false,
                                   [&](const char* p, size_t k) { check.feed(p, k); });
  EXPECT_TRUE(r.chunked);
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(check.size(), n);
  EXPECT_TRUE(check.ok());

  ASSERT_TRUE(c.send("POST /hash HTTP/1.1\r\nhost: a\r\ntransfer-encoding: chunked\r\n\r\n"));
  Sha256 sent;
  std::string chunk(300000, '\0');
  char line[32];
  for (uint64_t off = 0; off < n;) {
    size_t k = static_cast<size_t>(std::min<uint64_t>(n - off, chunk.size() - off % 977));
    pattern_fill(off, chunk.data(), k);
    snprintf(line, sizeof line, "%zx\r\n", k);
    ASSERT_TRUE(
        c.send(std::string(line) + std::string(chunk.data(), k) + "\r\n", milliseconds{60000}));
    sent.update(std::string_view(chunk.data(), k));
    off += k;
  }
  ASSERT_TRUE(c.send("0\r\n\r\n"));
  HttpResponse up = c.read_response(milliseconds{60000});
  rss.stop();
  EXPECT_EQ(up.status, 200);
  EXPECT_EQ(up.body, std::to_string(n) + " " + sent.hex_digest());
  EXPECT_LT(rss.max_kib(), bound_kib()) << "baseline " << baseline_kib_ << " KiB";
}

}  // namespace
}  // namespace hearth::test::http
