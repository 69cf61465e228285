// Run-time resolution against a real DNS server (dnsmasq, support/dnsmasq.h):
// servers follow their names' answers, server-template slots follow the
// record sets (A and SRV), failures are held then put servers in
// maintenance, and the runtime API shows it all. Where HAProxy's behaviour
// is the reference, the same configuration runs through haproxy against the
// same dnsmasq and the observations are compared.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "http_test_util.h"
#include "support/dnsmasq.h"
#include "support/ports.h"
#include "support/temp_dir.h"

namespace hearth::test::http {
namespace {

using namespace std::chrono_literals;

// Origins: one hearth answering on 127.0.0.2..4 and [::1] at the same port,
// each response saying which address served it (x-srv).
class Origins {
 public:
  explicit Origins(uint16_t port, uint16_t port2 = 0) : port_(port) {
    std::string c =
        "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
        "  timeout server 5s\n";
    for (uint16_t p : {port, port2}) {
      if (!p) continue;
      const std::string ps = std::to_string(p);
      for (const char* ip : {"127.0.0.2", "127.0.0.3", "127.0.0.4", "[::1]"})
        c += std::string("frontend o") + std::to_string(n_++) + "\n  bind " + ip + ":" + ps +
             "\n  http-request return status 200 hdr x-srv \"%[dst]:%[dst_port]\"\n";
    }
    h_ = std::make_unique<HearthProcess>(c, HearthOptions{.wait_ports = {port}});
  }
  bool ready() const { return h_->ready(); }
  std::string describe() const { return h_->describe(); }

 private:
  uint16_t port_;
  int n_ = 0;
  std::unique_ptr<HearthProcess> h_;
};

struct Env {
  uint16_t fe = free_tcp_port(), origin = free_tcp_port();
  TempDir dir;
  std::string sock = dir.file("stats.sock");
};

std::string proxy_config(const Env& s, const std::string& dns, const std::string& resolvers_extra,
                         const std::string& backend) {
  // One thread: the resolvers share their loop with the traffic, so a
  // resolver that blocked its loop would stall every request too.
  return "global\n  nbthread 1\n  stats socket " + s.sock +
         " level admin\n"
         "resolvers dns\n  nameserver ns1 " +
         dns + "\n" + resolvers_extra +
         "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n  timeout server 5s\n"
         "frontend fe\n  bind 127.0.0.1:" +
         std::to_string(s.fe) + "\n  default_backend bk\nbackend bk\n" + backend;
}

HearthOptions options_for(const std::string& binary, const Env& s) {
  HearthOptions opt{.wait_ports = {s.fe}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  return opt;
}

// Returns: the x-srv of one request on a new client connection ("" on failure,
// or the status when it is not 200).
std::string served_by(uint16_t fe) {
  HttpClient c(fe);
  if (!c.connected()) return "";
  HttpResponse r = c.request("GET", "/");
  if (r.status != 200) return std::to_string(r.status);
  return r.header("x-srv").value_or("");
}

// Polls f() until it returns want, for at most `timeout`. Returns: the last value.
template <typename F>
std::string wait_for(F f, const std::string& want, std::chrono::milliseconds timeout = 6000ms) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string v;
  while (std::chrono::steady_clock::now() < deadline) {
    v = f();
    if (v == want) return v;
    std::this_thread::sleep_for(50ms);
  }
  return v;
}

// The `show stat` status of bk/NAME.
std::string status_of(const Env& s, const std::string& name) {
  std::istringstream in(stats_command(s.sock, "show stat"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("bk," + name + ",", 0) != 0) continue;
    std::vector<std::string> f;
    std::stringstream ls(line);
    std::string cell;
    while (std::getline(ls, cell, ',')) f.push_back(cell);
    return f.size() > 17 ? f[17] : "";
  }
  return "?";
}

// Rows of `show servers state bk`, each cut to: name addr op admin uweight fqdn port srvrecord.
std::vector<std::string> state_rows(const Env& s) {
  std::istringstream in(stats_command(s.sock, "show servers state bk"));
  std::string line;
  std::vector<std::string> rows;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::istringstream ls(line);
    std::string w;
    while (ls >> w) f.push_back(w);
    if (f.size() < 20 || f[0] == "#") continue;
    rows.push_back(f[3] + " " + f[4] + " " + f[5] + " " + f[6] + " " + f[7] + " " + f[17] + " " +
                   f[18] + " " + f[19]);
  }
  return rows;
}

// Replaces this run's origin port by "PORT", so that two runs (hearth,
// haproxy), each with its own ports, compare.
std::string masked(const std::string& text, uint16_t port) {
  return std::regex_replace(text, std::regex("\\b" + std::to_string(port) + "\\b"), "PORT");
}

std::string joined(std::vector<std::string> v, bool sort = false) {
  if (sort) std::sort(v.begin(), v.end());
  std::string out;
  for (const std::string& x : v) out += x + "\n";
  return out;
}

// TCP connections in ESTABLISHED state toward ip:port (IPv4, from /proc/net/tcp).
int established_to(const std::string& ip, uint16_t port) {
  unsigned a, b, c, d;
  std::sscanf(ip.c_str(), "%u.%u.%u.%u", &a, &b, &c, &d);
  char want[32];
  std::snprintf(want, sizeof want, "%02X%02X%02X%02X:%04X", d, c, b, a, port);
  std::ifstream in("/proc/net/tcp");
  std::string line;
  int n = 0;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string sl, local, remote, st;
    ls >> sl >> local >> remote >> st;
    if (remote == want && st == "01") ++n;
  }
  return n;
}

