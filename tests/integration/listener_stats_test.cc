// "option socket-stats": a stats row per bind line (HAProxy's listeners) in
// show stat (CSV, typed, JSON, the type filter 8), the stats page and the
// Prometheus exporter's "listener" scope, run through hearth and HAProxy 2.6
// with the same configuration and traffic, and compared.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/client.h"
#include "support/ports.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

struct Ports {
  uint16_t stats = free_tcp_port(), web = free_tcp_port(), other = free_tcp_port(),
           plain = free_tcp_port();
};

std::string config(const Ports& p, const std::string& sock, uint16_t server) {
  auto port = [](uint16_t v) { return std::to_string(v); };
  return "global\n  stats socket " + sock +
         " level admin\n"
         "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
         "  timeout server 5s\n  option socket-stats\n"
         "listen stats\n  bind 127.0.0.1:" +
         port(p.stats) +
         "\n  http-request use-service prometheus-exporter if { path /metrics }\n"
         "frontend fe\n  bind 127.0.0.1:" +
         port(p.web) + " name web maxconn 50\n  bind 127.0.0.1:" + port(p.other) +
         "\n  http-request deny if { path /deny }\n  default_backend be\n"
         "frontend quiet\n  no option socket-stats\n  bind 127.0.0.1:" +
         port(p.plain) +
         "\n  default_backend be\n"
         "backend be\n  server s1 127.0.0.1:" +
         port(server) + "\n";
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t c; (c = line.find(',', start)) != std::string::npos; start = c + 1)
    out.push_back(line.substr(start, c - start));
  out.push_back(line.substr(start));
  return out;
}

struct Seen {
  // The listener rows of "show stat": the columns compared, by name.
  std::vector<std::string> rows;
  std::vector<uint64_t> bytes_in;
  uint64_t fe_bytes_in = 0;          // the frontend fe's own
  std::set<std::string> typed_keys;  // "L.IID.SID.POS.NAME:TAGS:TYPE"
  std::string filtered;              // "show stat -1 8 -1": the pxname,svname pairs
  std::vector<std::string> prom;     // the listener scope's samples
  std::string json_type;
};

Seen run(const std::string& binary) {
  HttpBackend server;
  TempDir dir;
  Ports p;
  const std::string sock = dir.file("stats.sock");
  HearthOptions opt{.wait_ports = {p.stats, p.web, p.other, p.plain}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  HearthProcess h(config(p, sock, server.port()), opt);
  Seen r;
  EXPECT_TRUE(h.ready()) << binary << h.describe();
  if (!h.ready()) return r;
  // Each exchange is over (its session released) before the next begins, and
  // the first after the connections that probed the ports (HearthOptions::
  // wait_ports), so that smax does not depend on how fast a close is processed.
  auto settled = [&] {
    wait_until(
        [&] {
          // The frontend's and the listeners' (type 3) scur: HAProxy releases
          // a listener's count after the frontend's.
          const std::vector<std::string> lines = lines_of(stats_command(sock, "show stat"));
          if (lines.empty() || lines[0].size() < 2) return false;
          const std::vector<std::string> names = split(lines[0].substr(2));
          const size_t type = size_t(std::find(names.begin(), names.end(), "type") - names.begin());
          for (size_t k = 1; k < lines.size(); ++k) {
            const std::vector<std::string> f = split(lines[k]);
            if (f.size() <= type || f.size() <= 4) continue;
            if ((f[1] == "FRONTEND" || f[type] == "3") && f[4] != "0") return false;
          }
          return true;
        },
        std::chrono::milliseconds{2000});
  };
  settled();  // the probes that found the ports open are gone too
  http_get(p.web, "/deny");
  settled();
  http_get(p.other, "/x");
  settled();
  http_get(p.web, "/x");
  settled();
  http_get(p.plain, "/x");
  settled();
  const std::vector<std::string> all = lines_of(stats_command(sock, "show stat"));
  EXPECT_FALSE(all.empty());
  if (all.empty()) return r;
  const std::vector<std::string> names = split(all[0].substr(2));
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < names.size(); ++i) col[names[i]] = i;
  for (size_t k = 1; k < all.size(); ++k) {
    const std::vector<std::string> f = split(all[k]);
    if (f.size() < names.size()) continue;
    if (f[0] == "fe" && f[1] == "FRONTEND") r.fe_bytes_in = std::stoull(f[col["bin"]]);
    if (f[col["type"]] != "3") continue;
    std::string row;
    // smax is compared as "some": HAProxy may accept the connection that
    // probed the port (HearthOptions::wait_ports) together with the first
    // request, and count both at once.
    for (const char* c : {"pxname",
                          "svname",
                          "scur",
                          "smax>0",
                          "slim",
                          "stot",
                          "dreq",
                          "dresp",
                          "ereq",
                          "status",
                          "iid",
                          "sid",
                          "type",
                          "addr",
                          "mode",
                          "dcon",
                          "dses",
                          "wrew",
                          "ssl_failed_handshake",
                          "qcur",
                          "lbtot",
                          "hrsp_2xx",
                          "req_tot"})
      row += std::string(c) + "=" +
             (std::string(c) == "addr"     ? f[col[c]].substr(0, f[col[c]].find(':'))
              : std::string(c) == "smax>0" ? std::string(f[col["smax"]] != "0" ? "1" : "0")
                                           : f[col[c]]) +
             " ";
    r.rows.push_back(row);
    r.bytes_in.push_back(std::stoull("0" + f[col["bin"]]));
  }
  for (const std::string& l : lines_of(stats_command(sock, "show stat typed")))
    if (l.rfind("L.", 0) == 0) {
      const size_t c1 = l.find(':'), c3 = l.find(':', l.find(':', c1 + 1) + 1);
      std::string key = l.substr(0, c1);
      key.erase(key.rfind('.'));
      r.typed_keys.insert(key + l.substr(c1, c3 - c1));
    }
  for (const std::string& l : lines_of(stats_command(sock, "show stat -1 8 -1")))
    if (!l.empty() && l[0] != '#') r.filtered += l.substr(0, l.find(',', l.find(',') + 1)) + " ";
  const std::string json = stats_command(sock, "show stat json");
  const size_t at = json.find("\"objType\":\"Listener\"");
  r.json_type = at == std::string::npos ? "none" : "Listener";
  const std::string metrics = http_get(p.stats, "/metrics?scope=listener");
  for (const std::string& l : lines_of(metrics.substr(metrics.find("\r\n\r\n") + 4)))
    if (l.rfind("haproxy_listener_", 0) == 0 &&
        l.find("listener=\"sock-1\"") == std::string::npos)  // the scrape's own listener
      r.prom.push_back(l);
  return r;
}

