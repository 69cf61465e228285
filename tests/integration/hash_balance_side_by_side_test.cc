// Hash-based balancing compared with HAProxy itself: the same config (five
// servers of mixed weights that answer their own name) run by haproxy and by
// hearth, the same ~200 keys sent to both, and the server each key reached
// compared key by key, for every algorithm and hash-type variant. The
// comparison passes only at 100% agreement; the agreement ratio is printed.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "integration/http_test_util.h"
#include "support/fake_backend.h"
#include "support/hearth_process.h"
#include "support/ports.h"
#include "support/temp_dir.h"

namespace hearth::test {
namespace {

using http::HttpBackend;
using http::HttpClient;
using std::chrono::milliseconds;

// One request: its target and extra header lines.
struct Key {
  std::string target;
  std::vector<std::string> headers;
};

class HashSideBySide : public ::testing::Test {
 protected:
  static constexpr int kServers = 5;
  static constexpr int kWeights[kServers] = {1, 2, 1, 3, 1};

  void SetUp() override {
    for (int i = 0; i < kServers; ++i) {
      HttpBackend::Options o;
      o.body = "s" + std::to_string(i + 1);
      servers_.push_back(std::make_unique<HttpBackend>(o));
    }
  }

  // The config both run: `balance` lines, then the five servers (the HTTP
  // ones, or those of `ports` in tcp mode).
  std::string config(uint16_t port, const std::string& balance) const {
    std::vector<uint16_t> ports;
    for (const auto& s : servers_) ports.push_back(s->port());
    return config_for(port, balance, "http", ports);
  }
  static std::string config_for(uint16_t port, const std::string& balance, const std::string& mode,
                                const std::vector<uint16_t>& ports,
                                const std::vector<std::string>& srv_extra = {}) {
    std::string c = "defaults\n  mode " + mode +
                    "\n  timeout connect 2s\n  timeout client 5s\n"
                    "  timeout server 5s\n"
                    "listen px\n  bind 127.0.0.1:" +
                    std::to_string(port) + "\n" + balance;
    for (int i = 0; i < kServers; ++i)
      c += "  server s" + std::to_string(i + 1) + " 127.0.0.1:" + std::to_string(ports[i]) +
           " weight " + std::to_string(kWeights[i]) +
           (srv_extra.empty() ? std::string() : srv_extra[i]) + "\n";
    return c;
  }

  // Returns: the server (its name) each key reached through the proxy on
  // `port`, "?" where the exchange failed. "${AUTH}" in a target stands for
  // the proxy's address (an absolute URI must name the Host it is sent to).
  static std::vector<std::string> route(uint16_t port, const std::vector<Key>& keys) {
    std::vector<std::string> out;
    auto c = std::make_unique<HttpClient>(port);
    const std::string auth = "127.0.0.1:" + std::to_string(port);
    for (const Key& k : keys) {
      http::HttpResponse r = c->request("GET", expand(k.target, {{"AUTH", auth}}), k.headers);
      if (r.status != 200) {
        c = std::make_unique<HttpClient>(port);
        out.push_back("?");
        continue;
      }
      out.push_back(r.body);
    }
    return out;
  }

  struct Outcome {
    std::vector<std::string> haproxy, hearth;
  };

  using Router = std::vector<std::string> (*)(uint16_t, const std::vector<Key>&);
  using Config = std::function<std::string(uint16_t)>;

  Outcome run_both(const std::string& balance, const std::vector<Key>& keys) {
    return run_both([&](uint16_t p) { return config(p, balance); }, keys, route);
  }

  static Outcome run_both(const Config& config, const std::vector<Key>& keys, Router route) {
    Outcome o;
    const uint16_t hp = free_tcp_port(), hh = free_tcp_port();
    {
      HearthOptions ho;
      ho.binary = "haproxy";
      ho.extra_args = {"-db"};
      ho.wait_ports = {hp};
      HearthProcess ha(config(hp), ho);
      if (!ha.ready()) {
        ADD_FAILURE() << ha.describe();
        return o;
      }
      o.haproxy = route(hp, keys);
    }
    HearthOptions opt;
    opt.wait_ports = {hh};
    HearthProcess he(config(hh), opt);
    if (!he.ready()) {
      ADD_FAILURE() << he.describe();
      return o;
    }
    o.hearth = route(hh, keys);
    return o;
  }

  // Compares key by key; prints the agreement ratio.
  void expect_same(const std::string& balance, const std::vector<Key>& keys) {
    SCOPED_TRACE(balance);
    compare(balance, run_both(balance, keys), keys);
  }

