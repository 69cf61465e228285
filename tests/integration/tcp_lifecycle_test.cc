// TCP mode: the process around the sessions: graceful and hard stop, inherited
// listening sockets, threads, several config files, environment variables, the
// pid file and the session log.
#include <dirent.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <future>
#include <regex>
#include <thread>

#include "integration/tcp_test_util.h"
#include "support/temp_dir.h"

namespace hearth::test::tcp {
namespace {

// Returns: true if one line goes through fd and comes back (EchoServer).
bool echoes(int fd, const std::string& line) {
  return send_all(fd, line + "\n", milliseconds{2000}) && recv_line(fd, milliseconds{2000}) == line;
}

TEST(TcpLifecycle, SigtermDrainsTheLiveSessionThenExitsZero) {
  EchoServer echo;
  TcpProxy proxy({.backend = server_line("echo", echo.port())});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();
  UniqueFd live(proxy.connect());
  ASSERT_TRUE(live.valid());
  ASSERT_TRUE(echoes(live.get(), "before"));

  ASSERT_TRUE(proxy.hearth.process().send_signal(SIGTERM));
  // New connections are refused once the listener is closed.
  EXPECT_TRUE(wait_until([&] { return !port_listening(proxy.port); }, milliseconds{3000}));
  EXPECT_EQ(connect_tcp(proxy.port, milliseconds{500}), -1);
  // The live session goes on, for as long as the client wants.
  std::this_thread::sleep_for(milliseconds{300});
  EXPECT_TRUE(echoes(live.get(), "during"));
  EXPECT_TRUE(proxy.hearth.process().running());
  EXPECT_EQ(echo.accepted(), 1u);

  live.reset();
  EXPECT_EQ(proxy.hearth.process().wait_exit(milliseconds{3000}), 0) << proxy.hearth.output();
}

TEST(TcpLifecycle, HardStopAfterEndsASessionThatDoesNotFinish) {
  EchoServer echo;
  TcpProxy proxy(
      {.global = "    hard-stop-after 500ms\n", .backend = server_line("echo", echo.port())});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();
  UniqueFd live(proxy.connect());
  ASSERT_TRUE(live.valid());
  ASSERT_TRUE(echoes(live.get(), "before"));

  auto start = SteadyClock::now();
  ASSERT_TRUE(proxy.hearth.process().send_signal(SIGTERM));
  std::this_thread::sleep_for(milliseconds{200});
  EXPECT_TRUE(echoes(live.get(), "still here"));
  EXPECT_EQ(proxy.hearth.process().wait_exit(milliseconds{4000}), 0) << proxy.hearth.output();
  EXPECT_GE(ms_since(start), 400);
  EXPECT_LT(ms_since(start), 3000);
  EXPECT_TRUE(peer_closed(live.get(), milliseconds{2000}));
}

TEST(TcpLifecycle, InheritedListeningSocketIsServed) {
  EchoServer echo;
  uint16_t port = 0;
  UniqueFd listener(listen_loopback(0, &port));
  ASSERT_TRUE(listener.valid());
  std::string cfg =
      "defaults\n    mode tcp\n    timeout connect 2s\n    timeout client 10s\n"
      "    timeout server 10s\n"
      "frontend fe\n    bind fd@3\n    default_backend be\n"
      "backend be\n" +
      server_line("echo", echo.port());
  HearthProcess h(cfg,
                  {.wait_output = "listening on fd@3", .inherited_fds = {{listener.get(), 3}}});
  ASSERT_TRUE(h.ready()) << h.describe();
  listener.reset();  // only hearth holds the socket now

  for (int i = 0; i < 3; ++i) {
    UniqueFd fd(connect_tcp(port, milliseconds{2000}));
    ASSERT_TRUE(fd.valid());
    EXPECT_TRUE(echoes(fd.get(), "via fd@3 #" + std::to_string(i)));
  }
  EXPECT_EQ(echo.accepted(), 3u);
}

// Returns: the number of threads of process pid, from /proc.
int thread_count(pid_t pid) {
  std::string dir = "/proc/" + std::to_string(pid) + "/task";
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return -1;
  int n = 0;
  while (dirent* e = readdir(d)) n += e->d_name[0] != '.';
  closedir(d);
  return n;
}

TEST(TcpLifecycle, TwoThreadsProxyFiftyConcurrentSessions) {
  constexpr int kSessions = 50;
  constexpr size_t kBytes = 64 << 10;
  EchoServer echo;
  TcpProxy proxy({.global = "    nbthread 2\n", .backend = server_line("echo", echo.port())});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();
  EXPECT_GE(thread_count(proxy.hearth.process().pid()), 3) << "main thread + 2 workers";

  std::vector<UniqueFd> fds;
  for (int i = 0; i < kSessions; ++i) {
    fds.emplace_back(proxy.connect());
    ASSERT_TRUE(fds.back().valid()) << i;
  }
  ASSERT_TRUE(echo.wait_active(kSessions, milliseconds{5000})) << echo.active();
  // Every session moves its own payload at the same time as the others.
  std::vector<std::future<bool>> results;
  for (int i = 0; i < kSessions; ++i) {
    results.push_back(std::async(std::launch::async, [&, i] {
      const std::string payload = pseudo_random_bytes(100 + i, kBytes);
      auto writer = std::async(std::launch::async, [&] {
        return send_all(fds[i].get(), payload) && shutdown_write(fds[i].get());
      });
      bool closed = false;
      std::string back = recv_until_eof(fds[i].get(), milliseconds{20000}, &closed);
      return writer.get() && closed && back == payload;
    }));
  }
  int ok = 0;
  for (auto& r : results) ok += r.get();
  EXPECT_EQ(ok, kSessions);
  EXPECT_EQ(echo.accepted(), static_cast<uint64_t>(kSessions));
}

TEST(TcpLifecycle, TwoConfigFilesFormOneConfiguration) {
  NameServer s("from-second-file");
  TempDir extra;
  std::string second = extra.file("backend.cfg");
  ASSERT_TRUE(write_file(second, "backend be\n" + server_line("s", s.port())));
  uint16_t port = free_tcp_port();
  std::string first =
      "defaults\n    mode tcp\n    timeout connect 2s\n    timeout client 10s\n"
      "    timeout server 10s\n"
      "frontend fe\n    bind 127.0.0.1:" +
      std::to_string(port) + "\n    default_backend be\n";
  HearthProcess h(first, {.extra_args = {"-f", second}, .wait_ports = {port}});
  ASSERT_TRUE(h.ready()) << h.describe();
  EXPECT_EQ(reach(port), "from-second-file");
}

TEST(TcpLifecycle, EnvironmentVariableInBindAddress) {
  NameServer s("env");
  uint16_t port = free_tcp_port();
  std::string cfg =
      "defaults\n    mode tcp\n    timeout connect 2s\n    timeout client 10s\n"
      "    timeout server 10s\n"
      "frontend fe\n    bind \"${HEARTH_TCP_TEST_ADDR}:${HEARTH_TCP_TEST_PORT}\"\n"
      "    default_backend be\n"
      "backend be\n" +
      server_line("s", s.port());
  HearthProcess h(cfg, {.wait_ports = {port},
                        .extra_env = {"HEARTH_TCP_TEST_ADDR=127.0.0.1",
                                      "HEARTH_TCP_TEST_PORT=" + std::to_string(port)}});
  ASSERT_TRUE(h.ready()) << h.describe();
  EXPECT_EQ(reach(port), "env");
}

TEST(TcpLifecycle, PidFileHoldsTheProcessId) {
  EchoServer echo;
  TempDir dir;
  std::string pidfile = dir.file("hearth.pid");
  TcpProxy proxy({.backend = server_line("echo", echo.port())}, {.extra_args = {"-p", pidfile}});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();
  EXPECT_TRUE(wait_until([&] { return !read_file(pidfile).empty(); }, milliseconds{2000}));
  EXPECT_EQ(read_file(pidfile), std::to_string(proxy.hearth.process().pid()) + "\n");
}

// One whole session through proxy: 5 bytes echoed, then both sides closed.
void echo_one_session(TcpProxy& proxy) {
  UniqueFd fd(proxy.connect());
  ASSERT_TRUE(fd.valid());
  ASSERT_TRUE(echoes(fd.get(), "12345"));
  ASSERT_TRUE(shutdown_write(fd.get()));
  ASSERT_TRUE(peer_closed(fd.get(), milliseconds{3000}));
}

TEST(TcpLifecycle, SessionLogNamesFrontendBackendAndServer) {
  EchoServer echo;
  TcpProxy proxy({.global = "    log stdout format raw daemon\n",
                  .defaults = "    log global\n    option tcplog\n    timeout connect 2s\n"
                              "    timeout client 10s\n    timeout server 10s\n",
                  .backend = server_line("echo", echo.port())});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();
  ASSERT_NO_FATAL_FAILURE(echo_one_session(proxy));
  std::string line = wait_log_line(proxy.hearth, {" fe be/echo "});
  ASSERT_NE(line, "") << proxy.hearth.output();
  // HAProxy's tcplog: client [date] frontend backend/server Tw/Tc/Tt bytes
  // termination ac/fc/bc/sc/rc sq/bq
  std::regex format(
      R"(^127\.0\.0\.1:\d+ \[[^\]]+\] fe be/echo \d+/\d+/\d+ 6 -- \d+/\d+/\d+/\d+/\d+ \d+/\d+$)");
  EXPECT_TRUE(std::regex_search(line, format)) << line;
}

// -d logs every session even with no log settings in the configuration.
TEST(TcpLifecycle, DebugFlagLogsEverySession) {
  EchoServer echo;
  TcpProxy proxy({.backend = server_line("echo", echo.port())},
                 HearthOptions{.extra_args = {"-d"}});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();
  ASSERT_NO_FATAL_FAILURE(echo_one_session(proxy));
  EXPECT_NE(wait_log_line(proxy.hearth, {" fe be/echo "}), "") << proxy.hearth.output();
}

TEST(TcpLifecycle, SessionLogShowsNoServerWhenNoneIsUsable) {
  NameServer s("s");
  TcpProxy proxy({.global = "    log stdout format raw daemon\n",
                  .defaults = "    log global\n    option tcplog\n    timeout connect 2s\n"
                              "    timeout client 10s\n    timeout server 10s\n",
                  .backend = server_line("s", s.port(), "disabled")});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();
  UniqueFd fd(proxy.connect());
  ASSERT_TRUE(fd.valid());
  bool closed = false;
  EXPECT_EQ(recv_until_eof(fd.get(), milliseconds{3000}, &closed), "");
  EXPECT_TRUE(closed);
  EXPECT_NE(wait_log_line(proxy.hearth, {" fe be/<NOSRV> ", " SC "}), "") << proxy.hearth.output();
  EXPECT_EQ(s.accepted(), 0u);
}

// `option dontlognull`: a connection on which the client sent nothing (a port
// probe) is not logged; one that carried data still is.
TEST(TcpLifecycle, DontLogNullSkipsConnectionsWithoutClientData) {
  EchoServer echo;
  TcpProxy proxy({.global = "    log stdout format raw daemon\n",
                  .defaults = "    log global\n    option tcplog\n    option dontlognull\n"
                              "    timeout connect 2s\n    timeout client 10s\n"
                              "    timeout server 10s\n",
                  .backend = server_line("echo", echo.port())});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();
  {
    UniqueFd probe(proxy.connect());
    ASSERT_TRUE(probe.valid());
    ASSERT_TRUE(echo.wait_accepted(1, milliseconds{3000}));
    ASSERT_TRUE(shutdown_write(probe.get()));
    ASSERT_TRUE(peer_closed(probe.get(), milliseconds{3000}));
  }
  {
    UniqueFd fd(proxy.connect());
    ASSERT_TRUE(fd.valid());
    ASSERT_TRUE(echoes(fd.get(), "data"));
    ASSERT_TRUE(shutdown_write(fd.get()));
    ASSERT_TRUE(peer_closed(fd.get(), milliseconds{3000}));
  }
  ASSERT_NE(wait_log_line(proxy.hearth, {" fe be/echo ", " 5 -- "}), "") << proxy.hearth.output();
  EXPECT_EQ(lines_with(proxy.hearth.output(), {" fe be/echo "}).size(), 1u)
      << proxy.hearth.output();
}

TEST(TcpLifecycle, ListenSectionWithAddressOnItsHeaderLine) {
  NameServer s("listen");
  uint16_t port = free_tcp_port();
  std::string cfg =
      "defaults\n    mode tcp\n    timeout connect 2s\n    timeout client 10s\n"
      "    timeout server 10s\n"
      "listen both 127.0.0.1:" +
      std::to_string(port) + "\n" + server_line("s", s.port());
  HearthProcess h(cfg, {.wait_ports = {port}});
  ASSERT_TRUE(h.ready()) << h.describe();
  EXPECT_EQ(reach(port), "listen");
}

}  // namespace
}  // namespace hearth::test::tcp
