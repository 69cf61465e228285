// Syslog targets through the real binary: the exact bytes each format sends
// to a UDP listener (compared with what HAProxy 2.6 sends for the same
// configuration; only the date and the pid differ), len, structured data,
// levels, sampling, the logging options, unix datagram sockets, stderr, and
// lines dropped when a target's buffer is full.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/client.h"
#include "support/datagram_listener.h"
#include "support/ports.h"
#include "support/unique_fd.h"
#include "support/wait.h"

namespace hearth::test {
namespace {

using std::chrono::milliseconds;

// Replaces the date and the pid of a received line, the parts that differ
// from one run to the next.
std::string masked(std::string line, pid_t pid) {
  static const std::regex iso(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}[+-]\d\d:\d\d)");
  static const std::regex legacy(R"([A-Z][a-z]{2} [ 1-3]\d \d\d:\d\d:\d\d)");
  line = std::regex_replace(line, iso, "ISO");
  line = std::regex_replace(line, legacy, "DATE");
  const std::string p = std::to_string(pid);
  for (size_t at; (at = line.find(p)) != std::string::npos;) line.replace(at, p.size(), "PID");
  return line;
}

struct Proxy {
  uint16_t port = free_tcp_port(), port2 = free_tcp_port();
  std::unique_ptr<HearthProcess> hearth;
  explicit Proxy(const std::string& cfg)
      : hearth(std::make_unique<HearthProcess>(
            expand(cfg, {{"PORT", std::to_string(port)}, {"PORT2", std::to_string(port2)}}),
            HearthOptions{.wait_ports = {port}})) {}
  int get(const std::string& path) { return http_status(http_get(port, path)); }
  pid_t pid() { return hearth->process().pid(); }
};

const char* const kFrontend =
    "defaults\n  mode http\n  timeout client 5s\n  timeout server 5s\n  timeout connect 5s\n"
    "frontend fe\n  bind 127.0.0.1:${PORT}\n  log global\n"
    "  log-format-sd \"[exampleSDID@1234 status=\\\"%ST\\\"]\"\n"
    "  log-format \"%ci %ST %b\"\n"
    "  http-request return status 200\n";

TEST(Syslog, EveryFormatAsHaproxySendsIt) {
  std::vector<DatagramListener> l(9);
  const char* const formats[] = {"",
                                 "format rfc3164 ",
                                 "format rfc5424 ",
                                 "format short ",
                                 "format raw ",
                                 "format iso ",
                                 "format timed ",
                                 "format priority ",
                                 "format local "};
  std::string global = "global\n";
  for (size_t i = 0; i < l.size(); ++i)
    global += "  log " + l[i].address() + " " + formats[i] + "local" + std::to_string(i % 8) + "\n";
  Proxy p(global + kFrontend);
  ASSERT_TRUE(p.hearth->ready()) << p.hearth->describe();
  ASSERT_EQ(p.get("/"), 200);
  const std::string want[] = {
      "<134>DATE haproxy[PID]: 127.0.0.1 200 fe\n",
      "<142>DATE localhost haproxy[PID]: 127.0.0.1 200 fe\n",
      "<150>1 ISO - haproxy PID - [exampleSDID@1234 status=\"200\"] 127.0.0.1 200 fe\n",
      "<6>127.0.0.1 200 fe\n",
      "127.0.0.1 200 fe\n",
      "ISO 127.0.0.1 200 fe\n",
      "<6>ISO 127.0.0.1 200 fe\n",
      "<190>127.0.0.1 200 fe\n",
      "<134>DATE haproxy[PID]: 127.0.0.1 200 fe\n",
  };
  for (size_t i = 0; i < l.size(); ++i) {
    auto got = l[i].next();
    ASSERT_TRUE(got) << formats[i];
    EXPECT_EQ(masked(*got, p.pid()), want[i]) << formats[i];
  }
}

// log-send-hostname makes rfc3164 the default format and fills the hostname;
// log-tag names the program, a proxy's own log-tag wins for its lines.
TEST(Syslog, HostnameAndTag) {
  DatagramListener def, rfc5424, own;
  Proxy p("global\n  log-send-hostname edge1\n  log-tag web\n  log " + def.address() +
          " local0\n  log " + rfc5424.address() + " format rfc5424 local0\n" + kFrontend +
          "frontend fe2\n  bind 127.0.0.1:${PORT2}\n  log-tag other\n  log " + own.address() +
          " local1\n");
  ASSERT_TRUE(p.hearth->ready()) << p.hearth->describe();
  ASSERT_EQ(p.get("/"), 200);
  auto a = def.next(), b = rfc5424.next();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(masked(*a, p.pid()), "<134>DATE edge1 web[PID]: 127.0.0.1 200 fe\n");
  EXPECT_EQ(masked(*b, p.pid()),
            "<134>1 ISO edge1 web PID - [exampleSDID@1234 status=\"200\"] 127.0.0.1 200 fe\n");
  EXPECT_TRUE(own.none_within(milliseconds{200}));  // fe2 saw no traffic
}

// len cuts the line; the newline comes after it on a datagram and within it
// on a file descriptor; a structured-data field that does not fit is left
// out with the text, as HAProxy.
TEST(Syslog, LenTruncates) {
  DatagramListener raw, rfc, sd_cut, def;
  std::string fe = kFrontend;
  fe.replace(fe.find("%ci %ST %b"), 10, "%ci %ST %b " + std::string(1500, 'a'));
  Proxy p("global\n  log-tag t\n  log " + def.address() + " format raw local0\n  log " +
          raw.address() + " len 80 format raw local0\n  log " + rfc.address() +
          " len 200 format rfc5424 local0\n  log " + sd_cut.address() +
          " len 80 format rfc5424 local0\n  log stderr len 80 format raw local0\n" + fe);
  ASSERT_TRUE(p.hearth->ready()) << p.hearth->describe();
  ASSERT_EQ(p.get("/"), 200);
  const std::string text = "127.0.0.1 200 fe " + std::string(1500, 'a');
  auto a = raw.next(), b = rfc.next(), c = sd_cut.next(), d = def.next();
  ASSERT_TRUE(a && b && c && d);
  // The default len, 1024, is also the size of the line HAProxy renders: one
  // byte is kept for the end of the string, so 1023 bytes of text.
  EXPECT_EQ(*d, text.substr(0, 1023) + "\n");
  EXPECT_EQ(*a, text.substr(0, 80) + "\n");
  const std::string hdr = "<134>1 ISO - t PID - [exampleSDID@1234 status=\"200\"] ";
  EXPECT_EQ(masked(*b, p.pid()).substr(0, hdr.size()), hdr);
  EXPECT_EQ(b->size(), 201u);
  EXPECT_EQ(masked(*c, p.pid()), "<134>1 ISO - t PID - \n");
  EXPECT_TRUE(wait_until(
      [&] { return p.hearth->output().find(text.substr(0, 79) + "\n") != std::string::npos; },
      milliseconds{3000}))
      << p.hearth->output();
  EXPECT_EQ(p.hearth->output().find(text.substr(0, 80)), std::string::npos);
}

// option log-separate-errors sends errors at err; LEVEL filters, MINLEVEL
// lowers the urgency of what is more urgent; sample keeps lines 1 and 3 of
// each 4; option dontlog-normal keeps errors only; "no log" drops the
// defaults' targets.
TEST(Syslog, LevelsSamplingAndOptions) {
  DatagramListener all, errs, capped, sampled, inherited;
  Proxy p("global\n  log " + inherited.address() +
          " local3\n"
          "defaults\n  mode http\n  log global\n  timeout client 5s\n  timeout server 5s\n"
          "  timeout connect 5s\n  log-format \"%ST %HP\"\n"
          "frontend fe\n  bind 127.0.0.1:${PORT}\n  option log-separate-errors\n"
          "  log " +
          all.address() + " local0\n  log " + errs.address() + " local0 err\n  log " +
          capped.address() + " local0 debug notice\n  log " + sampled.address() +
          " sample 1,3:4 local0\n"
          "  http-request return status 503 if { path /dead }\n"
          "  http-request return status 200\n");
  ASSERT_TRUE(p.hearth->ready()) << p.hearth->describe();
  for (const char* path : {"/a", "/dead", "/b", "/c", "/d"}) ASSERT_GT(p.get(path), 0);
  auto next = [&](DatagramListener& l) { return masked(l.next().value_or("none"), p.pid()); };
  for (const char* want :
       {"<134>DATE haproxy[PID]: 200 /a\n", "<131>DATE haproxy[PID]: 503 /dead\n",
        "<134>DATE haproxy[PID]: 200 /b\n", "<134>DATE haproxy[PID]: 200 /c\n",
        "<134>DATE haproxy[PID]: 200 /d\n"})
    EXPECT_EQ(next(all), want);
  EXPECT_EQ(next(errs), "<131>DATE haproxy[PID]: 503 /dead\n");
  EXPECT_TRUE(errs.none_within(milliseconds{100}));
  EXPECT_EQ(next(capped), "<134>DATE haproxy[PID]: 200 /a\n");
  EXPECT_EQ(next(capped), "<133>DATE haproxy[PID]: 503 /dead\n");  // err sent as notice
  EXPECT_EQ(next(sampled), "<134>DATE haproxy[PID]: 200 /a\n");
  EXPECT_EQ(next(sampled), "<134>DATE haproxy[PID]: 200 /b\n");
  EXPECT_EQ(next(sampled), "<134>DATE haproxy[PID]: 200 /d\n");
  EXPECT_TRUE(sampled.none_within(milliseconds{100}));
  EXPECT_EQ(next(inherited), "<158>DATE haproxy[PID]: 200 /a\n");
  EXPECT_EQ(next(inherited), "<155>DATE haproxy[PID]: 503 /dead\n");
}

TEST(Syslog, DontlogNormalAndNoLog) {
  DatagramListener normal, inherited;
  Proxy p("global\n  log " + inherited.address() +
          " local3\n"
          "defaults\n  mode http\n  log global\n  timeout client 5s\n  timeout server 5s\n"
          "  timeout connect 5s\n  log-format \"%ST %HP\"\n"
          "frontend fe\n  bind 127.0.0.1:${PORT}\n  no log\n  log " +
          normal.address() +
          " format short local1\n  option dontlog-normal\n"
          "  http-request return status 503 if { path /dead }\n"
          "  http-request return status 200\n");
  ASSERT_TRUE(p.hearth->ready()) << p.hearth->describe();
  for (const char* path : {"/a", "/dead", "/b"}) ASSERT_GT(p.get(path), 0);
  EXPECT_EQ(normal.next().value_or("none"), "<6>503 /dead\n");
  EXPECT_TRUE(normal.none_within(milliseconds{200}));
  EXPECT_TRUE(inherited.none_within(milliseconds{100}));
}

// A unix datagram socket receives the lines; once its queue is full the
// lines are dropped without blocking and counted in DroppedLogs; a socket
// nobody listens on loses lines and hearth keeps serving.
TEST(Syslog, UnixSocketDropsWhenFull) {
  TempDir dir;
  DatagramListener sock(dir.file("log.sock"), 1);
  ASSERT_TRUE(sock.valid());
  const std::string stats = dir.file("stats.sock");
  Proxy p("global\n  stats socket " + stats + " level admin\n  log unix@" + dir.file("log.sock") +
          " format short local0\n  log " + dir.file("nobody.sock") + " local0\n" + kFrontend);
  ASSERT_TRUE(p.hearth->ready()) << p.hearth->describe();
  ASSERT_EQ(p.get("/"), 200);
  EXPECT_EQ(sock.next().value_or("none"), "<6>127.0.0.1 200 fe\n");
  for (int i = 0; i < 40; ++i) ASSERT_EQ(p.get("/"), 200) << i;  // nobody reads now
  auto field = [&](const std::string& text, const std::string& name) {
    const size_t at = text.find(name);
    return at == std::string::npos ? -1 : std::stoll(text.substr(at + name.size()));
  };
  const std::string info = http::stats_command(stats, "show info");
  EXPECT_GT(field(info, "\nDroppedLogs: "), 0) << info;
  const std::string metrics = http::stats_command(stats, "show metrics");
  EXPECT_EQ(field(metrics, "\nhearth_dropped_logs_total "), field(info, "\nDroppedLogs: "));
  EXPECT_EQ(field(metrics, "\nhearth_log_send_errors_total "), 41) << metrics;
}

// A TCP session's line goes to the targets too; a refused server connection
// is an error (termination SC), sent at err under option log-separate-errors.
TEST(Syslog, TcpSessionErrorAtErr) {
  DatagramListener l;
  const uint16_t dead = free_tcp_port();  // nothing listens there
  Proxy p(
      "defaults\n  mode tcp\n  timeout client 5s\n  timeout server 5s\n"
      "  timeout connect 5s\n  retries 0\n"
      "frontend fe\n  bind 127.0.0.1:${PORT}\n  option tcplog\n  option log-separate-errors\n"
      "  log " +
      l.address() +
      " format short local0\n  default_backend be\n"
      "backend be\n  server s1 127.0.0.1:" +
      std::to_string(dead) + "\n");
  ASSERT_TRUE(p.hearth->ready()) << p.hearth->describe();
  UniqueFd fd(connect_tcp(p.port));
  ASSERT_TRUE(fd.valid());
  EXPECT_TRUE(peer_closed(fd.get()));
  auto got = l.next();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->substr(0, 3), "<3>") << *got;
  EXPECT_NE(got->find(" fe be/s1 "), std::string::npos) << *got;
  EXPECT_NE(got->find(" SC "), std::string::npos) << *got;
}

}  // namespace
}  // namespace hearth::test
