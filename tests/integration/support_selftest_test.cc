// Self-tests of tests/support: the helpers exercised against each other,
// without hearth, so a failing integration test can trust its harness.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <string>
#include <thread>
#include <vector>

#include "support/client.h"
#include "support/fake_backend.h"
#include "support/hearth_process.h"
#include "support/ports.h"
#include "support/process.h"
#include "support/pseudo_random.h"

namespace hearth::test {
namespace {

using std::chrono::milliseconds;

// Returns: true if the next read on fd (within 2 s) fails with ECONNRESET.
bool recv_error_is_reset(int fd) {
  pollfd p{fd, POLLIN, 0};
  if (poll(&p, 1, 2000) != 1) return false;
  char byte;
  return recv(fd, &byte, 1, MSG_DONTWAIT) == -1 && errno == ECONNRESET;
}

TEST(SupportSha256, KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  Sha256 h;
  h.update("a");
  h.update("bc");
  EXPECT_EQ(h.size(), 3u);
  EXPECT_EQ(h.hex_digest(), sha256_hex("abc"));
}

TEST(SupportPseudoRandom, ChunkingDoesNotChangeTheStream) {
  std::string whole = pseudo_random_bytes(7, 1000);
  PseudoRandomStream s(7);
  std::string parts = s.next(3);  // one statement each: + does not sequence its operands
  parts += s.next(500);
  parts += s.next(497);
  EXPECT_EQ(whole, parts);
  EXPECT_NE(whole, pseudo_random_bytes(8, 1000));
}

TEST(SupportPorts, ListenIsSeenWithoutConnecting) {
  uint16_t port = free_tcp_port();
  ASSERT_NE(port, 0);
  EXPECT_FALSE(port_listening(port));
  EXPECT_EQ(connect_tcp(port, milliseconds{500}), -1);
  uint16_t bound = 0;
  UniqueFd listener(listen_loopback(port, &bound));
  ASSERT_TRUE(listener.valid());
  EXPECT_EQ(bound, port);
  EXPECT_TRUE(wait_for_listen(port, milliseconds{1000}));
  EXPECT_TRUE(wait_for_port(port, milliseconds{1000}));
}

TEST(SupportEcho, RoundTripAndHalfClose) {
  EchoServer echo;
  UniqueFd fd(connect_tcp(echo.port()));
  ASSERT_TRUE(fd.valid());
  ASSERT_TRUE(send_all(fd.get(), "hello\n"));
  EXPECT_EQ(recv_line(fd.get()), "hello");
  ASSERT_TRUE(send_all(fd.get(), "tail"));
  ASSERT_EQ(shutdown(fd.get(), SHUT_WR), 0);
  // The echo server answers our FIN with its own after echoing everything.
  bool closed = false;
  EXPECT_EQ(recv_until_eof(fd.get(), milliseconds{5000}, &closed), "tail");
  EXPECT_TRUE(closed);
  EXPECT_EQ(echo.accepted(), 1u);
  EXPECT_TRUE(echo.wait_active(0, milliseconds{5000}));
  EXPECT_EQ(echo.bytes_received(), 10u);
  EXPECT_EQ(echo.bytes_sent(), 10u);
}

TEST(SupportEcho, LargePayloadWithBackPressure) {
  EchoServer echo;
  UniqueFd fd(connect_tcp(echo.port()));
  ASSERT_TRUE(fd.valid());
  const std::string data = pseudo_random_bytes(3, 8 << 20);
  std::thread writer([&] {
    EXPECT_TRUE(send_all(fd.get(), data, milliseconds{30000}));
    shutdown(fd.get(), SHUT_WR);
  });
  bool closed = false;
  std::string back = recv_until_eof(fd.get(), milliseconds{30000}, &closed);
  writer.join();
  EXPECT_TRUE(closed);
  EXPECT_EQ(back.size(), data.size());
  EXPECT_EQ(sha256_hex(back), sha256_hex(data));
}

TEST(SupportEcho, TwoHundredConcurrentConnections) {
  EchoServer echo;
  constexpr int kConns = 200;
  std::vector<UniqueFd> fds;
  for (int i = 0; i < kConns; ++i) {
    fds.emplace_back(connect_tcp(echo.port()));
    ASSERT_TRUE(fds.back().valid()) << "connection " << i;
  }
  EXPECT_TRUE(echo.wait_active(kConns, milliseconds{5000})) << echo.active();
  for (int i = 0; i < kConns; ++i) {
    ASSERT_TRUE(send_all(fds[i].get(), "c" + std::to_string(i) + "\n"));
  }
  for (int i = 0; i < kConns; ++i) {
    EXPECT_EQ(recv_line(fds[i].get()), "c" + std::to_string(i));
  }
  EXPECT_EQ(echo.accepted(), static_cast<uint64_t>(kConns));
  fds.clear();
  EXPECT_TRUE(echo.wait_active(0, milliseconds{5000})) << echo.active();
}

TEST(SupportSink, HashOfTenMegabytesMatchesLocalHash) {
  SinkHashServer sink;
  const std::string data = pseudo_random_bytes(11, 10 << 20);
  UniqueFd fd(connect_tcp(sink.port()));
  ASSERT_TRUE(fd.valid());
  ASSERT_TRUE(send_all(fd.get(), data, milliseconds{30000}));
  ASSERT_EQ(shutdown(fd.get(), SHUT_WR), 0);
  bool closed = false;
  std::string digest = recv_until_eof(fd.get(), milliseconds{30000}, &closed);
  EXPECT_TRUE(closed);
  EXPECT_EQ(digest, sha256_hex(data));
  auto uploads = sink.uploads();
  ASSERT_EQ(uploads.size(), 1u);
  EXPECT_EQ(uploads[0].bytes, data.size());
  EXPECT_EQ(uploads[0].sha256, digest);
}

TEST(SupportSource, DigestMatchesWhatArrives) {
  constexpr uint64_t kSize = 10 << 20;
  SourceServer source(kSize, 42);
  EXPECT_EQ(source.expected_sha256(), sha256_hex(pseudo_random_bytes(42, kSize)));
  UniqueFd fd(connect_tcp(source.port()));
  ASSERT_TRUE(fd.valid());
  Sha256 hash;
  char buf[65536];
  for (;;) {
    ssize_t n = recv(fd.get(), buf, sizeof buf, 0);
    if (n <= 0) break;
    hash.update(std::string_view(buf, static_cast<size_t>(n)));
  }
  EXPECT_EQ(hash.size(), kSize);
  EXPECT_EQ(hash.hex_digest(), source.expected_sha256());
  EXPECT_TRUE(source.wait_active(0, milliseconds{5000}));
  EXPECT_EQ(source.completed(), 1u);
}

TEST(SupportNameServer, CountsWhichServerEachClientReached) {
  NameServer a("alpha"), b("beta"), c("gamma");
  std::vector<NameServer*> servers = {&a, &b, &c, &a, &a};
  std::map<std::string, int> seen;
  for (int round = 0; round < 4; ++round) {
    for (NameServer* s : servers) {
      UniqueFd fd(connect_tcp(s->port()));
      ASSERT_TRUE(fd.valid());
      std::optional<std::string> line = recv_line(fd.get());
      ASSERT_TRUE(line.has_value());
      ++seen[*line];
    }
  }
  EXPECT_EQ(seen, (std::map<std::string, int>{{"alpha", 12}, {"beta", 4}, {"gamma", 4}}));
  EXPECT_EQ(a.accepted(), 12u);
  EXPECT_EQ(b.accepted(), 4u);
  EXPECT_TRUE(a.wait_active(0, milliseconds{5000}));
}

TEST(SupportFakeServer, StopRefusesNewConnections) {
  NameServer s("x");
  uint16_t port = s.port();
  UniqueFd open_conn(connect_tcp(port));
  ASSERT_TRUE(open_conn.valid());
  ASSERT_EQ(recv_line(open_conn.get()), "x");
  s.stop();
  EXPECT_TRUE(peer_closed(open_conn.get(), milliseconds{2000}));
  EXPECT_EQ(connect_tcp(port, milliseconds{500}), -1);
  EXPECT_EQ(s.active(), 0);
}

TEST(SupportScripted, CannedBehaviours) {
  ScriptedServer closer(scripted::close_immediately());
  UniqueFd a(connect_tcp(closer.port()));
  ASSERT_TRUE(a.valid());
  EXPECT_TRUE(peer_closed(a.get(), milliseconds{2000}));

  ScriptedServer resetter(scripted::reset_after_request());
  UniqueFd b(connect_tcp(resetter.port()));
  ASSERT_TRUE(b.valid());
  ASSERT_TRUE(send_all(b.get(), "GET / HTTP/1.1\r\n\r\n"));
  EXPECT_TRUE(recv_error_is_reset(b.get()));

  ScriptedServer tagger(scripted::send_and_close("tag-1"));
  UniqueFd c(connect_tcp(tagger.port()));
  EXPECT_EQ(recv_until_eof(c.get(), milliseconds{2000}), "tag-1");

  ScriptedServer slow(scripted::reply_slowly("abc", milliseconds{100}));
  UniqueFd d(connect_tcp(slow.port()));
  ASSERT_TRUE(send_all(d.get(), "go"));
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(recv_until_eof(d.get(), milliseconds{5000}), "abc");
  EXPECT_GE(std::chrono::steady_clock::now() - start, milliseconds{250});

  ScriptedServer mute(scripted::never_answer());
  UniqueFd e(connect_tcp(mute.port()));
  ASSERT_TRUE(send_all(e.get(), "hello?"));
  EXPECT_FALSE(peer_closed(e.get(), milliseconds{200}));
  EXPECT_EQ(mute.active(), 1);
  mute.stop();  // must not hang on the blocked handler
  EXPECT_TRUE(peer_closed(e.get(), milliseconds{2000}));
  EXPECT_EQ(mute.active(), 0);
  EXPECT_EQ(mute.accepted(), 1u);
}

TEST(SupportScripted, ResetImmediatelyIsSeenAsClose) {
  ScriptedServer resetter(scripted::reset_immediately());
  // A blocking connect: it completes with the handshake, before the server's
  // reset. (connect_tcp's poll-then-SO_ERROR can already see the reset and
  // report a failed connect, which made this test flaky under load.)
  UniqueFd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  ASSERT_TRUE(fd.valid());
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(resetter.port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0) << errno;
  EXPECT_TRUE(recv_error_is_reset(fd.get()));
  EXPECT_TRUE(resetter.wait_accepted(1, milliseconds{1000}));
}

TEST(SupportHttp, GetSendsRequestAndReturnsRawResponse) {
  std::mutex mu;
  std::string request;
  ScriptedServer http([&](int fd) {
    std::string got;
    char buf[4096];
    while (got.find("\r\n\r\n") == std::string::npos) {
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return;
      got.append(buf, static_cast<size_t>(n));
    }
    {
      std::lock_guard<std::mutex> lock(mu);
      request = got;
    }
    std::string resp = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    send(fd, resp.data(), resp.size(), MSG_NOSIGNAL);
  });
  std::string raw = http_get(http.port(), "/x?y=1", {"X-Test: 1"});
  EXPECT_EQ(http_status(raw), 200);
  EXPECT_NE(raw.find("\r\n\r\nok"), std::string::npos);
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_EQ(request.rfind("GET /x?y=1 HTTP/1.1\r\n", 0), 0u) << request;
  EXPECT_NE(request.find("\r\nX-Test: 1\r\n"), std::string::npos);
  EXPECT_NE(request.find("\r\nConnection: close\r\n"), std::string::npos);
  EXPECT_EQ(http_status("garbage"), 0);
}

TEST(SupportProcess, ExitCodeAndOutput) {
  Process p(ProcessOptions{.argv = {"/bin/sh", "-c", "echo out; echo err >&2; exit 3"}});
  ASSERT_TRUE(p.started()) << p.error();
  EXPECT_EQ(p.wait_exit(milliseconds{5000}), 3);
  EXPECT_FALSE(p.running());
  EXPECT_EQ(p.output(), "out\nerr\n");
}

TEST(SupportProcess, SignalIsReportedAsNegative) {
  Process p(ProcessOptions{.argv = {"sleep", "10"}});
  ASSERT_TRUE(p.started()) << p.error();
  EXPECT_TRUE(p.running());
  EXPECT_EQ(p.wait_exit(milliseconds{100}), std::nullopt);
  ASSERT_TRUE(p.send_signal(SIGTERM));
  EXPECT_EQ(p.wait_exit(milliseconds{5000}), -SIGTERM);
  EXPECT_FALSE(p.send_signal(SIGTERM));
}

TEST(SupportProcess, IgnoredSigpipeIsNotInherited) {
  struct sigaction ignore {
  }, old{};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ignore, &old);
  Process p(ProcessOptions{.argv = {"/bin/sh", "-c", "grep SigIgn /proc/self/status"}});
  sigaction(SIGPIPE, &old, nullptr);
  ASSERT_TRUE(p.started());
  EXPECT_EQ(p.wait_exit(milliseconds{5000}), 0);
  // Only SIGPIPE's bit matters: the environment may ignore other signals
  // (a CI runner often ignores real-time ones), and those are inherited too.
  const std::string out = p.output();
  ASSERT_EQ(out.rfind("SigIgn:\t", 0), 0u) << out;
  const unsigned long long mask = std::stoull(out.substr(8), nullptr, 16);
  EXPECT_EQ(mask & (1ull << (SIGPIPE - 1)), 0ull) << out;
}

TEST(SupportProcess, MissingBinaryFailsToStart) {
  Process p(ProcessOptions{.argv = {"/nonexistent/hearth-nope"}});
  EXPECT_FALSE(p.started());
  EXPECT_NE(p.error().find("No such file"), std::string::npos) << p.error();
  EXPECT_FALSE(p.running());
  EXPECT_EQ(p.wait_exit(milliseconds{10}), std::nullopt);
}

TEST(SupportProcess, PassesOnlyTheInheritedFds) {
  uint16_t port = 0;
  UniqueFd listener(listen_loopback(0, &port));
  ASSERT_TRUE(listener.valid());
  // No CLOEXEC, and a number no child would open: must still not reach it.
  int leaky = fcntl(listener.get(), F_DUPFD, 40);
  ASSERT_GE(leaky, 40);
  struct stat st {};
  ASSERT_EQ(fstat(listener.get(), &st), 0);
  Process p(ProcessOptions{
      .argv = {"/bin/sh", "-c",
               "readlink /proc/self/fd/5; ls /proc/self/fd | sort -n | tr '\\n' ' '"},
      .inherited_fds = {{listener.get(), 5}}});
  ASSERT_TRUE(p.started()) << p.error();
  EXPECT_EQ(p.wait_exit(milliseconds{5000}), 0);
  std::string out = p.output();
  close(leaky);
  EXPECT_EQ(out.rfind("socket:[" + std::to_string(st.st_ino) + "]\n", 0), 0u) << out;
  // ls's own fds: 0-2, the inherited 5, and the one it opens to read the dir.
  EXPECT_NE(out.find("\n0 1 2 3 5 "), std::string::npos) << out;
  EXPECT_EQ(out.find(" " + std::to_string(leaky) + " "), std::string::npos) << out;
}

TEST(SupportProcess, RunCommandUsesPath) {
  CommandResult r = run_command({"sh", "-c", "echo hi; exit 2"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.output, "hi\n");
  CommandResult slow = run_command({"sleep", "10"}, milliseconds{100});
  EXPECT_EQ(slow.exit_code, -SIGKILL);
  EXPECT_EQ(run_command({"no-such-command-hearth"}).exit_code, 127);
}

// A stand-in for the hearth binary, to test HearthProcess itself: it accepts
// "-c -f FILE" (fails if FILE mentions "bogus") and "-f FILE" (prints the
// file's first line after "listening on" and waits for SIGTERM).
constexpr const char* kFakeHearth = R"sh(#!/bin/sh
check=0
while [ $# -gt 0 ]; do
  case "$1" in -c) check=1 ;; -f) shift; cfg="$1" ;; esac
  shift
done
if [ $check = 1 ]; then
  if grep -q bogus "$cfg"; then echo "$cfg:2: unknown keyword 'bogus'" >&2; exit 1; fi
  echo "configuration is valid"; exit 0
fi
trap 'echo stopping; exit 0' TERM
echo "listening on $(head -n 1 "$cfg")"
while :; do sleep 0.05; done
)sh";