TEST(ListenerStats, RowsAndMetricsAsHAProxy) {
  const Seen ours = run("");
  const Seen theirs = run("haproxy");
  ASSERT_EQ(ours.rows.size(), 3u) << testing::PrintToString(ours.rows);
  EXPECT_EQ(ours.rows, theirs.rows);
  // The frontend's request bytes are its listeners'. (Hearth counts the bytes
  // as received, HAProxy its internal form without the CRLFs: not compared.)
  for (const Seen* s : {&ours, &theirs}) {
    ASSERT_EQ(s->bytes_in.size(), 3u);
    EXPECT_GT(s->bytes_in[1], s->bytes_in[2]);  // two requests on web, one on sock-2
    EXPECT_EQ(s->bytes_in[1] + s->bytes_in[2], s->fe_bytes_in);
  }
  EXPECT_EQ(ours.typed_keys, theirs.typed_keys);
  EXPECT_EQ(ours.filtered, "stats,sock-1 fe,web fe,sock-2 ");
  EXPECT_EQ(ours.filtered, theirs.filtered);
  EXPECT_EQ(ours.json_type, "Listener");
  EXPECT_EQ(ours.json_type, theirs.json_type);
  ASSERT_FALSE(ours.prom.empty());
  // Values aside from the bytes (counted differently, above).
  auto no_bytes_out = [](std::vector<std::string> v) {
    std::erase_if(v, [](const std::string& l) { return l.find("bytes_") != l.npos; });
    for (std::string& l : v)  // as smax above
      if (l.rfind("haproxy_listener_max_sessions", 0) == 0 && l.substr(l.rfind(' ') + 1) != "0")
        l = l.substr(0, l.rfind(' ')) + " 1+";
    return v;
  };
  EXPECT_EQ(no_bytes_out(ours.prom), no_bytes_out(theirs.prom));
}

// A listener at its own maxconn is FULL; one whose frontend is at its
// maxconn is WAITING; as HAProxy.
TEST(ListenerStats, FullAndWaitingAsHAProxy) {
  for (const char* binary : {"", "haproxy"}) {
    HttpBackend server;
    TempDir dir;
    const std::string sock = dir.file("s.sock");
    const uint16_t a = free_tcp_port(), b = free_tcp_port();
    const std::string cfg = "global\n  stats socket " + sock +
                            " level admin\n"
                            "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
                            "  timeout server 5s\n  option socket-stats\n"
                            "frontend one\n  bind 127.0.0.1:" +
                            std::to_string(a) +
                            " maxconn 1\n  default_backend be\n"
                            "frontend two\n  maxconn 1\n  bind 127.0.0.1:" +
                            std::to_string(b) +
                            "\n  default_backend be\n"
                            "backend be\n  server s1 127.0.0.1:" +
                            std::to_string(server.port()) + "\n";
    HearthOptions opt{.wait_ports = {a, b}};
    if (*binary) opt.binary = binary, opt.extra_args = {"-db"};
    HearthProcess h(cfg, opt);
    ASSERT_TRUE(h.ready()) << h.describe();
    std::string before;
    for (const std::string& l : lines_of(stats_command(sock, "show stat -1 8 -1")))
      if (l.rfind("one,", 0) == 0 || l.rfind("two,", 0) == 0) before += split(l)[17] + " ";
    EXPECT_EQ(before, "OPEN OPEN ") << binary;
    // One connection held on each: both at their limit.
    HttpClient c1(a), c2(b);
    ASSERT_TRUE(c1.send("GET /slow/1500 HTTP/1.1\r\nhost: x\r\n\r\n"));
    ASSERT_TRUE(c2.send("GET /slow/1500 HTTP/1.1\r\nhost: x\r\n\r\n"));
    ASSERT_TRUE(wait_until([&] { return server.requests().size() >= 2; }, std::chrono::seconds(3)));
    std::string during;
    for (const std::string& l : lines_of(stats_command(sock, "show stat -1 8 -1")))
      if (l.rfind("one,", 0) == 0 || l.rfind("two,", 0) == 0) during += split(l)[17] + " ";
    EXPECT_EQ(during, "FULL WAITING ") << binary;
  }
}

}  // namespace
}  // namespace hearth::test::http
