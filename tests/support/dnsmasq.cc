#include "support/dnsmasq.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <thread>

#include "support/ports.h"

namespace hearth::test {
namespace {

constexpr const char* kProbe = "probe.hearth.test";

std::string probe_line(int gen) {
  return "127.255.0." + std::to_string(gen % 250 + 1) + " " + kProbe + "\n";
}

}  // namespace

std::string dns_lookup_a(uint16_t port, const std::string& name) {
  unsigned char q[512];
  size_t n = 0;
  const unsigned char header[12] = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0};
  for (unsigned char c : header) q[n++] = c;
  size_t start = 0;
  while (start <= name.size()) {
    size_t dot = name.find('.', start);
    if (dot == std::string::npos) dot = name.size();
    q[n++] = static_cast<unsigned char>(dot - start);
    for (size_t i = start; i < dot; ++i) q[n++] = static_cast<unsigned char>(name[i]);
    start = dot + 1;
  }
  const unsigned char tail[5] = {0, 0, 1, 0, 1};  // root, type A, class IN
  for (unsigned char c : tail) q[n++] = c;
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return "";
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string out;
  unsigned char r[1500];
  pollfd p{fd, POLLIN, 0};
  if (sendto(fd, q, n, 0, reinterpret_cast<sockaddr*>(&to), sizeof to) == ssize_t(n) &&
      poll(&p, 1, 500) == 1) {
    const ssize_t got = recv(fd, r, sizeof r, 0);
    // The answer's last 4 bytes are the first A record's address when there
    // is exactly one answer (what the probe name has).
    if (got > ssize_t(n) + 12 && r[7] >= 1 && (r[3] & 0x0f) == 0) {
      char text[INET_ADDRSTRLEN];
      inet_ntop(AF_INET, r + got - 4, text, sizeof text);
      out = text;
    }
  }
  close(fd);
  return out;
}

Dnsmasq::Dnsmasq(const std::string& hosts, std::vector<std::string> srv) : srv_(std::move(srv)) {
  chmod(dir_.path().c_str(), 0755);  // dnsmasq reads the file as "nobody" after a SIGHUP
  write_file(dir_.file("hosts"), probe_line(generation_) + hosts);
  chmod(dir_.file("hosts").c_str(), 0644);
  port_ = free_udp_port();
  ready_ = start();
}

Dnsmasq::~Dnsmasq() {
  if (proc_) {
    proc_->send_signal(SIGTERM);
    proc_->wait_exit(std::chrono::milliseconds(2000));
  }
}

bool Dnsmasq::start() {
  ProcessOptions o;
  o.argv = {"dnsmasq",
            "--keep-in-foreground",
            "--log-facility=-",
            "--no-resolv",
            "--no-hosts",
            "--bind-interfaces",
            "--listen-address=127.0.0.1",
            "--port=" + std::to_string(port_),
            "--local=/test/",
            "--addn-hosts=" + dir_.file("hosts"),
            "--pid-file",
            "--cache-size=0"};
  for (const std::string& s : srv_) o.argv.push_back("--srv-host=" + s);
  o.output_path = dir_.file("dnsmasq.log");
  proc_ = std::make_unique<Process>(o);
  if (!proc_->started()) return false;
  return probe(probe_line(generation_).substr(0, probe_line(generation_).find(' ')));
}

bool Dnsmasq::probe(const std::string& expect_ip) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < deadline) {
    if (dns_lookup_a(port_, kProbe) == expect_ip) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

bool Dnsmasq::set_hosts(const std::string& hosts) {
  ++generation_;
  if (!write_file(dir_.file("hosts"), probe_line(generation_) + hosts)) return false;
  if (!proc_ || !proc_->send_signal(SIGHUP)) return false;
  return probe(probe_line(generation_).substr(0, probe_line(generation_).find(' ')));
}

bool Dnsmasq::set_srv(std::vector<std::string> srv) {
  srv_ = std::move(srv);
  if (proc_) {
    proc_->send_signal(SIGTERM);
    proc_->wait_exit(std::chrono::milliseconds(2000));
  }
  ready_ = start();
  return ready_;
}

std::string Dnsmasq::describe() const {
  return "dnsmasq on port " + std::to_string(port_) + ": " + read_file(dir_.file("dnsmasq.log"));
}

}  // namespace hearth::test