class SupportHearthProcess : public ::testing::Test {
 protected:
  void SetUp() override {
    fake_ = dir_.file("fake-hearth");
    ASSERT_TRUE(write_file(fake_, kFakeHearth));
    ASSERT_EQ(chmod(fake_.c_str(), 0755), 0);
  }
  TempDir dir_;
  std::string fake_;
};

TEST_F(SupportHearthProcess, ReadyOnOutputThenStops) {
  uint16_t port = free_tcp_port();
  std::string cfg =
      expand("127.0.0.1:${PORT}\nline two ${UNKNOWN}\n", {{"PORT", std::to_string(port)}});
  EXPECT_EQ(cfg, "127.0.0.1:" + std::to_string(port) + "\nline two ${UNKNOWN}\n");
  HearthProcess h(
      cfg, {.wait_output = "listening on 127.0.0.1:" + std::to_string(port), .binary = fake_});
  ASSERT_TRUE(h.ready()) << h.describe();
  EXPECT_EQ(read_file(h.config_path()), cfg);
  EXPECT_EQ(h.config_path().rfind("/tmp/hearth-test-", 0), 0u);
  EXPECT_EQ(h.stop(), 0);
  EXPECT_NE(h.output().find("stopping"), std::string::npos) << h.output();
}

TEST_F(SupportHearthProcess, NotReadyWhenPortNeverListens) {
  std::string dir;
  {
    HearthProcess h(
        "x\n", {.wait_ports = {free_tcp_port()}, .timeout = milliseconds{300}, .binary = fake_});
    EXPECT_FALSE(h.ready());
    EXPECT_NE(h.describe().find("not ready after 300 ms"), std::string::npos) << h.describe();
    EXPECT_TRUE(h.process().running());
    dir = h.dir().path();
  }
  EXPECT_NE(access(dir.c_str(), F_OK), 0) << "temp dir must be removed";
}

TEST_F(SupportHearthProcess, NotReadyWhenItExits) {
  HearthProcess h("x\n", {.wait_output = "never printed", .binary = "/bin/false"});
  EXPECT_FALSE(h.ready());
  EXPECT_NE(h.describe().find("exited with status 1"), std::string::npos) << h.describe();
}

TEST_F(SupportHearthProcess, ReadyOnListeningPort) {
  uint16_t port = 0;
  UniqueFd listener(listen_loopback(0, &port));
  ASSERT_TRUE(listener.valid());
  HearthProcess h("x\n",
                  {.wait_ports = {port}, .inherited_fds = {{listener.get(), 3}}, .binary = fake_});
  EXPECT_TRUE(h.ready()) << h.describe();
}

TEST_F(SupportHearthProcess, CheckConfigReportsFileAndLine) {
  RunResult bad = HearthProcess::check_config("frontend fe\n  bogus\n", {}, fake_);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.output.find(bad.config_path + ":2:"), std::string::npos) << bad.output;
  RunResult good = HearthProcess::check_config("frontend fe\n", {}, fake_);
  EXPECT_EQ(good.exit_code, 0) << good.output;
}

}  // namespace
}  // namespace hearth::test
