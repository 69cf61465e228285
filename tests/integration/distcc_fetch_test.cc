// distcc_param and distcc_body compared with HAProxy 2.6: a mode tcp
// frontend sets one variable per fetch from the client's distcc request
// (tcp-request content), its backend one per fetch from the server's reply
// (tcp-response content), and one log line per session prints them all; the
// lines of hearth and haproxy are compared exactly. The requests cover
// tokens with and without a body, occurrences, hexadecimal in either case,
// tokens distcc does not know, bytes that are not distcc, and a request cut
// inside a token header (at the end of the inspect-delay).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <string>
#include <vector>

#include "support/client.h"
#include "support/hearth_process.h"
#include "support/output_lines.h"
#include "support/ports.h"
#include "support/scripted_server.h"
#include "support/wait.h"

namespace hearth::test {
namespace {

using std::chrono::milliseconds;

std::string tok(const char* name, uint32_t param, const std::string& body = "") {
  char head[16];
  snprintf(head, sizeof head, "%.4s%08x", name, param);
  return head + body;
}

struct Case {
  std::string request;
  std::string reply;
};

std::vector<Case> cases() {
  const std::string done = tok("DONE", 1) + tok("STAT", 0) + tok("SERR", 0) + tok("SOUT", 0);
  return {
      {tok("DIST", 1) + tok("ARGC", 3) + tok("ARGV", 3, "gcc") + tok("ARGV", 2, "-c") +
           tok("ARGV", 3, "a.c") + tok("DOTI", 5, "int x"),
       done + tok("DOTO", 3, "obj")},
      {tok("DIST", 2) + tok("ARGC", 1) + tok("ARGV", 0) + tok("DOTI", 0), done},
      {"DIST0000000Z", "DONE0000000g"},
      {tok("DIST", 1) + "ARGC0000000aARGV00000003gccARGV0000000A0123456789DOTI00000001x",
       tok("DONE", 1) + tok("STAT", 0) + tok("SERR", 5, "error") + tok("SOUT", 0)},
      {tok("DIST", 1) + "ARGCffffffffARGVFFFFFFFF", done},
      {tok("DIST", 3) + tok("ARGV", 2, "ab") + tok("DOTI", 3, "abc") + tok("DOTI", 2, "xy"), done},
      {tok("XXXX", 4, "abcd") + tok("ARGV", 1, "z") + tok("DONE", 7) + tok("ARGV", 1, "y"), done},
      {"GET / HTTP/1.1\r\nhost: a\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\n"},
      {"DIST00000001AR", "DONE"},
  };
}

const char* const kRequestFetches[] = {
    "distcc_param(DIST)",      "distcc_param(ARGC)",      "distcc_body(ARGV),hex",
    "distcc_body(ARGV,1),hex", "distcc_body(ARGV,2),hex", "distcc_param(ARGV,2)",
    "distcc_param(ARGV,3)",    "distcc_body(DOTI),hex",   "distcc_param(DOTI)",
    "distcc_body(DOTI,2),hex", "distcc_param(ARGV,-1)",   "distcc_param(ARGV,0)",
    "distcc_body(ARGC),hex",   "distcc_param(DONE)",
};
const char* const kReplyFetches[] = {
    "distcc_param(DONE)", "distcc_param(STAT)",    "distcc_body(SERR),hex",
    "distcc_param(SERR)", "distcc_body(DOTO),hex",
};

std::string config(uint16_t port, uint16_t server_port) {
  std::string req, res, fmt = "L";
  for (size_t i = 0; i < std::size(kRequestFetches); ++i) {
    req += "  tcp-request content set-var(txn.q" + std::to_string(i) + ") " + kRequestFetches[i] +
           "\n";
    fmt += " q" + std::to_string(i) + "=%[var(txn.q" + std::to_string(i) + ")]";
  }
  fmt += " |";
  for (size_t i = 0; i < std::size(kReplyFetches); ++i) {
    res +=
        "  tcp-response content set-var(txn.r" + std::to_string(i) + ") " + kReplyFetches[i] + "\n";
    fmt += " r" + std::to_string(i) + "=%[var(txn.r" + std::to_string(i) + ")]";
  }
  // %ts: HAProxy logs at the end of the session only when the format
  // prints something known then (see mqtt_converters_test.cc).
  fmt += " %ts";
  return "global\n  log stdout format raw local0\n"
         "defaults\n  mode tcp\n  log global\n  timeout connect 2s\n  timeout client 3s\n"
         "  timeout server 3s\n"
         "frontend fe\n  bind 127.0.0.1:" +
         std::to_string(port) +
         "\n  tcp-request inspect-delay 300ms\n"
         "  tcp-request content set-var(txn.wait) int(1) if { req.len gt 0 }\n" +
         req + "  log-format \"" + fmt +
         "\"\n  default_backend be\n"
         "backend be\n  server s 127.0.0.1:" +
         std::to_string(server_port) +
         "\n  tcp-response inspect-delay 300ms\n"
         "  tcp-response content set-var(txn.wait) int(1) if { res.len gt 0 }\n" +
         res;
}

// Runs every case through `binary` ("" = hearth). Returns: the log lines.
std::vector<std::string> run(const std::string& binary) {
  const std::vector<Case> all = cases();
  std::atomic<size_t> current{0};
  ScriptedServer server([&](int fd) {
    recv_n(fd, 1, milliseconds{2000});
    send_all(fd, all[current.load()].reply);
    peer_closed(fd, milliseconds{3000});
  });
  const uint16_t port = free_tcp_port();
  HearthOptions opt{.wait_ports = {port}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  HearthProcess h(config(port, server.port()), opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  if (!h.ready()) return {};
  std::vector<std::string> lines;
  for (size_t i = 0; i < all.size(); ++i) {
    current = i;
    {
      UniqueFd c(connect_tcp(port));
      EXPECT_TRUE(send_all(c.get(), all[i].request));
      EXPECT_EQ(recv_n(c.get(), all[i].reply.size(), milliseconds{3000}), all[i].reply) << i;
    }
    wait_until(
        [&] {
          lines = lines_with(h.output(), {"L q0="});
          return lines.size() > i;
        },
        milliseconds{4000});
  }
  return lines;
}

TEST(DistccFetchVsHAProxy, SameValues) {
  const std::vector<std::string> ours = run("");
  const std::vector<std::string> theirs = run("haproxy");
  ASSERT_EQ(ours.size(), cases().size());
  ASSERT_EQ(theirs.size(), cases().size());
  for (size_t i = 0; i < ours.size(); ++i) EXPECT_EQ(ours[i], theirs[i]) << i;
  // The first request, written out.
  EXPECT_NE(ours[0].find("q0=1 q1=3 q2=676363 q3=676363 q4=2D63 q5=2 q6=3 q7=696E742078 q8=5 "),
            std::string::npos)
      << ours[0];
  EXPECT_NE(ours[0].find("| r0=1 r1=0 r2=- r3=0 r4=6F626A "), std::string::npos) << ours[0];
}

}  // namespace
}  // namespace hearth::test
