// TCP mode: bulk transfers in each direction and both at once, and half-closes
// crossing the proxy in each direction.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <cstdlib>
#include <future>
#include <mutex>
#include <thread>

#include "integration/tcp_test_util.h"
#include "support/scripted_server.h"
#include "support/temp_dir.h"

namespace hearth::test::tcp {
namespace {

constexpr uint64_t kBulk = 200ull << 20;  // 200 MiB

TEST(TcpTransfer, UploadOf200MiBArrivesIntact) {
  SinkHashServer sink;
  TcpProxy proxy({.backend = server_line("sink", sink.port())});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();

  UniqueFd fd(proxy.connect());
  ASSERT_TRUE(fd.valid());
  std::string sent = send_stream(fd.get(), 21, kBulk);
  ASSERT_FALSE(sent.empty()) << "upload stalled or failed";
  ASSERT_TRUE(shutdown_write(fd.get()));
  bool closed = false;
  std::string digest = recv_until_eof(fd.get(), milliseconds{30000}, &closed);
  EXPECT_TRUE(closed);
  EXPECT_EQ(digest, sent);
  auto uploads = sink.uploads();
  ASSERT_EQ(uploads.size(), 1u);
  EXPECT_EQ(uploads[0].bytes, kBulk);
  EXPECT_EQ(uploads[0].sha256, sent);
}

TEST(TcpTransfer, DownloadOf200MiBArrivesIntact) {
  SourceServer source(kBulk, 22);
  TcpProxy proxy({.backend = server_line("source", source.port())});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();

  UniqueFd fd(proxy.connect());
  ASSERT_TRUE(fd.valid());
  Received got = recv_hash(fd.get());
  EXPECT_TRUE(got.closed) << "no EOF after the payload";
  EXPECT_EQ(got.bytes, kBulk);
  EXPECT_EQ(got.sha256, source.expected_sha256());
  EXPECT_EQ(source.completed(), 1u);
}

TEST(TcpTransfer, SimultaneousEchoOf20MiBBothWays) {
  constexpr uint64_t kSize = 20ull << 20;
  EchoServer echo;
  TcpProxy proxy({.backend = server_line("echo", echo.port())});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();

  UniqueFd fd(proxy.connect());
  ASSERT_TRUE(fd.valid());
  // Both directions are in flight at once: the writer does not wait for the
  // echo, and the echo is read while the upload is still going on.
  auto sent = std::async(std::launch::async, [&] {
    std::string digest = send_stream(fd.get(), 23, kSize);
    shutdown_write(fd.get());
    return digest;
  });
  Received got = recv_hash(fd.get());
  std::string sent_digest = sent.get();
  ASSERT_FALSE(sent_digest.empty());
  EXPECT_TRUE(got.closed);
  EXPECT_EQ(got.bytes, kSize);
  EXPECT_EQ(got.sha256, sent_digest);
  EXPECT_EQ(echo.bytes_received(), kSize);
}

// The client shuts its write side first; the server only starts answering
// once it sees that EOF, so the answer can only arrive if the FIN crossed the
// proxy and the return path stayed open.
TEST(TcpHalfClose, ClientShutsWriteAndStillReceivesTheAnswer) {
  const std::string answer = pseudo_random_bytes(24, 3 << 20);
  std::mutex mu;
  std::string request;
  bool saw_eof = false;
  ScriptedServer server([&](int fd) {
    bool closed = false;
    std::string got = recv_until_eof(fd, milliseconds{3000}, &closed);
    {
      std::lock_guard<std::mutex> lock(mu);
      request = got;
      saw_eof = closed;
    }
    send_all(fd, answer);
  });
  TcpProxy proxy({.backend = server_line("s", server.port())});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();

  UniqueFd fd(proxy.connect());
  ASSERT_TRUE(fd.valid());
  ASSERT_TRUE(send_all(fd.get(), "question"));
  ASSERT_TRUE(shutdown_write(fd.get()));
  bool closed = false;
  std::string got = recv_until_eof(fd.get(), milliseconds{10000}, &closed);
  EXPECT_TRUE(closed);
  EXPECT_EQ(got.size(), answer.size());
  EXPECT_TRUE(got == answer) << "answer corrupted";
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_TRUE(saw_eof) << "the client's FIN never reached the server";
  EXPECT_EQ(request, "question");
}

// The server sends its data then FIN while still reading: the client sees the
// data then EOF, and what it sends afterwards still reaches the server.
TEST(TcpHalfClose, ServerShutsFirstAndClientCanStillSend) {
  std::promise<std::string> after_fin;
  auto after_fin_result = after_fin.get_future();
  ScriptedServer server([&](int fd) {
    send_all(fd, "greeting");
    shutdown(fd, SHUT_WR);
    bool closed = false;
    std::string got = recv_until_eof(fd, milliseconds{3000}, &closed);
    after_fin.set_value(closed ? got : got + " (no EOF)");
  });
  TcpProxy proxy({.backend = server_line("s", server.port())});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();

  UniqueFd fd(proxy.connect());
  ASSERT_TRUE(fd.valid());
  bool closed = false;
  EXPECT_EQ(recv_until_eof(fd.get(), milliseconds{5000}, &closed), "greeting");
  EXPECT_TRUE(closed) << "the server's FIN did not reach the client";
  ASSERT_TRUE(send_all(fd.get(), "late words"));
  ASSERT_TRUE(shutdown_write(fd.get()));
  ASSERT_EQ(after_fin_result.wait_for(milliseconds{5000}), std::future_status::ready);
  EXPECT_EQ(after_fin_result.get(), "late words");
}

// Returns: hearth's resident memory in KiB (VmRSS), or -1.
long rss_kib(pid_t pid) {
  std::string status = read_file("/proc/" + std::to_string(pid) + "/status");
  size_t at = status.find("VmRSS:");
  return at == std::string::npos ? -1 : std::strtol(status.c_str() + at + 6, nullptr, 10);
}

// A client that stops reading must slow the server down, not make hearth
// buffer the whole payload.
TEST(TcpTransfer, StalledReaderIsBackPressuredNotBuffered) {
  constexpr uint64_t kSize = 96ull << 20;
  SourceServer source(kSize, 25);
  TcpProxy proxy({.backend = server_line("source", source.port())});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();
  const pid_t pid = proxy.hearth.process().pid();
  const long before = rss_kib(pid);

  UniqueFd fd(proxy.connect());
  ASSERT_TRUE(fd.valid());
  // Not reading. The kernel's socket buffers on both sides autotune (up to
  // tcp_rmem/tcp_wmem max, 32 MiB here), so the bytes in flight are bounded by
  // the machine, not by Hearth. What Hearth controls: the server must stall,
  // i.e. its byte count must stop growing, far below the payload size.
  uint64_t sent = source.bytes_sent();
  bool stalled = false;
  for (int i = 0; i < 40 && !stalled; ++i) {
    std::this_thread::sleep_for(milliseconds{250});
    const uint64_t now = source.bytes_sent();
    stalled = now == sent && now > 0;
    sent = now;
  }
  const long during = rss_kib(pid);
  EXPECT_TRUE(stalled) << "the server never stopped sending (" << sent << " bytes)";
  EXPECT_LT(sent, kSize / 2) << "the server was not slowed down";
  EXPECT_LT(during - before, 16 * 1024)
      << "hearth grew from " << before << " to " << during << " KiB while the client did not read";

  Received got = recv_hash(fd.get());
  EXPECT_TRUE(got.closed);
  EXPECT_EQ(got.bytes, kSize);
  EXPECT_EQ(got.sha256, source.expected_sha256());
}

TEST(TcpReset, ClientResetClosesTheServerConnection) {
  EchoServer echo;
  TcpProxy proxy({.global = "    log stdout format raw daemon\n",
                  .defaults = "    log global\n    option tcplog\n    timeout connect 2s\n"
                              "    timeout client 10s\n    timeout server 10s\n",
                  .backend = server_line("echo", echo.port())});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();
  int fd = proxy.connect();
  ASSERT_GE(fd, 0);
  ASSERT_TRUE(send_all(fd, "x\n"));
  ASSERT_EQ(recv_line(fd, milliseconds{3000}), "x");
  close_with_reset(fd);
  EXPECT_TRUE(echo.wait_active(0, milliseconds{3000})) << "server connection left open";
  EXPECT_NE(wait_log_line(proxy.hearth, {" fe be/echo ", " CD "}), "") << proxy.hearth.output();
}

TEST(TcpReset, ServerResetClosesTheClientConnection) {
  ScriptedServer server(scripted::reset_after_request());
  TcpProxy proxy({.global = "    log stdout format raw daemon\n",
                  .defaults = "    log global\n    option tcplog\n    timeout connect 2s\n"
                              "    timeout client 10s\n    timeout server 10s\n",
                  .backend = server_line("s", server.port())});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();
  UniqueFd fd(proxy.connect());
  ASSERT_TRUE(fd.valid());
  ASSERT_TRUE(send_all(fd.get(), "request"));
  EXPECT_TRUE(peer_closed(fd.get(), milliseconds{3000}));
  EXPECT_NE(wait_log_line(proxy.hearth, {" fe be/s ", " SD "}), "") << proxy.hearth.output();
  // Hearth goes on serving.
  UniqueFd next(proxy.connect());
  EXPECT_TRUE(next.valid());
}

}  // namespace
}  // namespace hearth::test::tcp
