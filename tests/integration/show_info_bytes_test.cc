// show info's TotalBytesOut and BytesOutRate against HAProxy 2.6 on the same
// configuration and traffic: both count every byte written to a socket, to
// clients and to servers alike, and the rate is the last second's.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <thread>

#include "http_test_util.h"
#include "show_info.h"
#include "support/ports.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

using namespace std::chrono_literals;

int64_t field(const std::string& sock, const char* name) {
  const std::string v = show_info(sock)[name];
  return v.empty() ? -1 : std::stoll(v);
}

struct Figures {
  int64_t before = 0, after = 0;  // TotalBytesOut around the traffic
  int64_t rate_now = 0;           // BytesOutRate just after it
  int64_t rate_later = 0;         // and once the second has passed
  std::string failed_resolutions;
};

TEST(ShowInfo, BytesOutCountsBothSidesAsHAProxy) {
  HttpBackend backend;
  const std::string upload(1 << 20, 'u');
  std::vector<Figures> runs;
  for (const std::string binary : {"", "haproxy"}) {
    TempDir dir;
    const uint16_t web = free_tcp_port();
    const std::string sock = dir.file("s.sock");
    const std::string cfg = "global\n  stats socket " + sock +
                            " level admin\n"
                            "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
                            "  timeout server 5s\n"
                            "frontend fe\n  bind 127.0.0.1:" +
                            std::to_string(web) +
                            "\n  default_backend be\n"
                            "backend be\n  server s1 127.0.0.1:" +
                            std::to_string(backend.port()) + "\n";
    HearthOptions opt{.wait_ports = {web}};
    if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
    HearthProcess h(cfg, opt);
    ASSERT_TRUE(h.ready()) << binary << h.describe();
    Figures f;
    // A quiet second first: the rate of the start-up probes has passed.
    ASSERT_TRUE(wait_until([&] { return field(sock, "BytesOutRate") < 8192; }, 3000ms))
        << binary << " " << stats_command(sock, "show info");
    f.failed_resolutions = show_info(sock)["FailedResolutions"];
    f.before = field(sock, "TotalBytesOut");
    {
      HttpClient c(web);
      ASSERT_TRUE(c.connected());
      // 1 MB to the server, 200,000 bytes back to the client.
      const HttpResponse up = c.request("POST", "/hash", {"content-type: text/plain"}, upload);
      ASSERT_EQ(up.status, 200) << binary;
      ASSERT_EQ(c.request("GET", "/size/200000").status, 200) << binary;
    }
    f.rate_now = field(sock, "BytesOutRate");
    f.after = field(sock, "TotalBytesOut");
    std::this_thread::sleep_for(2100ms);
    f.rate_later = field(sock, "BytesOutRate");
    runs.push_back(f);
  }
  const int64_t moved = int64_t(upload.size()) + 200000;
  for (size_t i = 0; i < runs.size(); ++i) {
    const Figures& f = runs[i];
    const char* who = i == 0 ? "hearth" : "haproxy";
    // Both payloads, their heads, and the first "show info" answer.
    EXPECT_GE(f.after - f.before, moved) << who;
    EXPECT_LE(f.after - f.before, moved + 8192) << who;
    EXPECT_GE(f.rate_now, moved * 9 / 10) << who;  // within the last second
    EXPECT_LT(f.rate_later, 8192) << who;          // gone two seconds later
    EXPECT_EQ(f.failed_resolutions, "0") << who;
  }
  // The same traffic, the same count, within the heads' and answers' sizes.
  EXPECT_LE(std::llabs((runs[0].after - runs[0].before) - (runs[1].after - runs[1].before)), 4096);
}

}  // namespace
}  // namespace hearth::test::http