const char* const kBinaries[] = {"", "haproxy"};
std::string who(const std::string& b) { return b.empty() ? "hearth" : b; }

// A server resolved at start takes the answer's address; when the record
// changes, traffic moves to the new address with no failed request, and the
// idle connections to the former address are closed.
TEST(Resolvers, AddressChangeMovesTrafficAndDropsIdleConnections) {
  Env s;
  Dnsmasq dns("127.0.0.2 app.test\n");
  ASSERT_TRUE(dns.ready()) << dns.describe();
  Origins o(s.origin);
  ASSERT_TRUE(o.ready()) << o.describe();
  const std::string port = std::to_string(s.origin);
  HearthProcess h(proxy_config(s, dns.address(), "  timeout resolve 200ms\n  timeout retry 200ms\n",
                               "  http-reuse always\n  server s1 app.test:" + port +
                                   " resolvers dns init-addr none\n"),
                  options_for("", s));
  ASSERT_TRUE(h.ready()) << h.describe();
  const std::string first = "127.0.0.2:" + port, second = "127.0.0.3:" + port;
  ASSERT_EQ(wait_for([&] { return served_by(s.fe); }, first), first) << h.output();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(served_by(s.fe), first);
  EXPECT_GE(established_to("127.0.0.2", s.origin), 1);  // kept idle for reuse

  // Requests keep flowing while the record changes.
  std::atomic<bool> stop{false};
  std::atomic<int> failed{0}, done{0};
  std::thread traffic([&] {
    while (!stop.load()) {
      const std::string by = served_by(s.fe);
      if (by != first && by != second) ++failed;
      ++done;
    }
  });
  ASSERT_TRUE(dns.set_hosts("127.0.0.3 app.test\n")) << dns.describe();
  EXPECT_EQ(wait_for([&] { return served_by(s.fe); }, second), second) << h.output();
  std::this_thread::sleep_for(300ms);
  stop = true;
  traffic.join();
  EXPECT_EQ(failed.load(), 0) << "of " << done.load();
  EXPECT_GT(done.load(), 0);
  // Nothing idles toward the former address any more (the pools purge on
  // their next housekeeping tick), and new requests use the new one.
  EXPECT_EQ(
      wait_for([&] { return std::to_string(established_to("127.0.0.2", s.origin)); }, "0", 2000ms),
      "0");
  EXPECT_EQ(served_by(s.fe), second);
  EXPECT_NE(h.output().find("bk/s1 changed its IP from 127.0.0.2 to 127.0.0.3 by dns/ns1."),
            std::string::npos)
      << h.output();
  EXPECT_EQ(joined(state_rows(s)), "s1 127.0.0.3 2 0 1 app.test " + port + " -\n");
}