  // min_spread: how many servers the keys must reach at least.
  static void compare(const std::string& balance, const Outcome& o, const std::vector<Key>& keys,
                      size_t min_spread = 3) {
    ASSERT_EQ(o.haproxy.size(), keys.size());
    ASSERT_EQ(o.hearth.size(), keys.size());
    size_t same = 0;
    std::set<std::string> used;
    std::string diffs;
    for (size_t i = 0; i < keys.size(); ++i) {
      used.insert(o.haproxy[i]);
      if (o.haproxy[i] == o.hearth[i]) {
        ++same;
      } else if (diffs.size() < 400) {
        diffs +=
            "  " + keys[i].target + " haproxy=" + o.haproxy[i] + " hearth=" + o.hearth[i] + "\n";
      }
    }
    std::string shown = balance;
    for (char& ch : shown)
      if (ch == '\n') ch = ';';
    std::printf("[side-by-side] %-70s agreement %zu/%zu\n", shown.c_str(), same, keys.size());
    EXPECT_EQ(used.count("?"), 0u) << "haproxy failed some requests";
    // A spread over several servers: a config that sent everything to one
    // server would agree trivially.
    EXPECT_GE(used.size(), min_spread);
    EXPECT_EQ(same, keys.size()) << diffs;
  }

  std::vector<std::unique_ptr<HttpBackend>> servers_;
};

// ~200 distinct URIs of varied depth, length and query strings.
std::vector<Key> uri_keys() {
  std::vector<Key> keys;
  const char* words[] = {"img", "static", "api", "v1", "cache", "users", "x", "assets"};
  for (int i = 0; i < 200; ++i) {
    std::string t = "/" + std::string(words[i % 8]) + "/" + std::to_string(i * 7919 % 1000);
    if (i % 3 == 0) t += "/" + std::string(words[(i / 3) % 8]) + std::to_string(i);
    if (i % 4 == 1) t += "?q=" + std::to_string(i) + "&r=" + std::to_string(i % 5);
    keys.push_back({t, {}});
  }
  return keys;
}

std::vector<Key> param_keys() {
  std::vector<Key> keys;
  for (int i = 0; i < 200; ++i) {
    std::string t = "/p/" + std::to_string(i % 3) + "?a=" + std::to_string(i);
    // One in ten has no uid: round robin, which both must also agree on.
    if (i % 10 != 9) t += "&uid=user" + std::to_string(i * 31);
    keys.push_back({t, {}});
  }
  return keys;
}

std::vector<Key> header_keys(const std::string& name) {
  std::vector<Key> keys;
  for (int i = 0; i < 200; ++i) {
    Key k{"/h/" + std::to_string(i), {}};
    if (i % 10 != 9) k.headers.push_back(name + ": tenant-" + std::to_string(i * 131) + ".example");
    keys.push_back(k);
  }
  return keys;
}

std::vector<Key> host_keys() {
  std::vector<Key> keys;
  const char* tlds[] = {"com", "org", "eu", "net"};
  for (int i = 0; i < 200; ++i)
    keys.push_back({"/d/" + std::to_string(i),
                    {"x-host: www" + std::to_string(i % 3) + ".site" + std::to_string(i) + "." +
                     tlds[i % 4]}});
  return keys;
}

// One request from source address `src` (a loopback address) on a fresh
// connection. Returns: the body of the answer (the server's name), or "?".
std::string request_from(uint16_t port, const std::string& src) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return "?";
  sockaddr_in a{};
  a.sin_family = AF_INET;
  inet_pton(AF_INET, src.c_str(), &a.sin_addr);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string got;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0) {
    const std::string req = "GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n";
    if (write(fd, req.data(), req.size()) == ssize_t(req.size())) {
      char buf[4096];
      for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) got.append(buf, size_t(n));
    }
  }
  close(fd);
  const size_t body = got.find("\r\n\r\n");
  if (got.rfind("HTTP/1.1 200", 0) != 0 || body == std::string::npos) return "?";
  return got.substr(body + 4);
}

// balance source: each key's target is the client's source address.
std::vector<std::string> route_from_sources(uint16_t port, const std::vector<Key>& keys) {
  std::vector<std::string> out;
  for (const Key& k : keys) out.push_back(request_from(port, k.target));
  return out;
}

std::vector<Key> source_keys() {
  std::vector<Key> keys;
  for (int i = 0; i < 200; ++i)
    keys.push_back({"127." + std::to_string(i % 7) + "." + std::to_string(i * 37 % 256) + "." +
                        std::to_string(1 + i % 250),
                    {}});
  return keys;
}

