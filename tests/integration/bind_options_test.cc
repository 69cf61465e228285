// Bind options through the real binary: so_name/so_id compared with HAProxy
// on one configuration, a bind line's maxconn holding further connections in
// the backlog, the backlog itself (ss), v6only and v4v6.
#include <gtest/gtest.h>
#include <poll.h>

#include <memory>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/command.h"
#include "support/ports.h"

namespace hearth::test::http {
namespace {

const char kDefaults[] =
    "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n  timeout server 5s\n";

std::string ids_config(const std::vector<uint16_t>& p) {
  auto at = [&p](size_t i) { return "127.0.0.1:" + std::to_string(p[i]); };
  return std::string(kDefaults) + "frontend fe\n  bind " + at(0) + "," + at(1) + "\n  bind " +
         at(2) + " name x\n  bind " + at(3) + " id 7\n  bind " + at(4) +
         "\n  http-request return status 200 hdr id \"%[so_id]\" hdr nm \"%[so_name]\"\n"
         "frontend fe2\n  bind " +
         at(5) + " name solo\n  http-request return status 200 hdr id \"%[so_id]/%[so_name]\"\n";
}

TEST(BindOptions, SocketNamesAndIdsAsHAProxy) {
  std::vector<std::vector<std::string>> runs;
  for (const std::string binary : {"", "haproxy"}) {
    std::vector<uint16_t> ports;
    for (int i = 0; i < 6; ++i) ports.push_back(free_tcp_port());
    HearthOptions opt{.wait_ports = ports};
    if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
    HearthProcess h(ids_config(ports), opt);
    ASSERT_TRUE(h.ready()) << binary << ": " << h.describe();
    std::vector<std::string> seen;
    for (uint16_t port : ports) {
      HttpClient c(port);
      ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nhost: a\r\n\r\n"));
      auto r = c.read_response();
      seen.push_back(r.header("id").value_or("-") + " " + r.header("nm").value_or("-"));
    }
    runs.push_back(seen);
  }
  EXPECT_EQ(runs[0], runs[1]);
  EXPECT_EQ(runs[0], (std::vector<std::string>{"1 -", "2 -", "3 x", "7 -", "5 -", "1/solo -"}));
}

TEST(BindOptions, MaxconnHoldsFurtherConnectionsUntilOneCloses) {
  const uint16_t port = free_tcp_port();
  HearthProcess h(std::string(kDefaults) + "frontend fe\n  bind 127.0.0.1:" + std::to_string(port) +
                      " maxconn 1\n  http-request return status 200 hdr x ok\n",
                  HearthOptions{.wait_ports = {port}});
  ASSERT_TRUE(h.ready()) << h.describe();
  auto first = std::make_unique<HttpClient>(port);
  ASSERT_TRUE(first->send("GET / HTTP/1.1\r\nhost: a\r\n\r\n"));
  EXPECT_EQ(first->read_response().status, 200);
  // The second connection completes its handshake in the kernel's backlog
  // but is not accepted while the first stays open.
  HttpClient second(port);
  ASSERT_TRUE(second.send("GET / HTTP/1.1\r\nhost: a\r\n\r\n"));
  pollfd pfd{second.fd(), POLLIN, 0};
  EXPECT_EQ(poll(&pfd, 1, 300), 0);
  first.reset();  // closing the first lets the second in
  EXPECT_EQ(second.read_response().status, 200);
}

TEST(BindOptions, BacklogIsTheListenQueueLength) {
  const uint16_t port = free_tcp_port();
  HearthProcess h(std::string(kDefaults) + "frontend fe\n  bind 127.0.0.1:" + std::to_string(port) +
                      " backlog 37\n  http-request return status 200\n",
                  HearthOptions{.wait_ports = {port}});
  ASSERT_TRUE(h.ready()) << h.describe();
  // ss shows a listening socket's backlog in its Send-Q column.
  CommandResult r = run_command({"ss", "-Hltn", "sport = :" + std::to_string(port)});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find(" 37 "), std::string::npos) << r.output;
}

TEST(BindOptions, V6onlyRefusesIpv4AndV4v6AcceptsIt) {
  for (const std::string opt : {"v6only", "v4v6"}) {
    const uint16_t port = free_tcp_port();
    HearthProcess h(std::string(kDefaults) + "frontend fe\n  bind :::" + std::to_string(port) +
                        " " + opt + "\n  http-request return status 200\n",
                    HearthOptions{.wait_ports = {port}});
    ASSERT_TRUE(h.ready()) << h.describe();
    HttpClient c(port);  // 127.0.0.1
    const bool served =
        c.send("GET / HTTP/1.1\r\nhost: a\r\n\r\n") && c.read_response().status == 200;
    EXPECT_EQ(served, opt == "v4v6") << opt;
  }
}

}  // namespace
}  // namespace hearth::test::http