// NXDOMAIN is held for "hold nx", then the server goes to maintenance
// (resolution); it comes back as soon as the name answers again. Same
// sequence in HAProxy.
TEST(Resolvers, NxAfterHoldGoesToMaintenanceAndComesBack) {
  for (const std::string binary : kBinaries) {
    Env s;
    Dnsmasq dns("127.0.0.2 app.test\n");
    ASSERT_TRUE(dns.ready()) << dns.describe();
    Origins o(s.origin);
    ASSERT_TRUE(o.ready()) << o.describe();
    const std::string port = std::to_string(s.origin);
    HearthProcess h(
        proxy_config(s, dns.address(),
                     "  timeout resolve 200ms\n  timeout retry 200ms\n  hold nx 1500ms\n",
                     "  server s1 app.test:" + port + " resolvers dns init-addr none\n"),
        options_for(binary, s));
    ASSERT_TRUE(h.ready()) << h.describe();
    ASSERT_EQ(wait_for([&] { return status_of(s, "s1"); }, "no check"), "no check") << who(binary);
    ASSERT_TRUE(dns.set_hosts("")) << dns.describe();
    std::this_thread::sleep_for(500ms);  // answered NX, but held
    EXPECT_EQ(status_of(s, "s1"), "no check") << who(binary);
    EXPECT_EQ(served_by(s.fe), "127.0.0.2:" + port) << who(binary);
    EXPECT_EQ(wait_for([&] { return status_of(s, "s1"); }, "MAINT (resolution)"),
              "MAINT (resolution)")
        << who(binary) << h.output();
    EXPECT_EQ(served_by(s.fe), "503") << who(binary);
    EXPECT_NE(h.output().find("is going DOWN for maintenance (DNS NX status)"), std::string::npos)
        << who(binary) << h.output();
    ASSERT_TRUE(dns.set_hosts("127.0.0.4 app.test\n")) << dns.describe();
    EXPECT_EQ(wait_for([&] { return status_of(s, "s1"); }, "no check"), "no check") << who(binary);
    EXPECT_EQ(served_by(s.fe), "127.0.0.4:" + port) << who(binary);
  }
}

// A DNS server that stops answering: the servers keep their addresses for
// "hold timeout", then go to maintenance, as in HAProxy.
TEST(Resolvers, SilentDnsServerKeepsAddressesForTheHold) {
  for (const std::string binary : kBinaries) {
    Env s;
    auto dns = std::make_unique<Dnsmasq>("127.0.0.2 app.test\n");
    ASSERT_TRUE(dns->ready()) << dns->describe();
    Origins o(s.origin);
    ASSERT_TRUE(o.ready()) << o.describe();
    const std::string port = std::to_string(s.origin);
    HearthProcess h(
        proxy_config(s, dns->address(),
                     "  timeout resolve 200ms\n  timeout retry 100ms\n"
                     "  resolve_retries 2\n  hold timeout 2s\n",
                     "  server s1 app.test:" + port + " resolvers dns init-addr none\n"),
        options_for(binary, s));
    ASSERT_TRUE(h.ready()) << h.describe();
    ASSERT_EQ(wait_for([&] { return status_of(s, "s1"); }, "no check"), "no check") << who(binary);
    dns.reset();  // stops answering
    const auto stopped = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(1000ms);
    EXPECT_EQ(status_of(s, "s1"), "no check") << who(binary);
    EXPECT_EQ(served_by(s.fe), "127.0.0.2:" + port) << who(binary);
    EXPECT_EQ(wait_for([&] { return status_of(s, "s1"); }, "MAINT (resolution)"),
              "MAINT (resolution)")
        << who(binary) << h.output();
    // The hold counts from the last valid answer, up to one "timeout resolve"
    // (200 ms) before the DNS server stopped.
    EXPECT_GE(std::chrono::steady_clock::now() - stopped, 1700ms) << who(binary);
    EXPECT_NE(h.output().find("(DNS timeout status)"), std::string::npos)
        << who(binary) << h.output();
  }
}

