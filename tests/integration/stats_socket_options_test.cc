// "stats socket" on a TCP address (ipv4@) and its owner and mode on a unix
// socket, through the real binary and compared with haproxy 2.6 on the same
// configuration; "stats timeout" through Hearth alone.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"
#include "support/temp_dir.h"

namespace hearth::test::http {
namespace {

const char kProxy[] =
    "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n  timeout server 5s\n"
    "frontend fe\n  bind 127.0.0.1:";

// Returns: a configuration with a stats socket on TCP port `cli` (its
// options: `cli_opts`, then any global lines `globals`) and a frontend on
// `port` answering 200.
std::string cli_config(uint16_t cli, uint16_t port, const std::string& cli_opts,
                       const std::string& globals = "") {
  return "global\n  stats socket ipv4@127.0.0.1:" + std::to_string(cli) + cli_opts + "\n" +
         globals + kProxy + std::to_string(port) + "\n  http-request return status 200\n";
}

HearthOptions options(const std::string& binary, std::vector<uint16_t> ports) {
  HearthOptions opt{.wait_ports = std::move(ports)};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  return opt;
}

int tcp_connect(uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Reads until the peer closes (or 15 s of silence pass: a bound for a loaded
// machine, not a measurement). Returns: what arrived, and
// whether the close was seen.
std::string read_to_close(int fd, bool* closed) {
  std::string out;
  char buf[4096];
  *closed = false;
  pollfd p{fd, POLLIN, 0};
  while (poll(&p, 1, 15000) > 0) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) {
      *closed = true;
      break;
    }
    out.append(buf, size_t(n));
  }
  return out;
}

TEST(StatsSocketOptions, TcpSocketAnswersCommandsAsHAProxy) {
  std::vector<std::string> runs;
  for (const std::string binary : {"", "haproxy"}) {
    const uint16_t port = free_tcp_port(), cli = free_tcp_port();
    HearthProcess h(cli_config(cli, port, " level admin"), options(binary, {port, cli}));
    ASSERT_TRUE(h.ready()) << binary << h.describe();
    const int fd = tcp_connect(cli);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(write(fd, "show info\n", 10), 10);
    bool closed = false;
    const std::string out = read_to_close(fd, &closed);
    close(fd);
    EXPECT_TRUE(closed) << binary;
    const size_t pid = out.find("\nPid: ");
    runs.push_back(pid == std::string::npos
                       ? out
                       : "Pid: " + out.substr(pid + 6, out.find('\n', pid + 1) - pid - 6));
  }
  ASSERT_EQ(runs.size(), 2u);
  // Each reports its own pid: the same line shape, not the same number.
  for (const std::string& r : runs) EXPECT_EQ(r.rfind("Pid: ", 0), 0u) << r;
}

// haproxy 2.6 closed such a session after its stats timeout in most runs but
// kept it open in about one run out of five (seen side by side on this
// machine), so this one runs Hearth alone, which closes it every time.
TEST(StatsSocketOptions, TimeoutClosesAnIdlePrompt) {
  for (const std::string binary : {""}) {
    const uint16_t port = free_tcp_port(), cli = free_tcp_port();
    HearthProcess h(cli_config(cli, port, "", "  stats timeout 300ms\n"),
                    options(binary, {port, cli}));
    ASSERT_TRUE(h.ready()) << binary << h.describe();
    const int fd = tcp_connect(cli);
    ASSERT_GE(fd, 0);
    // In prompt mode the CLI waits for the next command: only the timeout
    // ends the connection (read_to_close waits far longer than 300ms).
    ASSERT_EQ(write(fd, "prompt\n", 7), 7);
    bool closed = false;
    const std::string out = read_to_close(fd, &closed);
    close(fd);
    EXPECT_TRUE(closed) << binary << ": " << out;
    EXPECT_NE(out.find("> "), std::string::npos) << binary << ": " << out;
  }
}

TEST(StatsSocketOptions, UnixSocketOwnerAndModeAsHAProxy) {
  std::vector<std::string> runs;
  for (const std::string binary : {"", "haproxy"}) {
    TempDir dir;
    const std::string path = dir.file("cli.sock");
    const uint16_t port = free_tcp_port();
    HearthProcess h("global\n  stats socket " + path + " uid 4321 gid 4322 mode 640\n" + kProxy +
                        std::to_string(port) + "\n  http-request return status 200\n",
                    options(binary, {port}));
    ASSERT_TRUE(h.ready()) << binary << h.describe();
    struct stat st {};
    ASSERT_EQ(stat(path.c_str(), &st), 0) << binary;
    runs.push_back(std::to_string(st.st_uid) + ":" + std::to_string(st.st_gid) + " " +
                   std::to_string(st.st_mode & 0777));
  }
  EXPECT_EQ(runs[0], runs[1]);
  EXPECT_EQ(runs[0], "4321:4322 " + std::to_string(0640));
}

// Returns: what fd received within `ms` (empty if nothing came).
std::string read_for(int fd, int ms) {
  std::string out;
  char buf[4096];
  pollfd p{fd, POLLIN, 0};
  while (poll(&p, 1, ms) > 0) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, size_t(n));
    if (out.find("> ") != std::string::npos) break;
  }
  return out;
}