// An RDP connection request carrying "Cookie: mstshash=VALUE".
std::string rdp_request(const std::string& value) {
  const std::string cookie = "Cookie: mstshash=" + value + "\r\n";
  const size_t total = 4 + 7 + cookie.size();
  std::string p = {3, 0, char(total >> 8), char(total & 0xff)};
  p += std::string{char(6 + cookie.size()), char(0xe0), 0, 0, 0, 0, 0};
  return p + cookie;
}

// balance rdp-cookie: each key's target is the cookie's value, sent to a tcp
// proxy whose servers write their name first thing.
std::vector<std::string> route_rdp(uint16_t port, const std::vector<Key>& keys) {
  std::vector<std::string> out;
  for (const Key& k : keys) {
    HttpClient c(port);
    std::string line;
    if (c.send(rdp_request(k.target))) line = c.read_n(3, milliseconds{5000});
    out.push_back(line.size() == 3 && line[2] == '\n' ? line.substr(0, 2) : "?");
  }
  return out;
}

TEST_F(HashSideBySide, SourceEveryHashType) {
  // Without avalanche, consistent hashing places the raw XOR of the address
  // on the ring: every 127/8 source lands near 0x7f000000, on one server
  // behind both proxies (so the spread is not required there).
  struct Variant {
    const char* hash_type;
    size_t min_spread;
  };
  for (const Variant& v : {Variant{"", 3}, Variant{"  hash-type consistent\n", 3},
                           Variant{"  hash-type consistent sdbm\n", 1},
                           Variant{"  hash-type map-based sdbm avalanche\n", 3},
                           Variant{"  hash-type consistent crc32\n", 1},
                           Variant{"  hash-type consistent wt6 avalanche\n", 3}}) {
    const std::string balance = std::string("  balance source\n") + v.hash_type;
    SCOPED_TRACE(balance);
    compare(
        balance,
        run_both([&](uint16_t p) { return config(p, balance); }, source_keys(), route_from_sources),
        source_keys(), v.min_spread);
  }
}

TEST_F(HashSideBySide, RdpCookieInTcpMode) {
  std::vector<std::unique_ptr<NameServer>> names;
  std::vector<uint16_t> ports;
  for (int i = 0; i < kServers; ++i) {
    names.push_back(std::make_unique<NameServer>("s" + std::to_string(i + 1)));
    ports.push_back(names.back()->port());
  }
  std::vector<Key> keys;
  for (int i = 0; i < 100; ++i) keys.push_back({"user" + std::to_string(i * 17), {}});
  for (const char* t : {"", "  hash-type consistent\n"}) {
    const std::string balance = std::string(
                                    "  tcp-request inspect-delay 2s\n"
                                    "  tcp-request content accept if RDP_COOKIE\n"
                                    "  balance rdp-cookie\n") +
                                t;
    SCOPED_TRACE(balance);
    compare(
        balance,
        run_both([&](uint16_t p) { return config_for(p, balance, "tcp", ports); }, keys, route_rdp),
        keys);
  }
}

// The measure: 10,000 keys over the five servers, consistent hashing.
TEST_F(HashSideBySide, TenThousandKeysConsistent) {
  std::vector<Key> keys;
  for (int i = 0; i < 10000; ++i)
    keys.push_back({"/cache/" + std::to_string(i * 2654435761u % 1000003) + ".jpg", {}});
  expect_same("  balance uri\n  hash-type consistent\n", keys);
}

// Explicit server ids (which place a server's points on the ring) and a
// server out of the farm ("disabled"): the same keys still reach the same
// servers behind both.
TEST_F(HashSideBySide, ServerIdsAndADisabledServer) {
  std::vector<uint16_t> ports;
  for (const auto& srv : servers_) ports.push_back(srv->port());
  const std::vector<std::string> extra = {" id 12", " id 3", " id 40 disabled", " id 7", " id 5"};
  for (const char* t : {"  balance uri\n  hash-type consistent\n", "  balance uri\n"}) {
    SCOPED_TRACE(t);
    compare(t,
            run_both([&](uint16_t p) { return config_for(p, t, "http", ports, extra); }, uri_keys(),
                     route),
            uri_keys());
  }
}

