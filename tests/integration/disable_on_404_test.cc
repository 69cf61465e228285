// http-check disable-on-404 side by side with haproxy 2.6: one checked
// server whose health-check answer changes (200, 404, 500...). A 404 from a
// server that is not DOWN passes conditionally (L7OKC) and stops it (NOLB),
// a 2xx brings it back UP, and a DOWN server stays DOWN on a 404. The same
// show stat columns and log lines are expected from both.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "health_line_mask.h"
#include "http_test_util.h"
#include "stat_csv.h"
#include "support/client.h"
#include "support/datagram_listener.h"
#include "support/hearth_process.h"
#include "support/ports.h"
#include "support/scripted_server.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace hearth::test {
namespace {

using std::chrono::milliseconds;

// A server answering each check with the status `status` holds, and closing.
class StatusServer {
 public:
  StatusServer()
      : server_([this](int fd) {
          std::string req;
          char buf[1024];
          while (req.find("\r\n\r\n") == std::string::npos) {
            const ssize_t n = recv(fd, buf, sizeof buf, 0);
            if (n <= 0) return;
            req.append(buf, size_t(n));
          }
          const int st = status.load();
          const std::string reason = st == 200 ? "OK" : st == 404 ? "Not Found" : "Server Error";
          send_all(fd,
                   "HTTP/1.1 " + std::to_string(st) + " " + reason +
                       "\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                   milliseconds{1000});
        }) {}
  uint16_t port() const { return server_.port(); }
  std::atomic<int> status{200};

 private:
  ScriptedServer server_;
};

struct Step {
  int answer;          // what the server answers from now on
  const char* status;  // show stat's status to wait for
  const char* code;    // and check_code
};

// Runs `binary` ("" = hearth) through the steps. Returns: per step, the
// status, check_status and check_code columns; then the log lines.
std::vector<std::string> run(const std::string& binary, bool log_checks) {
  StatusServer server;
  TempDir dir;
  DatagramListener logs;
  const std::string sock = dir.file("s.sock");
  const std::string cfg =
      "global\n  stats socket " + sock +
      " level admin\n"
      "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n  timeout server 5s\n"
      "backend b\n  log " +
      logs.address() + " local0\n  option httpchk GET /health\n  http-check disable-on-404\n" +
      (log_checks ? "  option log-health-checks\n" : "") +
      "  server s1 127.0.0.1:" + std::to_string(server.port()) +
      " check inter 150ms rise 2 fall 2\n";
  HearthOptions o;
  if (!binary.empty()) {
    o.binary = binary;
    o.extra_args = {"-db"};
  }
  HearthProcess p(cfg, o);
  std::vector<std::string> out;
  if (!p.ready()) {
    ADD_FAILURE() << p.describe();
    return out;
  }
  const Step steps[] = {{200, "UP", "200"},   {404, "NOLB", "404"}, {404, "NOLB", "404"},
                        {200, "UP", "200"},   {404, "NOLB", "404"}, {500, "DOWN", "500"},
                        {404, "DOWN", "404"}, {200, "UP", "200"}};
  for (const Step& s : steps) {
    server.status.store(s.answer);
    std::map<std::string, std::string> row;
    const bool reached = wait_until(
        [&] {
          row = stat_row(sock, "b", "s1");
          return row["status"] == s.status && row["check_code"] == s.code;
        },
        milliseconds{5000});
    EXPECT_TRUE(reached) << binary << ": " << s.answer << " never gave " << s.status << "/"
                         << s.code << " (" << row["status"] << "/" << row["check_code"] << ")";
    out.push_back(row["status"] + " " + row["check_status"] + " " + row["check_code"]);
  }
  // A 404 while stopping changes nothing and logs nothing: the lines so far.
  while (auto line = logs.next(milliseconds{300})) out.push_back(masked(*line));
  p.stop();
  return out;
}

TEST(DisableOn404VsHAProxy, StopsOnA404AndComesBackOnA2xx) {
  for (bool log_checks : {false, true}) {
    SCOPED_TRACE(log_checks ? "log-health-checks" : "plain");
    const std::vector<std::string> theirs = run("haproxy", log_checks);
    const std::vector<std::string> ours = run("", log_checks);
    EXPECT_EQ(ours, theirs);
    ASSERT_GT(ours.size(), 2u);
    EXPECT_EQ(ours[1], "NOLB L7OKC 404");
  }
}

}  // namespace
}  // namespace hearth::test
