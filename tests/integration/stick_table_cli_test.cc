// Stick tables through the runtime API, compared with HAProxy 2.6 command
// by command: the table list (HAProxy's order: the last declared first),
// set table on every key type and data kind (counters, byte counts, rates,
// arrays, server_id), show table with key and data filters, clear table by
// key, by filter and whole, and the error answers. Entry addresses and the
// exact milliseconds left before expiry differ by nature; they are masked.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"
#include "support/temp_dir.h"

namespace hearth::test::http {
namespace {

std::string masked(const std::string& out) {
  static const std::regex ptr("0x[0-9a-f]+:"), exp(" exp=[1-9][0-9]*");
  return std::regex_replace(std::regex_replace(out, ptr, "ENTRY:"), exp, " exp=LEFT");
}

const std::vector<std::string> kCommands = {
    "show table",
    "set table fe key 10.0.0.1 data.gpc0 5",
    "set table fe key 10.0.0.1 data.http_req_cnt 7",
    "set table fe key 10.0.0.2 data.bytes_in_cnt 99999999999",
    "set table fe key 10.0.0.3 data.http_req_rate 3",
    "set table fe key 10.0.0.4 data.gpt 1 data.conn_cur 2",
    "show table fe",
    "show table fe data.gpc0 gt 1",
    "show table fe data.http_req_cnt le 0 data.bytes_in_cnt gt 5",
    "show table fe key 10.0.0.2",
    "show table fe key 10.0.0.9",
    "show table fe data.conn_cnt gt 1",
    "show table fe data.gpc0 zz 1",
    "show table fe data.gpc0 gt x",
    "show table fe data.nope gt 1",
    "set table b2 key abcdefghijk data.gpc0_rate 4",
    "set table b2 key ABC",
    "show table b2",
    "set table b3 key ::1",
    "set table b3 key 2001:db8::7",
    "show table b3",
    "set table b4 key 42",
    "set table b4 key 7",
    "set table b4 key 4294967295",
    "set table b4 key 4294967296",
    "set table b4 key -1",
    "show table b4",
    "set table b5 key ab",
    "show table b5 key ab",
    "clear table b5 key ab",
    "set table b6 key 10.1.1.1 data.gpc 9 data.gpc_rate 2",
    "show table b6",
    "set table fe key 10.0.0.1 data.gpc 6",
    "set table fe key 10.0.0.1 data.http_req_cnt x",
    "set table fe key 10.0.0.1 data.nope 1",
    "set table fe key",
    "clear table fe key 10.0.0.1",
    "show table fe",
    "clear table fe data.bytes_in_cnt gt 1",
    "show table fe",
    "clear table fe",
    "show table fe",
    "clear table",
    "show table nope",
};

std::vector<std::string> run(const std::string& binary) {
  TempDir dir;
  const std::string sock = dir.file("stats.sock");
  const uint16_t port = free_tcp_port();
  const std::string cfg =
      "global\n  stats socket " + sock +
      " level admin\ndefaults\n  mode http\n  timeout client 5s\n  timeout server 5s\n"
      "  timeout connect 5s\nfrontend fe\n  bind 127.0.0.1:" +
      std::to_string(port) +
      "\n  stick-table type ip size 1k expire 30s store http_req_cnt,http_req_rate(10s),gpc0 "
      "store conn_cur,bytes_in_cnt,gpt(2),server_id\n"
      "  http-request return status 200\n"
      "backend b2\n  stick-table type string len 8 size 10 store gpc0_rate(1m)\n"
      "backend b3\n  stick-table type ipv6 size 10\n"
      "backend b4\n  stick-table type integer size 10 nopurge\n"
      "backend b5\n  stick-table type binary len 4 size 10 expire 1m\n"
      "backend b6\n  stick-table type ip size 2m store gpc(2),gpc_rate(2,10s)\n";
  HearthOptions opt{.wait_ports = {port}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  HearthProcess h(cfg, opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  if (!h.ready()) return {};
  std::vector<std::string> out;
  for (const std::string& c : kCommands) out.push_back(masked(stats_command(sock, c)));
  return out;
}

TEST(StickTableCliVsHAProxy, SameAnswers) {
  const std::vector<std::string> ours = run("");
  const std::vector<std::string> theirs = run("haproxy");
  ASSERT_EQ(ours.size(), kCommands.size());
  ASSERT_EQ(theirs.size(), kCommands.size());
  for (size_t i = 0; i < kCommands.size(); ++i)
    EXPECT_EQ(ours[i], theirs[i]) << "command: " << kCommands[i];
  // Not vacuous: the entries were there to see.
  EXPECT_NE(theirs[6].find("key=10.0.0.1 use=0 exp=LEFT"), std::string::npos) << theirs[6];
}

// Entries leave once their expiry passed, without any traffic.
TEST(StickTableCliVsHAProxy, EntriesExpire) {
  for (const std::string binary : {"", "haproxy"}) {
    TempDir dir;
    const std::string sock = dir.file("stats.sock");
    const uint16_t port = free_tcp_port();
    HearthOptions opt{.wait_ports = {port}};
    if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
    HearthProcess h("global\n  stats socket " + sock +
                        " level admin\ndefaults\n  mode http\n  timeout client 5s\n"
                        "  timeout server 5s\n  timeout connect 5s\nfrontend fe\n"
                        "  bind 127.0.0.1:" +
                        std::to_string(port) +
                        "\n  stick-table type string size 10 expire 300ms store gpc0\n"
                        "  http-request return status 200\n",
                    opt);
    ASSERT_TRUE(h.ready()) << binary << ": " << h.describe();
    stats_command(sock, "set table fe key a data.gpc0 1");
    EXPECT_NE(stats_command(sock, "show table").find("used:1"), std::string::npos) << binary;
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    EXPECT_NE(stats_command(sock, "show table").find("used:0"), std::string::npos) << binary;
  }
}

TEST(StickTableConfig, RefusedWithFileLineAndKeyword) {
  for (const char* line : {"stick-table type ip size 1k peers p", "stick-table type ip",
                           "stick-table type nope size 1k", "stick-table type ip size 1k store x",
                           "stick-table type ip size 1k store gpc(2),gpc0"}) {
    const uint16_t port = free_tcp_port();
    const std::string cfg =
        "defaults\n  mode http\n  timeout client 5s\n  timeout server 5s\n  timeout connect 5s\n"
        "frontend fe\n  bind 127.0.0.1:" +
        std::to_string(port) + "\n  " + line + "\n";
    HearthOptions opt{.wait_ports = {port}};
    HearthProcess h(cfg, opt);
    EXPECT_FALSE(h.ready()) << line;
    EXPECT_NE(h.output().find("hearth.cfg:8"), std::string::npos) << line << "\n" << h.output();
    EXPECT_NE(h.output().find("stick-table"), std::string::npos) << line << "\n" << h.output();
  }
}

}  // namespace
}  // namespace hearth::test::http