// Returns: the "algo" column of the backend row of `show stat`, or "?".
std::string algo_column(const std::string& socket) {
  const std::string csv = http::stats_command(socket, "show stat");
  std::vector<std::string> head, row;
  auto split = [](const std::string& line) {
    std::vector<std::string> f;
    size_t at = 0;
    for (size_t c; (c = line.find(',', at)) != std::string::npos; at = c + 1)
      f.push_back(line.substr(at, c - at));
    f.push_back(line.substr(at));
    return f;
  };
  size_t at = 0;
  for (size_t nl; (nl = csv.find('\n', at)) != std::string::npos; at = nl + 1) {
    const std::string line = csv.substr(at, nl - at);
    if (line.rfind("# ", 0) == 0) head = split(line.substr(2));
    if (line.rfind("px,BACKEND,", 0) == 0) row = split(line);
  }
  for (size_t i = 0; i < head.size() && i < row.size(); ++i)
    if (head[i] == "algo") return row[i];
  return "?";
}

// show stat names each algorithm as HAProxy does.
TEST_F(HashSideBySide, AlgorithmNamesInShowStat) {
  TempDir dir;
  for (const char* algo :
       {"uri whole", "url_param uid", "hdr(x-key)", "hash path", "rdp-cookie", "source"}) {
    std::string names[2];
    for (int i = 0; i < 2; ++i) {
      const std::string sock = dir.file(std::string("s") + std::to_string(i) + ".sock");
      const uint16_t port = free_tcp_port();
      const std::string cfg = "global\n  stats socket " + sock + " level admin\n" +
                              config(port, std::string("  balance ") + algo + "\n");
      HearthOptions o;
      if (i == 0) {
        o.binary = "haproxy";
        o.extra_args = {"-db"};
      }
      o.wait_ports = {port};
      HearthProcess p(cfg, o);
      ASSERT_TRUE(p.ready()) << p.describe();
      names[i] = algo_column(sock);
    }
    EXPECT_NE(names[0], "?") << algo;
    EXPECT_EQ(names[1], names[0]) << algo;
  }
}

// A server put in maintenance at run time (`set server px/s3 state maint`):
// under consistent hashing only the keys it held move, and they move to the
// same servers as behind HAProxy; under map-based hashing most keys move,
// alike behind both.
TEST_F(HashSideBySide, ServerInMaintenanceAtRunTime) {
  TempDir dir;
  const std::vector<Key> keys = uri_keys();
  for (const char* balance : {"  balance uri\n  hash-type consistent\n", "  balance uri\n"}) {
    SCOPED_TRACE(balance);
    std::vector<std::string> before[2], after[2];
    for (int i = 0; i < 2; ++i) {
      const std::string sock = dir.file(std::string("m") + std::to_string(i) + ".sock");
      const uint16_t port = free_tcp_port();
      HearthOptions o;
      if (i == 0) {
        o.binary = "haproxy";
        o.extra_args = {"-db"};
      }
      o.wait_ports = {port};
      HearthProcess p("global\n  stats socket " + sock + " level admin\n" + config(port, balance),
                      o);
      ASSERT_TRUE(p.ready()) << p.describe();
      before[i] = route(port, keys);
      EXPECT_EQ(http::stats_command(sock, "set server px/s3 state maint"), "\n");
      after[i] = route(port, keys);
    }
    EXPECT_EQ(before[1], before[0]);
    EXPECT_EQ(after[1], after[0]);
    size_t moved = 0, held = 0;
    for (size_t k = 0; k < keys.size(); ++k) {
      ASSERT_NE(after[1][k], "s3");
      held += before[1][k] == "s3";
      moved += before[1][k] != after[1][k];
    }
    ASSERT_GT(held, 0u);
    if (std::string(balance).find("consistent") != std::string::npos)
      EXPECT_EQ(moved, held) << "only s3's keys move";
    else
      EXPECT_GT(moved, held) << "map-based hashing moves more than s3's keys";
  }
}

TEST_F(HashSideBySide, UriMapBased) { expect_same("  balance uri\n", uri_keys()); }

TEST_F(HashSideBySide, UriConsistentDefault) {
  expect_same("  balance uri\n  hash-type consistent\n", uri_keys());
}

TEST_F(HashSideBySide, UriEveryFunction) {
  for (const char* f : {"sdbm", "djb2", "wt6", "crc32"}) {
    expect_same(std::string("  balance uri whole\n  hash-type consistent ") + f + "\n", uri_keys());
    expect_same(std::string("  balance uri\n  hash-type map-based ") + f + " avalanche\n",
                uri_keys());
  }
}

TEST_F(HashSideBySide, UriLenDepthWholePathOnly) {
  expect_same("  balance uri len 9 depth 2 whole\n", uri_keys());
  expect_same("  balance uri depth 1\n  hash-type consistent\n", uri_keys());
  std::vector<Key> abs;
  for (const Key& k : uri_keys()) abs.push_back({"http://${AUTH}" + k.target, {}});
  expect_same("  balance uri path-only\n", abs);
}

