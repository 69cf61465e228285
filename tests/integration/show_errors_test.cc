// "show errors" through hearth and HAProxy 2.6 with the same configuration and
// the same traffic: an invalid request (a space in a field name) and an
// invalid response (the same from the server) are kept, the frontend's and the
// backend's, with the event numbers, the position of the wrong byte and the
// bytes themselves dumped as HAProxy does (long lines continued on "+" rows).
// What is HAProxy's own buffer bookkeeping (free room, the H1 parser's flags
// and states) differs and is left out of the comparison; Hearth prints the
// parser's reason instead.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"
#include "support/scripted_server.h"
#include "support/temp_dir.h"

namespace hearth::test::http {
namespace {

// Reads a request head, answers with a field name holding a space.
void bad_response(int fd) {
  std::string in;
  char buf[4096];
  while (in.find("\r\n\r\n") == std::string::npos) {
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return;
    in.append(buf, size_t(n));
  }
  const std::string out = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nBad Header: y\r\n\r\n";
  send(fd, out.data(), out.size(), MSG_NOSIGNAL);
}

// Drops the lines about HAProxy's buffers and H1 parser, and Hearth's reason
// line; masks dates, the client's port and the free room.
std::string comparable(const std::string& dump) {
  std::istringstream in(dump);
  std::string out;
  for (std::string l; std::getline(in, l);) {
    if (l.rfind("  H1 ", 0) == 0 || l.rfind("  buffer starts at", 0) == 0) continue;
    if (std::regex_search(l, std::regex(", answered \\d+ :$"))) continue;
    l = std::regex_replace(l, std::regex("\\[\\d\\d/\\w+/\\d{4}:[\\d:.]+\\]"), "[DATE]");
    l = std::regex_replace(l, std::regex("src 127\\.0\\.0\\.1:\\d+"), "src 127.0.0.1:PORT");
    l = std::regex_replace(l, std::regex(", wraps at \\d+"), "");
    out += l + "\n";
  }
  return out;
}

std::string run(const std::string& binary) {
  ScriptedServer server(bad_response);
  TempDir dir;
  const std::string sock = dir.file("stats.sock");
  const uint16_t fe = free_tcp_port();
  HearthOptions opt{.wait_ports = {fe}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  HearthProcess h("global\n  stats socket " + sock +
                      " level admin\n"
                      "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
                      "  timeout server 5s\n"
                      "frontend fe\n  bind 127.0.0.1:" +
                      std::to_string(fe) +
                      "\n  default_backend be\n"
                      "backend be\n  server s1 127.0.0.1:" +
                      std::to_string(server.port()) + "\n",
                  opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  std::string out = "empty: " + stats_command(sock, "show errors").substr(0, 10) + "\n";
  auto request = [&](const std::string& raw) {
    HttpClient c(fe);
    c.send(raw);
    return std::to_string(c.read_response().status);
  };
  const std::string long_target(150, 'a');
  out += request("GET /" + long_target + " HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n") + " ";
  out += request("GET / HTTP/1.1\r\nHost: x\r\n\r\n") + " ";
  out += request("GET / HTTP/1.1\r\nHost: x\r\nBad Header: z\r\nX-A: 1\r\n\r\n") + "\n";
  out += comparable(stats_command(sock, "show errors"));
  out += comparable(stats_command(sock, "show errors be"));
  out += comparable(stats_command(sock, "show errors 2 response"));
  out += comparable(stats_command(sock, "show errors fe request"));
  out += stats_command(sock, "show errors nope");
  return out;
}

TEST(ShowErrors, InvalidRequestAndResponseLikeHAProxy) {
  const std::string hearth = run(""), haproxy = run("haproxy");
  EXPECT_EQ(hearth, haproxy);
  EXPECT_NE(hearth.find("400 502 400\n"), std::string::npos) << hearth;
  EXPECT_NE(hearth.find("[DATE] frontend fe (#2): invalid request\n"
                        "  backend <NONE> (#-1), server <NONE> (#-1), event #2, src "
                        "127.0.0.1:PORT\n  len 50, error at position 28\n  \n"
                        "  00000  GET / HTTP/1.1\\r\\n\n  00016  Host: x\\r\\n\n"
                        "  00025  Bad Header: z\\r\\n\n  00040  X-A: 1\\r\\n\n  00048  \\r\\n\n"),
            std::string::npos)
      << hearth;
  EXPECT_NE(hearth.find("[DATE] backend be (#3): invalid response\n"
                        "  frontend fe (#2), server s1 (#1), event #1, src 127.0.0.1:PORT\n"
                        "  len 53, error at position 39\n"),
            std::string::npos)
      << hearth;
  EXPECT_NE(hearth.find("No such proxy.\n\n"), std::string::npos) << hearth;
}

}  // namespace
}  // namespace hearth::test::http
