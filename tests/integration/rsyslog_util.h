#pragma once
// A real rsyslogd (Debian package rsyslog) started by a test with its own
// configuration: UDP and TCP inputs on local ports and a unix socket input,
// written to a file with a template that prints the fields rsyslog parsed.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "support/hearth_process.h"
#include "support/ports.h"
#include "support/unique_fd.h"
#include "support/wait.h"

namespace hearth::test {

constexpr const char* kRsyslogd = "/usr/sbin/rsyslogd";

inline void send_udp(uint16_t port, const std::string& text) {
  UniqueFd fd(socket(AF_INET, SOCK_DGRAM, 0));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port);
  sendto(fd.get(), text.data(), text.size(), 0, reinterpret_cast<sockaddr*>(&a), sizeof a);
}

// One rsyslogd with its own configuration in `dir`.
struct Rsyslog {
  TempDir dir;
  uint16_t port = free_udp_port();
  uint16_t tcp_port = free_tcp_port();  // octet counting and LF framing both accepted
  std::string sock = dir.file("log.sock");
  std::string out = dir.file("out.log");
  std::unique_ptr<Process> proc;

  Rsyslog() {
    write_file(dir.file("rsyslog.conf"),
               "global(workDirectory=\"" + dir.path() +
                   "\")\n"
                   "module(load=\"imudp\")\n"
                   "module(load=\"imtcp\")\n"
                   "input(type=\"imtcp\" address=\"127.0.0.1\" port=\"" +
                   std::to_string(tcp_port) +
                   "\")\n"
                   "module(load=\"imuxsock\" SysSock.Use=\"off\")\n"
                   "input(type=\"imudp\" address=\"127.0.0.1\" port=\"" +
                   std::to_string(port) +
                   "\")\n"
                   "input(type=\"imuxsock\" Socket=\"" +
                   sock +
                   "\")\n"
                   "template(name=\"fields\" type=\"string\" string=\"fac=%syslogfacility-text%|"
                   "sev=%syslogseverity-text%|host=%hostname%|tag=%syslogtag%|app=%app-name%|"
                   "pid=%procid%|msgid=%msgid%|sd=%structured-data%|msg=%msg%\\n\")\n"
                   "*.* action(type=\"omfile\" file=\"" +
                   out + "\" template=\"fields\")\n");
    proc = std::make_unique<Process>(ProcessOptions{
        .argv = {kRsyslogd, "-n", "-f", dir.file("rsyslog.conf"), "-i", dir.file("rsyslog.pid")},
        .output_path = dir.file("rsyslogd.out")});
  }

  // Returns: true once rsyslogd stores what arrives on its UDP port.
  bool ready() {
    return proc->started() && wait_until(
                                  [&] {
                                    send_udp(port, "<13>probe: ready");
                                    return read_file(out).find("probe") != std::string::npos &&
                                           access(sock.c_str(), F_OK) == 0;
                                  },
                                  std::chrono::milliseconds{10000});
  }

  // Returns: the fields of the stored lines whose msg contains `needle`, by
  // facility (the last such line of each), as the file holds them now.
  std::map<std::string, std::map<std::string, std::string>> by_facility(const std::string& needle) {
    std::map<std::string, std::map<std::string, std::string>> by_fac;
    std::istringstream in(read_file(out));
    for (std::string line; std::getline(in, line);)
      if (line.find(needle) != std::string::npos) {
        std::map<std::string, std::string> f = split_fields(line);
        by_fac[f["fac"]] = f;
      }
    return by_fac;
  }

  static std::map<std::string, std::string> split_fields(const std::string& line) {
    std::map<std::string, std::string> f;
    std::istringstream parts(line);
    for (std::string kv; std::getline(parts, kv, '|');)
      if (size_t eq = kv.find('='); eq != std::string::npos)
        f[kv.substr(0, eq)] = kv.substr(eq + 1);
    return f;
  }

  // Returns: the fields of the first stored line whose msg contains `needle`
  // (waiting for it), empty if none came.
  std::map<std::string, std::string> line_with(const std::string& needle) {
    std::map<std::string, std::string> fields;
    wait_until(
        [&] {
          std::istringstream in(read_file(out));
          for (std::string line; std::getline(in, line);) {
            if (line.find(needle) == std::string::npos) continue;
            fields = split_fields(line);
            return true;
          }
          return false;
        },
        std::chrono::milliseconds{5000});
    return fields;
  }
};

// Skips the test when rsyslogd is not installed; else starts one (rs) and
// waits until it stores what it receives. `port` is free for hearth.
class RsyslogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access(kRsyslogd, X_OK) != 0)
      GTEST_SKIP() << "rsyslogd is not installed (Debian package rsyslog, which "
                      "scripts/install-deps installs): this test needs a real syslog server";
    rs_ = std::make_unique<Rsyslog>();
    ASSERT_TRUE(rs_->ready()) << read_file(rs_->dir.file("rsyslogd.out"));
  }
  std::unique_ptr<Rsyslog> rs_;
  const uint16_t port = free_tcp_port();
};

// A defaults section and a frontend on `port` that logs "%ci %ST %b %HP"
// (and a structured-data element with the status) to the global targets,
// answering 503 to /fail and 200 to anything else.
inline std::string rsyslog_frontend(uint16_t port) {
  return "defaults\n  mode http\n  timeout client 5s\n  timeout server 5s\n  timeout connect 5s\n"
         "frontend fe\n  bind 127.0.0.1:" +
         std::to_string(port) +
         "\n  log global\n"
         "  option log-separate-errors\n"
         "  log-format-sd \"[exampleSDID@1234 status=\\\"%ST\\\"]\"\n"
         "  log-format \"%ci %ST %b %HP\"\n"
         "  http-request return status 503 if { path /fail }\n"
         "  http-request return status 200\n";
}

// The fields rsyslog stored for lines containing `needle`, by facility,
// once `n` facilities have one (or after 10 s).
inline std::map<std::string, std::map<std::string, std::string>> wait_facilities(
    Rsyslog& rs, const std::string& needle, size_t n) {
  std::map<std::string, std::map<std::string, std::string>> by_fac;
  wait_until([&] { return (by_fac = rs.by_facility(needle)).size() == n; },
             std::chrono::milliseconds{10000});
  return by_fac;
}

// What rsyslog parsed from an rfc3164 line of hearth with "log-send-hostname
// edge1" and "log-tag web" (text `msg`, which rsyslog keeps with its space).
inline void expect_rfc3164(std::map<std::string, std::string>& f, const std::string& pid,
                           const std::string& msg) {
  EXPECT_EQ(f["sev"], "info");
  EXPECT_EQ(f["host"], "edge1");
  EXPECT_EQ(f["tag"], "web[" + pid + "]:");
  EXPECT_EQ(f["app"], "web");
  EXPECT_EQ(f["pid"], pid);
  EXPECT_EQ(f["sd"], "-");
  EXPECT_EQ(f["msg"], " " + msg);
}

// The same for rfc5424, with structured data `sd`.
inline void expect_rfc5424(std::map<std::string, std::string>& f, const std::string& pid,
                           const std::string& sd, const std::string& msg) {
  EXPECT_EQ(f["sev"], "info");
  EXPECT_EQ(f["host"], "edge1");
  EXPECT_EQ(f["app"], "web");
  EXPECT_EQ(f["pid"], pid);
  EXPECT_EQ(f["msgid"], "-");
  EXPECT_EQ(f["sd"], sd);
  EXPECT_EQ(f["msg"], msg);
}

}  // namespace hearth::test