TEST_F(HashSideBySide, UrlParamWithRoundRobinFallback) {
  expect_same("  balance url_param uid\n", param_keys());
  expect_same("  balance url_param uid\n  hash-type consistent djb2 avalanche\n", param_keys());
}

// A POST for balance url_param: `target`, then headers[0] the payload and
// headers[1] how it is sent: "now" (with the head), "late" (50 ms after
// it), "chunked" (late, in two chunks) or "continue" (after the proxy's
// 100 Continue). Returns: the server's name, or "?".
std::vector<std::string> route_posts(uint16_t port, const std::vector<Key>& keys) {
  std::vector<std::string> out;
  for (const Key& k : keys) {
    HttpClient c(port);
    const std::string& body = k.headers.at(0);
    const std::string& how = k.headers.at(1);
    std::string head = "POST " + k.target + " HTTP/1.1\r\nhost: x\r\n";
    head += how == "chunked" ? "transfer-encoding: chunked\r\n"
                             : "content-length: " + std::to_string(body.size()) + "\r\n";
    if (how == "continue") head += "expect: 100-continue\r\n";
    head += "\r\n";
    std::string rest = body;
    if (how == "chunked") {
      const size_t half = body.size() / 2;
      auto chunk = [](std::string_view b) {
        char len[16];
        snprintf(len, sizeof len, "%zx\r\n", b.size());
        return std::string(len) + std::string(b) + "\r\n";
      };
      rest = chunk(std::string_view(body).substr(0, half)) +
             chunk(std::string_view(body).substr(half)) + "0\r\n\r\n";
    }
    bool ok = true;
    if (how == "now") {
      ok = c.send(head + rest);
    } else {
      ok = c.send(head);
      if (how == "continue") {
        const http::HttpResponse interim = c.read_response(milliseconds{2000});
        ok = ok && interim.status == 100;
      } else {
        std::this_thread::sleep_for(milliseconds{50});
      }
      ok = ok && c.send(rest);
    }
    const http::HttpResponse r = ok ? c.read_response() : http::HttpResponse{};
    out.push_back(r.status == 200 ? r.body : "?");
  }
  return out;
}

std::vector<Key> post_keys() {
  std::vector<Key> keys;
  const char* hows[] = {"now", "late", "chunked", "continue"};
  for (int i = 0; i < 48; ++i) {
    const std::string how = hows[i % 4];
    const std::string uid = "user" + std::to_string(i * 37);
    switch (i / 4 % 6) {
      case 0:  // the payload alone holds it
        keys.push_back({"/f", {"uid=" + uid, how}});
        break;
      case 1:  // after other fields
        keys.push_back({"/f?a=1", {"x=1&y=2&uid=" + uid + "&z=3", how}});
        break;
      case 2:  // the query string wins over the payload
        keys.push_back({"/f?uid=" + uid, {"uid=other", how}});
        break;
      case 3:  // white space first: an empty value, hashed
        keys.push_back({"/f", {"uid= " + uid, how}});
        break;
      case 4:  // not a form: round robin
        keys.push_back({"/f", {"uid=\x01" + uid, how}});
        break;
      default:  // no such field: round robin
        keys.push_back({"/f", {"name=" + uid, how}});
        break;
    }
  }
  return keys;
}

// url_param on a POST: the parameter is looked for in the payload when the
// query string has none, the payload being waited for as HAProxy does
// (with or without check_post), however it arrives.
TEST_F(HashSideBySide, UrlParamInPostPayloads) {
  for (const char* balance : {"  balance url_param uid\n", "  balance url_param uid check_post\n",
                              "  balance url_param uid check_post\n  hash-type consistent\n"}) {
    SCOPED_TRACE(balance);
    compare(balance,
            run_both([&](uint16_t p) { return config(p, balance); }, post_keys(), route_posts),
            post_keys());
  }
}

TEST_F(HashSideBySide, HdrWithRoundRobinFallback) {
  expect_same("  balance hdr(x-key)\n", header_keys("x-key"));
  expect_same("  balance hdr(x-key)\n  hash-type consistent\n", header_keys("x-key"));
  expect_same("  balance hdr(x-host) use_domain_only\n", host_keys());
  expect_same("  balance hdr(x-host) use_domain_only\n  hash-type consistent wt6\n", host_keys());
}

TEST_F(HashSideBySide, HashExpression) {
  expect_same("  balance hash req.hdr(x-key),lower\n  hash-type consistent\n",
              header_keys("x-key"));
  expect_same("  balance hash path\n", uri_keys());
}

}  // namespace
}  // namespace hearth::test
