// option logasap: the access line is written before the data phase, as soon
// as the server connection is up (TCP) or the response head passed the
// rules (HTTP), with '+' before the values that are not final (Tt, Ta, Tu,
// B), and never a second time at the end. Each case runs through hearth and
// through haproxy 2.6 with the same configuration.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <atomic>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "support/client.h"
#include "support/hearth_process.h"
#include "support/output_lines.h"
#include "support/ports.h"
#include "support/scripted_server.h"
#include "support/unique_fd.h"
#include "support/wait.h"

namespace hearth::test {
namespace {

using std::chrono::milliseconds;

const char* const kBinaries[] = {"", "haproxy"};  // "": hearth

HearthOptions options_for(const std::string& binary, uint16_t port) {
  HearthOptions opt{.wait_ports = {port}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  return opt;
}

std::string config(const std::string& mode, uint16_t port, uint16_t srv_port,
                   const std::string& extra) {
  return "global\n  log stdout format raw local0\n"
         "defaults\n  mode " +
         mode +
         "\n  log global\n  timeout client 5s\n  timeout server 5s\n  timeout connect 5s\n"
         "frontend fe\n  bind 127.0.0.1:" +
         std::to_string(port) + "\n" + extra +
         "  default_backend b\n"
         "backend b\n  server s1 127.0.0.1:" +
         std::to_string(srv_port) + "\n";
}

std::vector<std::string> lines_starting(const HearthProcess& h, const std::string& tag) {
  std::vector<std::string> out;
  for (const std::string& l : lines_with(h.output(), {tag}))
    if (l.compare(0, tag.size(), tag) == 0) out.push_back(l);
  return out;
}

// A server that sends its response head at once and holds the body until
// released.
struct HeldBody {
  std::atomic<bool> release{false};
  ScriptedServer server{[this](int fd) {
    char buf[4096];
    if (recv(fd, buf, sizeof buf, 0) <= 0) return;
    send_all(fd, "HTTP/1.1 200 OK\r\ncontent-length: 5\r\nx-a: b\r\n\r\n");
    wait_until([&] { return release.load(); }, milliseconds{5000});
    send_all(fd, "hello");
  }};
};

class LogasapHttp : public ::testing::TestWithParam<const char*> {};

// The line is out while the body is still held by the server; the body then
// arrives and no second line follows.
TEST_P(LogasapHttp, LineBeforeTheBodyAndOnlyOnce) {
  const std::string binary = GetParam();
  HeldBody srv;
  const uint16_t port = free_tcp_port();
  HearthProcess h(config("http", port, srv.server.port(),
                         "  option logasap\n  log-format \"L %ST Ta=%Ta Tt=%Tt Tu=%Tu B=%B Td=%Td "
                         "ts=%ts r=%{+Q}r\"\n"),
                  options_for(binary, port));
  ASSERT_TRUE(h.ready()) << h.describe();
  UniqueFd c(connect_tcp(port));
  ASSERT_TRUE(c.valid());
  ASSERT_TRUE(send_all(c.get(), "GET /big HTTP/1.1\r\nhost: x\r\n\r\n"));
  std::vector<std::string> lines;
  wait_until([&] { return !(lines = lines_starting(h, "L ")).empty(); }, milliseconds{3000});
  ASSERT_EQ(lines.size(), 1u) << binary << ": no line before the body\n" << h.output();
  static const std::regex re(
      R"(L 200 Ta=\+\d+ Tt=\+\d+ Tu=\+\d+ B=\+(\d+) Td=\d+ ts=-- r="GET /big HTTP/1.1")");
  std::smatch m;
  ASSERT_TRUE(std::regex_match(lines[0], m, re)) << binary << ": " << lines[0];
  // The bytes so far: the head only (HAProxy counts its internal form of it).
  EXPECT_GT(std::stoul(m[1]), 30u) << lines[0];
  EXPECT_LT(std::stoul(m[1]), 200u) << lines[0];
  srv.release = true;
  std::string got;  // the head, then the body once released
  while (got.find("hello") == std::string::npos && got.size() < 4096) {
    const std::string more = recv_n(c.get(), 1, milliseconds{5000});
    if (more.empty()) break;
    got += more;
  }
  EXPECT_NE(got.find("hello"), std::string::npos) << binary << ": " << got;
  c.reset();
  std::this_thread::sleep_for(milliseconds{300});
  EXPECT_EQ(lines_starting(h, "L ").size(), 1u) << binary << "\n" << h.output();
}

// Without logasap the same format waits for the end: no '+', one line.
TEST_P(LogasapHttp, WithoutTheOptionTheLineWaitsForTheEnd) {
  const std::string binary = GetParam();
  HeldBody srv;
  const uint16_t port = free_tcp_port();
  HearthProcess h(config("http", port, srv.server.port(), "  log-format \"L %ST Ta=%Ta B=%B\"\n"),
                  options_for(binary, port));
  ASSERT_TRUE(h.ready()) << h.describe();
  UniqueFd c(connect_tcp(port));
  ASSERT_TRUE(send_all(c.get(), "GET / HTTP/1.1\r\nhost: x\r\n\r\n"));
  std::this_thread::sleep_for(milliseconds{400});
  EXPECT_TRUE(lines_starting(h, "L ").empty()) << binary << "\n" << h.output();
  srv.release = true;
  recv_n(c.get(), 5, milliseconds{5000});
  c.reset();
  std::vector<std::string> lines;
  wait_until([&] { return !(lines = lines_starting(h, "L ")).empty(); }, milliseconds{3000});
  ASSERT_EQ(lines.size(), 1u) << binary << "\n" << h.output();
  EXPECT_TRUE(std::regex_match(lines[0], std::regex(R"(L 200 Ta=\d+ B=\d+)"))) << lines[0];
}

// A response Hearth makes itself (no server) is logged at the end, still
// with the '+' marks of the option.
TEST_P(LogasapHttp, LocalReplyLoggedAtTheEndWithMarks) {
  const std::string binary = GetParam();
  const uint16_t port = free_tcp_port();
  const uint16_t dead = free_tcp_port();  // nothing listens: 503
  HearthProcess h(
      config("http", port, dead, "  option logasap\n  log-format \"L %ST Tt=%Tt B=%B\"\n"),
      options_for(binary, port));
  ASSERT_TRUE(h.ready()) << h.describe();
  EXPECT_EQ(http_status(http_get(port, "/")), 503);
  std::vector<std::string> lines;
  wait_until([&] { return !(lines = lines_starting(h, "L ")).empty(); }, milliseconds{3000});
  ASSERT_EQ(lines.size(), 1u) << binary << "\n" << h.output();
  EXPECT_TRUE(std::regex_match(lines[0], std::regex(R"(L 503 Tt=\+\d+ B=\+\d+)"))) << lines[0];
}

INSTANTIATE_TEST_SUITE_P(HearthAndHAProxy, LogasapHttp, ::testing::ValuesIn(kBinaries),
                         [](const auto& info) {
                           return std::string(*info.param ? "HAProxy" : "Hearth");
                         });

class LogasapTcp : public ::testing::TestWithParam<const char*> {};

// option tcplog: the line is out once the server connection is up, while
// the session is still open, and the close adds no second line.
TEST_P(LogasapTcp, LineAtTheConnect) {
  const std::string binary = GetParam();
  ScriptedServer srv(scripted::never_answer());
  const uint16_t port = free_tcp_port();
  HearthProcess h(config("tcp", port, srv.port(), "  option tcplog\n  option logasap\n"),
                  options_for(binary, port));
  ASSERT_TRUE(h.ready()) << h.describe();
  UniqueFd c(connect_tcp(port));
  ASSERT_TRUE(send_all(c.get(), "hi"));
  std::vector<std::string> lines;
  wait_until([&] { return !(lines = lines_starting(h, "127.0.0.1:")).empty(); },
             milliseconds{3000});
  ASSERT_EQ(lines.size(), 1u) << binary << "\n" << h.output();
  // %Tw/%Tc/%Tt %B %ts: the total time and the bytes are marked, the
  // termination state is not known yet.
  static const std::regex re(R"(.* fe b/s1 \d+/\d+/\+\d+ \+\d+ -- \d+/\d+/\d+/\d+/0 0/0)");
  EXPECT_TRUE(std::regex_match(lines[0], re)) << binary << ": " << lines[0];
  c.reset();
  std::this_thread::sleep_for(milliseconds{300});
  EXPECT_EQ(lines_starting(h, "127.0.0.1:").size(), 1u) << binary << "\n" << h.output();
}

INSTANTIATE_TEST_SUITE_P(HearthAndHAProxy, LogasapTcp, ::testing::ValuesIn(kBinaries),
                         [](const auto& info) {
                           return std::string(*info.param ? "HAProxy" : "Hearth");
                         });

}  // namespace
}  // namespace hearth::test