// server-template over A records: as many slots filled as the name has
// addresses (each a different one), the others in maintenance; they follow
// the record set as it grows and shrinks. Compared with HAProxy.
TEST(Resolvers, TemplateSlotsFollowTheARecordSet) {
  std::vector<std::string> seen[2];
  for (int b = 0; b < 2; ++b) {
    const std::string binary = kBinaries[b];
    Env s;
    Dnsmasq dns("127.0.0.2 app.test\n127.0.0.3 app.test\n");
    ASSERT_TRUE(dns.ready()) << dns.describe();
    const std::string port = std::to_string(s.origin);
    HearthProcess h(
        proxy_config(
            s, dns.address(), "  timeout resolve 200ms\n  timeout retry 200ms\n",
            "  server-template web 3 app.test:" + port + " resolvers dns init-addr none\n"),
        options_for(binary, s));
    ASSERT_TRUE(h.ready()) << h.describe();
    // Which addresses the slots hold, sorted, and how many are in maintenance.
    auto snapshot = [&] {
      std::vector<std::string> addrs;
      int maint = 0;
      for (const std::string& r : state_rows(s)) {
        std::istringstream ls(r);
        std::string name, addr, op, admin;
        ls >> name >> addr >> op >> admin;
        if (admin == "32")
          ++maint;
        else
          addrs.push_back(addr);
      }
      std::sort(addrs.begin(), addrs.end());
      std::string out = std::to_string(maint) + " maint:";
      for (const std::string& a : addrs) out += " " + a;
      return out;
    };
    seen[b].push_back(wait_for(snapshot, "1 maint: 127.0.0.2 127.0.0.3"));
    ASSERT_TRUE(dns.set_hosts("127.0.0.2 app.test\n127.0.0.3 app.test\n127.0.0.4 app.test\n"));
    seen[b].push_back(wait_for(snapshot, "0 maint: 127.0.0.2 127.0.0.3 127.0.0.4"));
    ASSERT_TRUE(dns.set_hosts("127.0.0.4 app.test\n"));
    seen[b].push_back(wait_for(snapshot, "2 maint: 127.0.0.4"));
  }
  EXPECT_EQ(joined(seen[0]),
            "1 maint: 127.0.0.2 127.0.0.3\n0 maint: 127.0.0.2 127.0.0.3 "
            "127.0.0.4\n2 maint: 127.0.0.4\n");
  EXPECT_EQ(joined(seen[0]), joined(seen[1]));
}