// Connections are served side by side: an open prompt session does not hold
// another client; "stats maxconn N" caps how many are served at once, the
// next one waiting (unanswered, in the backlog) until one ends. As HAProxy.
TEST(StatsSocketOptions, MaxconnCapsConcurrentClientsAsHAProxy) {
  for (const std::string binary : {"", "haproxy"}) {
    SCOPED_TRACE(binary.empty() ? "hearth" : binary);
    const uint16_t port = free_tcp_port(), cli = free_tcp_port();
    HearthProcess h(cli_config(cli, port, " level admin", "  stats maxconn 2\n"),
                    options(binary, {port, cli}));
    ASSERT_TRUE(h.ready()) << h.describe();
    int held[2];
    for (int& fd : held) {
      fd = tcp_connect(cli);
      ASSERT_GE(fd, 0);
      ASSERT_EQ(write(fd, "prompt\n", 7), 7);
      EXPECT_NE(read_for(fd, 5000).find("> "), std::string::npos) << "a session beside another";
    }
    const int third = tcp_connect(cli);
    ASSERT_GE(third, 0);
    ASSERT_EQ(write(third, "show info\n", 10), 10);
    EXPECT_EQ(read_for(third, 500), "") << "served beyond stats maxconn";
    close(held[0]);
    bool closed = false;
    EXPECT_NE(read_to_close(third, &closed).find("\nPid: "), std::string::npos);
    close(third);
    close(held[1]);
  }
}

// "quit" ends a session at once, in prompt mode or not; a second "prompt"
// leaves prompt mode (it toggles), so that command's answer is the last. The
// transcripts of both are compared with HAProxy's.
TEST(StatsSocketOptions, QuitAndPromptToggleAsHAProxy) {
  std::vector<std::string> runs;
  for (const std::string binary : {"", "haproxy"}) {
    const uint16_t port = free_tcp_port(), cli = free_tcp_port();
    HearthProcess h(cli_config(cli, port, " level admin"), options(binary, {port, cli}));
    ASSERT_TRUE(h.ready()) << binary << h.describe();
    std::string run;
    // Prompt mode, a command, then quit: the connection closes with nothing more.
    int fd = tcp_connect(cli);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(write(fd, "prompt\n", 7), 7);
    run += "[" + read_for(fd, 5000) + "]";
    ASSERT_EQ(write(fd, "show servers state nosuch\n", 26), 26);
    run += "[" + read_for(fd, 5000) + "]";
    ASSERT_EQ(write(fd, "quit\n", 5), 5);
    bool closed = false;
    // (The read and the test of `closed` in two statements: their order matters.)
    std::string got = read_to_close(fd, &closed);
    run += "[" + got + "]" + (closed ? " closed" : " open");
    close(fd);
    // Without prompt mode: quit alone closes without a word.
    fd = tcp_connect(cli);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(write(fd, "quit\n", 5), 5);
    got = read_to_close(fd, &closed);
    run += " [" + got + "]" + (closed ? " closed" : " open");
    close(fd);
    // prompt twice: the second one leaves prompt mode and the session ends.
    fd = tcp_connect(cli);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(write(fd, "prompt\n", 7), 7);
    run += " [" + read_for(fd, 5000) + "]";
    ASSERT_EQ(write(fd, "prompt\n", 7), 7);
    got = read_to_close(fd, &closed);
    run += "[" + got + "]" + (closed ? " closed" : " open");
    close(fd);
    runs.push_back(run);
  }
  EXPECT_EQ(runs[0], runs[1]);
  EXPECT_NE(runs[0].find("] closed [] closed ["), std::string::npos) << runs[0];
}

}  // namespace
}  // namespace hearth::test::http
