// Rules that end a connection without an answer, through the real binary and
// through HAProxy 2.6 with the same configuration: http-request reject (a
// close, logged "PR--" with no status), and silent-drop at every level it
// exists (http-request, http-response, tcp-request connection / session /
// content, tcp-response content): the client gets no byte and no FIN, only a
// reset or nothing at all (nothing when the process may put the socket in
// TCP repair mode, as root can).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http_test_util.h"
#include "tcp_test_util.h"

namespace hearth::test::tcp {
namespace {

// How long a dropped client waits to see that nothing comes: a FIN or an
// answer from a loopback peer would arrive long before.
constexpr milliseconds kQuiet{800};

// A dropped connection: no byte, and no orderly close (a reset, or still open).
void expect_dropped(const Outcome& o, const std::string& what) {
  EXPECT_EQ(o.bytes, "") << what;
  EXPECT_TRUE(!o.closed || o.reset) << what << ": closed with a FIN";
}

std::string http_config(uint16_t port, uint16_t be_port) {
  return "global\n  log stdout format raw local0\n"
         "defaults\n  mode http\n  log global\n"
         "  log-format \"rule %ST %tsc %HP\"\n"
         "  timeout connect 2s\n  timeout client 10s\n  timeout server 10s\n"
         "frontend fe\n  bind 127.0.0.1:" +
         std::to_string(port) +
         "\n  http-request reject if { path /reject }\n"
         "  http-request silent-drop if { path /drop }\n"
         "  http-request set-var(txn.path) path\n"
         "  http-response silent-drop if { var(txn.path) -m str /res-drop }\n"
         "  default_backend be\n"
         "backend be\n  server s 127.0.0.1:" +
         std::to_string(be_port) + "\n";
}

// Each client on its own connection, all sent first so the quiet periods overlap.
std::vector<Outcome> send_each(uint16_t port, const std::vector<std::string>& requests) {
  std::vector<UniqueFd> fds;
  for (const std::string& r : requests) {
    fds.emplace_back(connect_from("127.0.0.1", port));
    EXPECT_TRUE(send_all(fds.back().get(), r)) << r;
  }
  std::vector<Outcome> out;
  for (UniqueFd& fd : fds) out.push_back(drain(fd.get(), kQuiet));
  return out;
}

std::string get(const std::string& path) { return "GET " + path + " HTTP/1.1\r\nhost: x\r\n\r\n"; }

TEST(DropRules, HttpRejectAndSilentDropMatchHAProxy) {
  http::HttpBackend backend;
  for (const std::string binary : kBinaries) {
    const uint16_t port = free_tcp_port();
    HearthProcess h(http_config(port, backend.port()), options_for(binary, port));
    ASSERT_TRUE(h.ready()) << name_of(binary) << ": " << h.describe();
    const std::string who = name_of(binary);
    const std::vector<Outcome> o =
        send_each(port, {get("/reject"), get("/drop"), get("/res-drop"), get("/pass")});
    // reject: an orderly close, nothing sent.
    EXPECT_EQ(o[0].bytes, "") << who;
    EXPECT_TRUE(o[0].closed) << who;
    EXPECT_FALSE(o[0].reset) << who;
    expect_dropped(o[1], who + " http-request silent-drop");
    expect_dropped(o[2], who + " http-response silent-drop");
    EXPECT_EQ(o[3].bytes.substr(0, 15), "HTTP/1.1 200 OK") << who;
    // Logged as a proxy-side condition during the request.
    for (const char* line : {"rule -1 PR-- /reject", "rule -1 PR-- /drop", "rule 200 ---- /pass"})
      EXPECT_EQ(wait_log_line(h, {line}), line) << who << "\n" << h.output();
    // The response drop keeps the server's status: HAProxy 2.6.12 logged
    // "200 PR--" by hand (a Python backend), but with this backend its line
    // did not come within the wait, so only Hearth's is checked.
    if (binary.empty()) {
      EXPECT_EQ(wait_log_line(h, {"/res-drop"}), "rule 200 PR-- /res-drop") << h.output();
    }
  }
}

TEST(DropRules, TcpSilentDropAtEveryLevelMatchesHAProxy) {
  for (const std::string binary : kBinaries) {
    EchoServer echo;
    const uint16_t port = free_tcp_port();
    const std::string cfg =
        "defaults\n  mode tcp\n  timeout connect 2s\n  timeout client 10s\n"
        "  timeout server 10s\n"
        "frontend fe\n  bind 127.0.0.1:" +
        std::to_string(port) +
        "\n  tcp-request connection silent-drop if { src 127.0.0.2 }\n"
        "  tcp-request session silent-drop if { src 127.0.0.3 }\n"
        "  tcp-request inspect-delay 5s\n"
        "  tcp-request content silent-drop if { req.payload(0,4) -m str DROP }\n"
        "  tcp-request content accept if { req.len ge 4 }\n"
        "  default_backend be\nbackend be\n"
        "  tcp-response inspect-delay 5s\n"
        "  tcp-response content silent-drop if { res.payload(0,4) -m str RDRP }\n"
        "  tcp-response content accept if { res.len ge 4 }\n"
        "  server s 127.0.0.1:" +
        std::to_string(echo.port()) + "\n";
    HearthProcess h(cfg, options_for(binary, port));
    ASSERT_TRUE(h.ready()) << name_of(binary) << ": " << h.describe();
    const std::string who = name_of(binary);
    std::vector<UniqueFd> fds;
    fds.emplace_back(connect_from("127.0.0.2", port));
    fds.emplace_back(connect_from("127.0.0.3", port));
    fds.emplace_back(connect_from("127.0.0.1", port));
    fds.emplace_back(connect_from("127.0.0.1", port));
    for (const UniqueFd& fd : fds) ASSERT_GE(fd.get(), 0) << who;
    // The first two send nothing: a send would consume a reset's report.
    ASSERT_TRUE(send_all(fds[2].get(), "DROP"));
    ASSERT_TRUE(send_all(fds[3].get(), "RDRP"));  // echoed back: the response rule drops
    const char* const what[] = {"connection", "session", "content", "response"};
    for (size_t i = 0; i < fds.size(); ++i)
      expect_dropped(drain(fds[i].get(), kQuiet), who + " " + what[i]);
    UniqueFd ok(connect_from("127.0.0.1", port));
    ASSERT_TRUE(send_all(ok.get(), "GOOD"));
    EXPECT_EQ(recv_n(ok.get(), 4, milliseconds{5000}), "GOOD") << who;
    EXPECT_EQ(echo.accepted(), 2u) << who;  // the response drop's and GOOD's
  }
}

}  // namespace
}  // namespace hearth::test::tcp
