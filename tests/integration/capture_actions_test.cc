// capture and set-log-level rule actions, compared with HAProxy 2.6: the same
// configuration and requests through hearth and haproxy, both logging raw
// lines to stdout. Each request has its own path, so the lines are compared
// as sets (a silenced request writes nothing to wait for). The formats print
// %ST: with a format that needs only the request, haproxy 2.6 writes the
// line as soon as the request is analysed, sometimes twice and before the
// level is applied (seen with "L %HU"); Hearth logs once, at the end.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/output_lines.h"
#include "support/ports.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

// Runs `paths` (one connection each, then "/last", which must log) through
// `binary` ("" = hearth) with `global_log` and `proxy_lines` in a frontend
// whose log lines start with "L ". Returns: the sorted lines.
std::vector<std::string> run(const std::string& binary, const std::string& global_log,
                             const std::string& proxy_lines, const std::vector<std::string>& paths,
                             HttpBackend& backend) {
  const uint16_t port = free_tcp_port();
  const std::string cfg = "global\n  " + global_log +
                          "\ndefaults\n  mode http\n  log global\n  timeout client 5s\n"
                          "  timeout server 5s\n  timeout connect 5s\n"
                          "frontend fe\n  bind 127.0.0.1:" +
                          std::to_string(port) + "\n" + proxy_lines +
                          "  default_backend b\n"
                          "backend b\n  server s1 127.0.0.1:" +
                          std::to_string(backend.port()) + "\n";
  HearthOptions opt{.wait_ports = {port}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  HearthProcess h(cfg, opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  if (!h.ready()) return {};
  std::vector<std::string> all = paths;
  all.push_back("/last");
  for (const std::string& p : all) {
    HttpClient c(port);
    EXPECT_TRUE(c.send("GET " + p + " HTTP/1.1\r\nhost: h\r\nx-a: abcdefgh\r\n\r\n"));
    c.read_response();
  }
  std::vector<std::string> lines;
  wait_until(
      [&] {
        lines.clear();
        bool last = false;
        for (const std::string& l : lines_with(h.output(), {"L "})) {
          if (l.compare(0, 2, "L ") != 0) continue;
          lines.push_back(l);
          last = last || l.find(" /last") != std::string::npos;
        }
        return last;
      },
      milliseconds{3000});
  std::sort(lines.begin(), lines.end());
  return lines;
}

struct Case {
  const char* name;
  std::string global_log;
  std::string proxy_lines;
  std::vector<std::string> paths;
  std::vector<std::string> expected;  // the lines for `paths`, sorted ("/last" is checked apart)
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class CaptureActionsVsHAProxy : public ::testing::TestWithParam<Case> {};

TEST_P(CaptureActionsVsHAProxy, SameLines) {
  const Case& c = GetParam();
  HttpBackend backend;
  const auto ours = run("", c.global_log, c.proxy_lines, c.paths, backend);
  const auto theirs = run("haproxy", c.global_log, c.proxy_lines, c.paths, backend);
  EXPECT_EQ(ours, theirs);
  std::vector<std::string> without_last;
  for (const std::string& l : ours)
    if (l.find(" /last") == std::string::npos) without_last.push_back(l);
  EXPECT_EQ(without_last, c.expected);
}

// Slots numbered in declaration order across capture request header,
// declare capture and "http-request capture ... len"; values cut to the
// slot's length; a response slot filled by http-response and
// http-after-response rules; the slots read back by the fetches.
const std::string kCaptures =
    "  log-format \"L %HU hr=%hr hs=%hs c1=%[capture.req.hdr(1)] r0=%[capture.res.hdr(0)]\"\n"
    "  capture request header host len 20\n"
    "  http-request capture req.hdr(x-a) len 3\n"
    "  declare capture request len 5\n"
    "  http-request capture path id 2 if { path_beg /p }\n"
    "  http-response capture status id 0\n"
    "  http-after-response capture res.hdr(content-length) id 1\n"
    "  declare capture response len 2\n"
    "  declare capture response len 8\n"
    "  http-response capture res.hdr(content-length) id 1 if { path /q }\n";

// set-log-level: silent drops the line; other levels pass or not the
// global log line's level (notice here: the default info is dropped).
const std::string kLevels =
    "  log-format \"L %HU %ST\"\n"
    "  http-request set-log-level notice if { path_beg /n } || { path /last }\n"
    "  http-request set-log-level err if { path_beg /e }\n"
    "  http-request set-log-level debug if { path /e2 }\n"
    "  http-request set-log-level silent if { path /e3 }\n"
    "  http-request set-var(txn.p) path\n"
    "  http-response set-log-level warning if { var(txn.p) -m str /r }\n"
    "  http-response set-log-level info if { var(txn.p) -m str /n2 }\n";

INSTANTIATE_TEST_SUITE_P(
    Actions, CaptureActionsVsHAProxy,
    ::testing::Values(
        Case{"Captures",
             "log stdout format raw local0",
             kCaptures,
             {"/pathlonger", "/q"},
             {"L /pathlonger hr={h|abc|/path} hs={20|3} c1=abc r0=20",
              "L /q hr={h|abc|} hs={20|3} c1=abc r0=20"}},
        Case{
            "SilentHealth",
            "log stdout format raw local0",
            "  log-format \"L %HU %ST\"\n  http-request set-log-level silent if { path /health }\n",
            {"/health", "/a", "/health"},
            {"L /a 200"}},
        Case{"LevelsAgainstNotice",
             "log stdout format raw local0 notice",
             kLevels,
             {"/i", "/n", "/e", "/e2", "/e3", "/r", "/n2"},
             {"L /e 200", "L /n 200", "L /r 200"}},
        Case{"LevelsAgainstInfo",
             "log stdout format raw local0 info debug",
             kLevels,
             {"/i", "/e2", "/e3"},
             {"L /i 200"}}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace hearth::test::http
