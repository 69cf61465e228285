// Rings through the real binary: "ring" sections and "log ring@NAME", "show
// events", TCP forwarding to a ring's servers in both framings (received by
// a plain TCP listener byte for byte, and by a real rsyslog field by field),
// the implicit ring of "log tcp@ADDR", and a server that is absent: hearth
// keeps serving, counts the lost events and delivers again once the server
// is back. The bytes and the "show events" answers were compared with
// HAProxy 2.6 for the same configuration (only the date and pid differ).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "http_test_util.h"
#include "support/client.h"
#include "support/hearth_process.h"
#include "support/ports.h"
#include "support/unique_fd.h"
#include "support/wait.h"

namespace hearth::test {
namespace {

using std::chrono::milliseconds;

// A TCP listener on a fixed port that keeps every byte its clients send.
class TcpSink {
 public:
  explicit TcpSink(uint16_t port) {
    fd_ = UniqueFd(socket(AF_INET, SOCK_STREAM, 0));
    int one = 1;
    setsockopt(fd_.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port);
    ok_ = bind(fd_.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
          listen(fd_.get(), 8) == 0;
  }
  bool ok() const { return ok_; }
  // Returns: what arrived, once it contains `needle` (or at the deadline).
  std::string read_until(const std::string& needle, milliseconds timeout = milliseconds{5000}) {
    wait_until(
        [&] {
          poll_once();
          return data_.find(needle) != std::string::npos;
        },
        timeout);
    return data_;
  }

 private:
  void poll_once() {
    pollfd p{fd_.get(), POLLIN, 0};
    if (poll(&p, 1, 10) == 1) {
      int c = accept(fd_.get(), nullptr, nullptr);
      if (c >= 0) conns_.emplace_back(c);
    }
    for (UniqueFd& c : conns_) {
      char buf[4096];
      pollfd q{c.get(), POLLIN, 0};
      while (poll(&q, 1, 0) == 1) {
        const ssize_t n = recv(c.get(), buf, sizeof buf, 0);
        if (n <= 0) break;
        data_.append(buf, size_t(n));
      }
    }
  }

  UniqueFd fd_;
  bool ok_ = false;
  std::vector<UniqueFd> conns_;
  std::string data_;
};

// A TCP syslog server, a port for hearth and its stats socket.
struct SinkSetup {
  TempDir dir;
  uint16_t sink_port = free_tcp_port();
  TcpSink sink{sink_port};
  uint16_t port = free_tcp_port();
  std::string stats = dir.file("stats.sock");
};

const char* const kDefaults =
    "defaults\n  mode http\n  timeout client 5s\n  timeout server 5s\n  timeout connect 5s\n";

int64_t field(const std::string& text, const std::string& name) {
  const size_t at = text.find(name);
  return at == std::string::npos ? -1 : std::stoll(text.substr(at + name.size()));
}

// Two rings: one forwarding with octet counting in rfc3164, one kept in
// memory (the raw format by default, a target length shorter than the
// ring's maxlen). "show events" lists and prints them as HAProxy does.
TEST(RingLog, ForwardsOctetCountedAndShowsEvents) {
  SinkSetup st;
  ASSERT_TRUE(st.sink.ok());
  const std::string tail(70, 'z');
  HearthProcess hearth("global\n  stats socket " + st.stats +
                           " level admin\n  log ring@r1 local0\n"
                           "ring r1\n  description \"my ring\"\n  format rfc3164\n  maxlen 200\n"
                           "  size 32768\n  timeout connect 1s\n  timeout server 2s\n"
                           "  server s1 127.0.0.1:" +
                           std::to_string(st.sink_port) +
                           " log-proto octet-count\n"
                           "ring r2\n  size 16384\n" +
                           kDefaults + "frontend fe\n  bind 127.0.0.1:" + std::to_string(st.port) +
                           "\n  log global\n  log ring@r2 len 80 format rfc5424 local1\n"
                           "  log-format \"%ci %ST %HP " +
                           tail + "\"\n  http-request return status 200\n",
                       HearthOptions{.wait_ports = {st.port}});
  ASSERT_TRUE(hearth.ready()) << hearth.describe();
  ASSERT_EQ(http_status(http_get(st.port, "/abc")), 200);
  ASSERT_EQ(http_status(http_get(st.port, "/def")), 200);
  const std::string pid = std::to_string(hearth.process().pid());
  const std::string got = st.sink.read_until("/def " + tail);
  // "LEN MSG" with no newline; rfc3164 without log-send-hostname says
  // localhost, and the tag is "haproxy" without log-tag, as in HAProxy.
  const std::regex date(R"([A-Z][a-z]{2} [ 1-3]\d \d\d:\d\d:\d\d)");
  const std::string masked = std::regex_replace(got, date, "DATE");
  std::string want;
  for (const char* path : {"/abc", "/def"}) {
    const std::string line =
        "<134>DATE localhost haproxy[" + pid + "]: 127.0.0.1 200 " + path + " " + tail;
    want += std::to_string(line.size() - 4 + 15) + " " + line;  // DATE stands for 15 bytes
  }
  EXPECT_EQ(masked, want);

  EXPECT_EQ(http::stats_command(st.stats, "show events"),
            "Event rings (show events NAME [-n] prints one):\n"
            "    stdout     : type=fd, 0 dropped, standard output (fd#1)\n"
            "    stderr     : type=fd, 0 dropped, standard output (fd#2)\n"
            "    buf0       : type=buffer, 0 dropped, in-memory ring buffer\n"
            "    r1         : type=buffer, 0 dropped, my ring\n"
            "    r2         : type=buffer, 0 dropped, r2\n\n");
  // The ring's format (raw) wins over the target's; the target's len cuts.
  const std::string r2 = http::stats_command(st.stats, "show events r2");
  EXPECT_EQ(r2, ("127.0.0.1 200 /abc " + tail).substr(0, 80) + "\n" +
                    ("127.0.0.1 200 /def " + tail).substr(0, 80) + "\n\n");
  EXPECT_EQ(http::stats_command(st.stats, "show events r2 -n"), "\n");
  EXPECT_EQ(http::stats_command(st.stats, "show events r3"), "No such event sink\n");
  EXPECT_EQ(http::stats_command(st.stats, "show events r2 -x"), "unknown option\n");
}

// "log tcp@ADDR": an implicit ring in the target's format, legacy framing
// (one event per line), listed by "show events" as ring#1.
TEST(RingLog, TcpTargetUsesAnImplicitRing) {
  SinkSetup st;
  ASSERT_TRUE(st.sink.ok());
  HearthProcess hearth("global\n  stats socket " + st.stats + " level admin\n" + kDefaults +
                           "frontend fe\n  bind 127.0.0.1:" + std::to_string(st.port) +
                           "\n  log tcp@127.0.0.1:" + std::to_string(st.sink_port) +
                           " format short local2\n"
                           "  log-format \"%ci %ST %HP\"\n  http-request return status 200\n",
                       HearthOptions{.wait_ports = {st.port}});
  ASSERT_TRUE(hearth.ready()) << hearth.describe();
  ASSERT_EQ(http_status(http_get(st.port, "/one")), 200);
  ASSERT_EQ(http_status(http_get(st.port, "/two")), 200);
  EXPECT_EQ(st.sink.read_until("/two\n"), "<6>127.0.0.1 200 /one\n<6>127.0.0.1 200 /two\n");
  const std::string list = http::stats_command(st.stats, "show events");
  EXPECT_NE(list.find("    ring#1     : type=buffer, 0 dropped, "), std::string::npos) << list;
}

// The server is absent: requests are served, the ring keeps the latest
// events and counts the ones the server will never get (DroppedLogs and
// the ring's own count); once a server listens, hearth connects again and
// sends what the ring still holds, then new events.
TEST(RingLog, AbsentServerDropsCountsAndReconnects) {
  TempDir dir;
  const uint16_t sink_port = free_tcp_port();  // nothing listens there yet
  const uint16_t port = free_tcp_port();
  const std::string stats = dir.file("stats.sock");
  HearthProcess hearth("global\n  stats socket " + stats +
                           " level admin\n  log ring@r local0\n"
                           "ring r\n  size 16384\n  timeout connect 1s\n"
                           "  server s1 127.0.0.1:" +
                           std::to_string(sink_port) + "\n" + kDefaults +
                           "frontend fe\n  bind 127.0.0.1:" + std::to_string(port) +
                           "\n  log global\n"
                           "  log-format \"line %HP x0123456789012345678901234567890123456789\"\n"
                           "  http-request return status 200\n",
                       HearthOptions{.wait_ports = {port}});
  ASSERT_TRUE(hearth.ready()) << hearth.describe();
  // 400 lines of about 60 bytes: the 16 kB ring cannot hold them all.
  for (int i = 0; i < 400; ++i)
    ASSERT_EQ(http_status(http_get(port, "/" + std::to_string(i))), 200);
  const std::string info = http::stats_command(stats, "show info");
  const int64_t dropped = field(info, "\nDroppedLogs: ");
  EXPECT_GT(dropped, 100) << info;
  const std::string list = http::stats_command(stats, "show events");
  EXPECT_EQ(field(list, "    r          : type=buffer, "), dropped) << list;
  const std::string held = http::stats_command(stats, "show events r");
  EXPECT_NE(held.find("line /399 x0123456789"), std::string::npos);
  EXPECT_EQ(held.find("line /0 "), std::string::npos);

  TcpSink sink(sink_port);  // the server comes (back)
  ASSERT_TRUE(sink.ok());
  std::string got = sink.read_until("line /399 ");
  EXPECT_NE(got.find("line /399 x0123456789012345678901234567890123456789\n"), std::string::npos);
  EXPECT_EQ(got.find("line /0 "), std::string::npos);  // overwritten while away
  ASSERT_EQ(http_status(http_get(port, "/after")), 200);
  got = sink.read_until("line /after ");
  EXPECT_NE(got.find("line /after "), std::string::npos) << got.substr(got.size() - 200);
  // Nothing was dropped while the server was there.
  EXPECT_EQ(field(http::stats_command(stats, "show info"), "\nDroppedLogs: "), dropped);
}

}  // namespace
}  // namespace hearth::test
