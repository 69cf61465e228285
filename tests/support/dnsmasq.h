#pragma once
// A real DNS server for resolver tests: dnsmasq (Debian package "dnsmasq"),
// started with its own options on 127.0.0.1:<free UDP port>, authoritative
// for ".test" (a name it does not list is NXDOMAIN), answering from a hosts
// file that the test rewrites; SIGHUP makes it read the file again. SRV
// records come from its command line, so changing them restarts it on the
// same port. It runs in the foreground but as a daemon otherwise
// (--keep-in-foreground): a TCP query is served by a child, so a TCP
// connection a resolver keeps open does not stall the UDP ones (with
// --no-daemon, dnsmasq serves TCP in its only process).
#include <memory>
#include <string>
#include <vector>

#include "support/process.h"
#include "support/temp_dir.h"

namespace hearth::test {

class Dnsmasq {
 public:
  // hosts: /etc/hosts lines ("127.0.0.2 app.test"); srv: dnsmasq --srv-host
  // values ("_http._tcp.svc.test,t1.test,8001,0,10").
  explicit Dnsmasq(const std::string& hosts, std::vector<std::string> srv = {});
  ~Dnsmasq();
  // Returns: true once it answers (a query for its own probe name).
  bool ready() const { return ready_; }
  std::string describe() const;
  uint16_t port() const { return port_; }
  // "127.0.0.1:PORT", for a nameserver line.
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  // Rewrites the hosts file and makes dnsmasq read it (SIGHUP). Returns:
  // true once a probe shows the new file is in use.
  bool set_hosts(const std::string& hosts);
  // Restarts it with other SRV records (same port, same hosts file).
  bool set_srv(std::vector<std::string> srv);

 private:
  bool start();
  bool probe(const std::string& expect_ip);

  TempDir dir_;
  uint16_t port_ = 0;
  std::vector<std::string> srv_;
  std::unique_ptr<Process> proc_;
  int generation_ = 0;  // bumps the probe name's address: 127.255.0.N
  bool ready_ = false;
};

// Sends one A query for `name` to 127.0.0.1:port (a blocking UDP exchange,
// 500 ms at most). Returns: the first IPv4 address answered, or "".
std::string dns_lookup_a(uint16_t port, const std::string& name);

}  // namespace hearth::test