// server-template over SRV records: each record fills a slot with its
// target's address, its port and its weight; a record that goes away frees
// its slot after "hold obsolete". Compared with HAProxy row by row.
TEST(Resolvers, SrvRecordsFillSlotsWithAddressPortAndWeight) {
  for (int b = 0; b < 2; ++b) {
    std::vector<std::string> seen[2];
    const std::string binary = kBinaries[b];
    Env s;
    const uint16_t p2 = free_tcp_port();
    const std::string port = std::to_string(s.origin), port2 = std::to_string(p2);
    Dnsmasq dns("127.0.0.2 t1.test\n127.0.0.3 t2.test\n",
                {"_http._tcp.svc.test,t1.test," + port + ",0,512",
                 "_http._tcp.svc.test,t2.test," + port2 + ",0,10"});
    ASSERT_TRUE(dns.ready()) << dns.describe();
    Origins o(s.origin, p2);
    ASSERT_TRUE(o.ready()) << o.describe();
    HearthProcess h(proxy_config(s, dns.address(),
                                 "  timeout resolve 200ms\n  timeout retry 200ms\n"
                                 "  hold obsolete 1s\n",
                                 "  balance roundrobin\n"
                                 "  server-template srv 3 _http._tcp.svc.test resolvers dns "
                                 "init-addr none\n"),
                    options_for(binary, s));
    ASSERT_TRUE(h.ready()) << h.describe();
    // dnsmasq rotates its records, so which slot takes which record varies
    // from run to run (for HAProxy too): the rows are compared without names.
    auto slots = [&] {
      std::vector<std::string> rows;
      for (const std::string& r : state_rows(s)) rows.push_back(r.substr(r.find(' ') + 1));
      return joined(rows, true);
    };
    const std::string want = "- 0 32 1 - 0 _http._tcp.svc.test\n127.0.0.2 2 64 2 t1.test " + port +
                             " _http._tcp.svc.test\n127.0.0.3 2 64 1 t2.test " + port2 +
                             " _http._tcp.svc.test\n";
    seen[b].push_back(wait_for(slots, want));
    EXPECT_EQ(seen[b].back(), want) << who(binary) << h.output();
    // Both targets serve, each on its own port.
    std::vector<std::string> by;
    for (int i = 0; i < 8; ++i) by.push_back(served_by(s.fe));
    std::sort(by.begin(), by.end());
    by.erase(std::unique(by.begin(), by.end()), by.end());
    seen[b].push_back(joined(by));
    EXPECT_EQ(seen[b].back(), "127.0.0.2:" + port + "\n127.0.0.3:" + port2 + "\n") << who(binary);
    // t2's record goes away: its slot empties once hold obsolete passed.
    ASSERT_TRUE(dns.set_srv({"_http._tcp.svc.test,t1.test," + port + ",0,512"})) << dns.describe();
    // The emptied slot keeps the "FQDN set" bit (0x40), as in HAProxy.
    const std::string after =
        "- 0 32 1 - 0 _http._tcp.svc.test\n- 0 96 1 - 0 "
        "_http._tcp.svc.test\n127.0.0.2 2 64 2 t1.test " +
        port + " _http._tcp.svc.test\n";
    seen[b].push_back(wait_for(slots, after));
    EXPECT_EQ(seen[b].back(), after) << who(binary) << h.output();
  }
  // Both programs were held to the same expectations, run by run.
}

// resolve-prefer: an answer with both families gives IPv6 by default, IPv4
// on request; resolve-net prefers a network within the family. Compared
// with HAProxy.
TEST(Resolvers, PreferredFamilyAndNetwork) {
  std::string rows[2];
  for (int b = 0; b < 2; ++b) {
    const std::string binary = kBinaries[b];
    Env s;
    Dnsmasq dns("::1 six.test\n127.0.0.2 six.test\n127.0.0.2 many.test\n127.0.0.3 many.test\n");
    ASSERT_TRUE(dns.ready()) << dns.describe();
    const std::string port = std::to_string(s.origin);
    HearthProcess h(proxy_config(s, dns.address(), "  timeout resolve 200ms\n",
                                 "  server s6 six.test:" + port +
                                     " resolvers dns init-addr none\n" + "  server s4 six.test:" +
                                     port + " resolvers dns init-addr none resolve-prefer ipv4\n" +
                                     "  server n3 many.test:" + port +
                                     " resolvers dns init-addr none resolve-prefer ipv4 "
                                     "resolve-net 127.0.0.3/32\n"),
                    options_for(binary, s));
    ASSERT_TRUE(h.ready()) << h.describe();
    const std::string want = "s6 ::1 2 0 1 six.test " + port + " -\ns4 127.0.0.2 2 0 1 six.test " +
                             port + " -\nn3 127.0.0.3 2 0 1 many.test " + port + " -\n";
    rows[b] = wait_for([&] { return joined(state_rows(s)); }, want);
    EXPECT_EQ(rows[b], want) << who(binary);
    rows[b] = masked(rows[b], s.origin);
  }
  EXPECT_EQ(rows[0], rows[1]);
}

