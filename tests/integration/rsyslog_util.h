#pragma once
// A real rsyslogd (Debian package rsyslog) started by a test with its own
// configuration: UDP and TCP inputs on local ports and a unix socket input,
// written to a file with a template that prints the fields rsyslog parsed.
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

// Returns: a UDP port free at the time of the call.
inline uint16_t free_udp_port() {
  UniqueFd fd(socket(AF_INET, SOCK_DGRAM, 0));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      getsockname(fd.get(), reinterpret_cast<sockaddr*>(&a), &len) != 0)
    return 0;
  return ntohs(a.sin_port);
}

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

  // Returns: the fields of the first stored line whose msg contains `needle`
  // (waiting for it), empty if none came.
  std::map<std::string, std::string> line_with(const std::string& needle) {
    std::map<std::string, std::string> fields;
    wait_until(
        [&] {
          std::istringstream in(read_file(out));
          for (std::string line; std::getline(in, line);) {
            if (line.find(needle) == std::string::npos) continue;
            std::istringstream parts(line);
            for (std::string f; std::getline(parts, f, '|');) {
              const size_t eq = f.find('=');
              if (eq != std::string::npos) fields[f.substr(0, eq)] = f.substr(eq + 1);
            }
            return true;
          }
          return false;
        },
        std::chrono::milliseconds{5000});
    return fields;
  }
};

}  // namespace hearth::test
