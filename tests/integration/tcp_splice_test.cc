// TCP mode with kernel splicing (option splice-request / splice-response /
// splice-auto, global nosplice and maxpipes): bulk transfers arrive intact,
// and the bytes moved by splice(2) (show info's SplicedBytes, bytes that never
// crossed user space) account for the transfer.
#include <gtest/gtest.h>

#include <future>
#include <sstream>

#include "integration/tcp_test_util.h"
#include "support/temp_dir.h"

namespace hearth::test::tcp {
namespace {

// A TcpProxy with a stats socket, and the SplicedBytes figure it reports.
struct SpliceProxy {
  SpliceProxy(const std::string& global, const std::string& backend)
      : sock(dir.file("stats.sock")),
        proxy(
            {.global = "    stats socket " + sock + " level admin\n" + global, .backend = backend},
            HearthOptions{.wait_output = "stats socket"}) {}
  uint64_t spliced() const {
    std::istringstream in(admin_command(sock, "show info"));
    for (std::string line; std::getline(in, line);)
      if (line.rfind("SplicedBytes: ", 0) == 0) return std::stoull(line.substr(14));
    ADD_FAILURE() << "no SplicedBytes in show info";
    return 0;
  }
  TempDir dir;
  std::string sock;
  TcpProxy proxy;
};

TEST(TcpSplice, UploadOf1GiBIsSplicedAndIntact) {
  constexpr uint64_t kSize = 1ull << 30;
  SinkHashServer sink;
  SpliceProxy p("", "    option splice-request\n" + server_line("sink", sink.port()));
  ASSERT_TRUE(p.proxy.hearth.ready()) << p.proxy.hearth.describe();
  UniqueFd fd(p.proxy.connect());
  ASSERT_TRUE(fd.valid());
  std::string sent = send_stream(fd.get(), 31, kSize, milliseconds{300000});
  ASSERT_FALSE(sent.empty()) << "upload stalled or failed";
  ASSERT_TRUE(shutdown_write(fd.get()));
  bool closed = false;
  EXPECT_EQ(recv_until_eof(fd.get(), milliseconds{60000}, &closed), sent);  // the sink's digest
  EXPECT_TRUE(closed);
  auto uploads = sink.uploads();
  ASSERT_EQ(uploads.size(), 1u);
  EXPECT_EQ(uploads[0].bytes, kSize);
  EXPECT_EQ(uploads[0].sha256, sent);
  // Every byte of the upload went socket -> pipe -> socket; the digest back
  // (splice-request only) went through the buffer.
  EXPECT_EQ(p.spliced(), kSize);
}

TEST(TcpSplice, AutoSplicesADownloadOnceItStreams) {
  constexpr uint64_t kSize = 256ull << 20;
  SourceServer source(kSize, 32);
  SpliceProxy p("", "    option splice-auto\n" + server_line("source", source.port()));
  ASSERT_TRUE(p.proxy.hearth.ready()) << p.proxy.hearth.describe();
  UniqueFd fd(p.proxy.connect());
  ASSERT_TRUE(fd.valid());
  Received got = recv_hash(fd.get());
  EXPECT_TRUE(got.closed);
  EXPECT_EQ(got.bytes, kSize);
  EXPECT_EQ(got.sha256, source.expected_sha256());
  // The first buffers go through user space until one read fills the buffer.
  const uint64_t spliced = p.spliced();
  EXPECT_GT(spliced, kSize - (4u << 20)) << spliced;
  EXPECT_LE(spliced, kSize);
}

TEST(TcpSplice, EchoBothWaysWithHalfCloseThroughPipes) {
  constexpr uint64_t kSize = 20ull << 20;
  EchoServer echo;
  SpliceProxy p("", "    option splice-request\n    option splice-response\n" +
                        server_line("echo", echo.port()));
  ASSERT_TRUE(p.proxy.hearth.ready()) << p.proxy.hearth.describe();
  UniqueFd fd(p.proxy.connect());
  ASSERT_TRUE(fd.valid());
  auto sent = std::async(std::launch::async, [&] {
    std::string digest = send_stream(fd.get(), 33, kSize);
    shutdown_write(fd.get());  // the FIN crosses after the piped bytes
    return digest;
  });
  Received got = recv_hash(fd.get());
  std::string sent_digest = sent.get();
  EXPECT_TRUE(got.closed);
  EXPECT_EQ(got.bytes, kSize);
  EXPECT_EQ(got.sha256, sent_digest);
  EXPECT_EQ(p.spliced(), 2 * kSize);
}

TEST(TcpSplice, NospliceAndNoPipesCopyThroughTheBuffer) {
  constexpr uint64_t kSize = 8ull << 20;
  for (const char* global : {"    nosplice\n", "    maxpipes 0\n"}) {
    SourceServer source(kSize, 34);
    SpliceProxy p(global, "    option splice-auto\n    option splice-response\n" +
                              server_line("source", source.port()));
    ASSERT_TRUE(p.proxy.hearth.ready()) << p.proxy.hearth.describe();
    UniqueFd fd(p.proxy.connect());
    ASSERT_TRUE(fd.valid());
    Received got = recv_hash(fd.get());
    EXPECT_EQ(got.sha256, source.expected_sha256()) << global;
    EXPECT_EQ(p.spliced(), 0u) << global;
  }
}

}  // namespace
}  // namespace hearth::test::tcp