// init-addr: an IP serves until the name resolves (then the answer wins),
// libc resolves at start with the system's resolver, none waits for DNS.
TEST(Resolvers, InitAddrMethods) {
  std::string rows[2];
  for (int b = 0; b < 2; ++b) {
    const std::string binary = kBinaries[b];
    Env s;
    Dnsmasq dns("127.0.0.3 app.test\n127.0.0.4 la.test\n");
    ASSERT_TRUE(dns.ready()) << dns.describe();
    const std::string port = std::to_string(s.origin);
    HearthProcess h(
        proxy_config(s, dns.address(), "  timeout resolve 200ms\n  hold nx 60s\n",
                     "  server ip nx.test:" + port +
                         " resolvers dns init-addr 127.0.0.4\n"
                         "  server lc localhost:" +
                         port + " resolvers dns init-addr libc,none\n" + "  server no app.test:" +
                         port + " resolvers dns init-addr none\n" + "  server la la.test:" + port +
                         " resolvers dns init-addr last,127.0.0.2\n"),
        options_for(binary, s));
    ASSERT_TRUE(h.ready()) << h.describe();
    // nx.test is NX but held (60 s): the init-addr IP stays; localhost is not
    // in dnsmasq either (NX, held): libc's answer stays.
    const std::string want = "ip 127.0.0.4 2 0 1 nx.test " + port +
                             " -\nlc 127.0.0.1 2 0 1 localhost " + port +
                             " -\nno 127.0.0.3 2 0 1 app.test " + port +
                             " -\nla 127.0.0.4 2 0 1 la.test " + port + " -\n";
    rows[b] = wait_for([&] { return joined(state_rows(s)); }, want);
    EXPECT_EQ(rows[b], want) << who(binary);
    rows[b] = masked(rows[b], s.origin);
  }
  EXPECT_EQ(rows[0], rows[1]);
}

// "show resolvers" prints HAProxy's counters in HAProxy's layout; "set server
// fqdn" and "set server addr" answer as HAProxy does and move the server.
TEST(Resolvers, RuntimeApiLikeHAProxy) {
  std::vector<std::string> out[2];
  for (int b = 0; b < 2; ++b) {
    const std::string binary = kBinaries[b];
    Env s;
    Dnsmasq dns("127.0.0.2 app.test\n127.0.0.3 other.test\n");
    ASSERT_TRUE(dns.ready()) << dns.describe();
    Origins o(s.origin);
    ASSERT_TRUE(o.ready()) << o.describe();
    const std::string port = std::to_string(s.origin);
    HearthProcess h(proxy_config(s, dns.address(), "  timeout resolve 200ms\n",
                                 "  server r app.test:" + port +
                                     " resolvers dns init-addr none\n"
                                     "  server p 127.0.0.4:" +
                                     port + " disabled\n"),
                    options_for(binary, s));
    ASSERT_TRUE(h.ready()) << h.describe();
    wait_for([&] { return status_of(s, "r"); }, "no check");
    std::string shown = stats_command(s.sock, "show resolvers dns");
    shown = std::regex_replace(shown, std::regex(" +[0-9]+\n"), " N\n");
    out[b].push_back(shown);
    out[b].push_back(stats_command(s.sock, "show resolvers nope"));
    out[b].push_back(stats_command(s.sock, "set server bk/r fqdn other.test"));
    out[b].push_back(masked(wait_for([&] { return joined(state_rows(s)).substr(0, 40); },
                                     ("r 127.0.0.3 2 0 1 other.test " + port).substr(0, 40)),
                            s.origin));
    out[b].push_back(stats_command(s.sock, "set server bk/p fqdn x.test"));
    out[b].push_back(stats_command(s.sock, "set server bk/p addr 127.0.0.2"));
    out[b].push_back(stats_command(s.sock, "set server bk/p addr 127.0.0.3 port " + port));
    out[b].push_back(stats_command(s.sock, "set server bk/p addr"));
    out[b].push_back(stats_command(s.sock, "set server bk/p fqdn"));
    stats_command(s.sock, "set server bk/r state maint");
    stats_command(s.sock, "set server bk/p state ready");
    const std::string by = served_by(s.fe);
    out[b].push_back(by == "127.0.0.3:" + port ? "served by the new address" : "served by " + by);
  }
  const std::string head = "Resolvers section dns\n nameserver ns1:\n  sent: N\n";
  EXPECT_EQ(out[0][0].substr(0, head.size()), head) << out[0][0];
  EXPECT_EQ(out[0][9], "served by the new address");
  for (size_t i = 0; i < out[0].size(); ++i) EXPECT_EQ(out[0][i], out[1][i]) << "answer " << i;
}

}  // namespace
}  // namespace hearth::test::http

namespace hearth::test::http {
namespace {

// An answer too large for UDP (40 SRV records, far above the 512 bytes
// announced by default) comes truncated; c-ares asks again over TCP, on the
// same loop, without ever blocking it: all 40 slots fill while the frontend
// keeps answering on the same single thread.
TEST(Resolvers, LargeSrvAnswerComesOverTcpWithoutBlockingTheLoop) {
  Env s;
  std::string hosts;
  std::vector<std::string> srv;
  for (int i = 1; i <= 40; ++i) {
    hosts += "127.0.1." + std::to_string(i) + " target" + std::to_string(i) + ".test\n";
    srv.push_back("_http._tcp.big.test,target" + std::to_string(i) + ".test,80,0,10");
  }
  Dnsmasq dns(hosts, srv);
  ASSERT_TRUE(dns.ready()) << dns.describe();
  HearthProcess h(proxy_config(s, dns.address(), "  timeout resolve 300ms\n",
                               "  http-request return status 200\n"
                               "  server-template srv 40 _http._tcp.big.test resolvers dns "
                               "init-addr none\n"),
                  options_for("", s));
  ASSERT_TRUE(h.ready()) << h.describe();
  auto up = [&] {
    int n = 0;
    for (const std::string& r : state_rows(s)) n += r.find(" 2 64 ") != std::string::npos;
    return std::to_string(n);
  };
  EXPECT_EQ(wait_for(up, "40", 10000ms), "40") << h.output();
  // The loop still serves (a blocked one would time the request out).
  HttpClient c(s.fe);
  EXPECT_EQ(c.request("GET", "/", {}, {}, 2000ms).status, 200);
  EXPECT_EQ(wait_for(up, "40", 2000ms), "40");  // and still resolves
}

}  // namespace
}  // namespace hearth::test::http

namespace hearth::test::http {
namespace {

// Health checks follow the server's address: checked at an address where
// nothing listens, the server goes DOWN; once DNS moves it to a live one,
// its checks pass there and it comes back UP. Same in HAProxy.
TEST(Resolvers, HealthChecksFollowTheAddress) {
  for (const std::string binary : kBinaries) {
    Env s;
    Dnsmasq dns("127.0.0.9 app.test\n");
    ASSERT_TRUE(dns.ready()) << dns.describe();
    Origins o(s.origin);
    ASSERT_TRUE(o.ready()) << o.describe();
    const std::string port = std::to_string(s.origin);
    HearthProcess h(proxy_config(s, dns.address(), "  timeout resolve 200ms\n",
                                 "  server s1 app.test:" + port +
                                     " resolvers dns init-addr none check inter 200ms rise 1 "
                                     "fall 1\n"),
                    options_for(binary, s));
    ASSERT_TRUE(h.ready()) << h.describe();
    EXPECT_EQ(wait_for([&] { return status_of(s, "s1"); }, "DOWN"), "DOWN") << who(binary);
    ASSERT_TRUE(dns.set_hosts("127.0.0.2 app.test\n")) << dns.describe();
    EXPECT_EQ(wait_for([&] { return status_of(s, "s1"); }, "UP"), "UP")
        << who(binary) << h.output();
    EXPECT_EQ(served_by(s.fe), "127.0.0.2:" + port) << who(binary);
  }
}

}  // namespace
}  // namespace hearth::test::http
