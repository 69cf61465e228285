// ACL routing through the real binary: host and path switching to several
// backends, conditions on http-request and http-response rules, predefined
// and anonymous ACLs. Every case runs through HAProxy with the same
// configuration, and both must give the same answer.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/fake_backend.h"
#include "support/ports.h"
#include "support/temp_dir.h"

namespace hearth::test::http {
namespace {

std::string routing_config(uint16_t fe, uint16_t web, uint16_t api, uint16_t stat) {
  auto backend = [](const std::string& name, uint16_t port) {
    return "backend " + name + "\n  http-response set-header X-From " + name +
           "\n  server s 127.0.0.1:" + std::to_string(port) + "\n";
  };
  return "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
         "  timeout server 5s\n"
         "frontend fe\n  bind 127.0.0.1:" +
         std::to_string(fe) +
         "\n"
         "  acl host_api hdr(host) -i api.example.com\n"
         "  acl host_static hdr_beg(host) -i img. static.\n"
         "  acl static_path path_beg /static/ /images/\n"
         "  acl static_path path_end .png .css\n"
         "  acl v2 url_param(v) 2\n"
         "  http-request deny deny_status 403 if { path_beg /admin } !{ src 10.0.0.0/8 }\n"
         "  http-request return status 204 if { path /ping } METH_GET\n"
         "  http-request deny deny_status 405 if METH_POST host_static\n"
         "  http-request set-header X-Api yes if host_api\n"
         "  http-response set-header X-Ok yes if { status 200 }\n"
         "  http-response del-header X-From if { res.hdr(x-target) -m beg /hide }\n"
         "  use_backend api if host_api || v2\n"
         "  use_backend static if host_static or static_path\n"
         "  default_backend web\n" +
         backend("web", web) + backend("api", api) + backend("static", stat);
}

struct Answer {
  int status = 0;
  std::string from, ok;
  bool operator==(const Answer&) const = default;
};

std::string show(const Answer& a) {
  return std::to_string(a.status) + " from=" + a.from + " ok=" + a.ok;
}

Answer ask(uint16_t port, const std::string& method, const std::string& target,
           const std::string& host) {
  HttpClient c(port);
  std::string req = method + " " + target + " HTTP/1.1\r\nhost: " + host + "\r\n";
  if (method == "POST") req += "content-length: 0\r\n";
  req += "\r\n";
  if (!c.send(req)) return {};
  HttpResponse r = c.read_response();
  return Answer{r.status, r.header("x-from").value_or("-"), r.header("x-ok").value_or("-")};
}

TEST(AclRouting, HostAndPathSwitchingMatchesHAProxy) {
  struct Case {
    std::string method, target, host;
    Answer want;
  };
  const std::vector<Case> cases = {
      {"GET", "/", "www.example.com", {200, "web", "yes"}},
      {"GET", "/x", "API.example.com", {200, "api", "yes"}},
      {"GET", "/x?a=1&v=2", "www.example.com", {200, "api", "yes"}},
      {"GET", "/x?v=3", "www.example.com", {200, "web", "yes"}},
      {"GET", "/static/app.js", "www.example.com", {200, "static", "yes"}},
      {"GET", "/a/b/logo.png", "www.example.com", {200, "static", "yes"}},
      {"GET", "/", "img.example.com", {200, "static", "yes"}},
      {"POST", "/", "static.example.com", {405, "-", "-"}},
      {"POST", "/", "www.example.com", {200, "web", "yes"}},
      {"GET", "/admin/users", "www.example.com", {403, "-", "-"}},
      {"GET", "/ping", "www.example.com", {204, "-", "-"}},
      {"HEAD", "/ping", "www.example.com", {204, "-", "-"}},  // METH_GET is GET or HEAD
      {"DELETE", "/ping", "www.example.com", {200, "web", "yes"}},
      {"GET", "/hide/me", "www.example.com", {200, "-", "yes"}},
  };
  std::vector<std::vector<Answer>> by_binary;
  for (const std::string binary : {"", "haproxy"}) {
    HttpBackend web, api, stat;
    const uint16_t port = free_tcp_port();
    HearthOptions opt{.wait_ports = {port}};
    if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
    HearthProcess h(routing_config(port, web.port(), api.port(), stat.port()), opt);
    ASSERT_TRUE(h.ready()) << binary << ": " << h.describe();
    std::vector<Answer> got;
    for (const Case& k : cases) got.push_back(ask(port, k.method, k.target, k.host));
    by_binary.push_back(got);
    // The conditional rule set X-Api on the request sent for host api, not on
    // the one switched there by its url parameter.
    ASSERT_EQ(api.request_count(), 2u) << binary;
    for (const auto& r : api.requests())
      EXPECT_EQ(r.header("x-api").value_or("-"),
                r.header("host") == "API.example.com" ? "yes" : "-")
          << binary;
  }
  for (size_t i = 0; i < cases.size(); ++i) {
    const Case& k = cases[i];
    const std::string what = k.method + " " + k.target + " host " + k.host;
    EXPECT_EQ(by_binary[0][i], k.want) << what << ": hearth " << show(by_binary[0][i]);
    EXPECT_EQ(by_binary[0][i], by_binary[1][i])
        << what << ": hearth " << show(by_binary[0][i]) << ", haproxy " << show(by_binary[1][i]);
  }
}

// TCP mode: use_backend on a layer-4 condition (the client's address).
TEST(AclRouting, TcpSwitchingOnSource) {
  HttpBackend local, other;
  const uint16_t port = free_tcp_port();
  const std::string cfg =
      "defaults\n  mode tcp\n  timeout connect 1s\n  timeout client 5s\n  timeout server 5s\n"
      "frontend fe\n  bind 127.0.0.1:" +
      std::to_string(port) +
      "\n  use_backend other if !LOCALHOST\n  use_backend local if { src 127.0.0.0/8 }\n"
      "  default_backend other\n"
      "backend local\n  server s 127.0.0.1:" +
      std::to_string(local.port()) +
      "\nbackend other\n  server s 127.0.0.1:" + std::to_string(other.port()) + "\n";
  HearthProcess h(cfg, {.wait_ports = {port}});
  ASSERT_TRUE(h.ready()) << h.describe();
  HttpClient c(port);
  EXPECT_EQ(c.request("GET", "/").status, 200);
  EXPECT_EQ(local.request_count(), 1u);
  EXPECT_EQ(other.request_count(), 0u);
}

// Map-driven routing: a variable set from a map, a dynamic use_backend, a
// header built from an expression; a map entry naming no backend falls to
// default_backend. Compared with HAProxy.
TEST(AclRouting, MapDrivenDynamicUseBackendMatchesHAProxy) {
  TempDir dir;
  const std::string map = dir.file("hosts.map");
  ASSERT_TRUE(write_file(map,
                         "# host  backend\n"
                         "api.example.com    be_api\n"
                         "  static.example.com\tbe_static  \n"
                         "ghost.example.com  be_ghost\n"));
  const std::string ipmap = dir.file("nets.map");
  ASSERT_TRUE(write_file(ipmap, "127.0.0.0/8 loopback\n127.0.0.1/32 exact\n0.0.0.0/0 any\n"));
  struct Case {
    std::string host;
    std::string from, xhost;
  };
  const std::vector<Case> cases = {
      {"API.Example.com", "be_api", "api.example.com"},
      {"static.example.com", "be_static", "static.example.com"},
      {"ghost.example.com", "be_default", "ghost.example.com"},
      {"other.example.com", "be_default", "other.example.com"},
  };
  for (const std::string binary : {"", "haproxy"}) {
    HttpBackend api, stat, def;
    const uint16_t port = free_tcp_port();
    auto backend = [](const std::string& name, uint16_t p) {
      return "backend " + name + "\n  http-response set-header X-From " + name +
             "\n  server s 127.0.0.1:" + std::to_string(p) + "\n";
    };
    const std::string cfg =
        "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
        "  timeout server 5s\n"
        "frontend fe\n  bind 127.0.0.1:" +
        std::to_string(port) +
        "\n"
        "  http-request set-header X-Request-Host %[req.hdr(host),lower]\n"
        "  http-request set-header X-Net %[src,map_ip(" +
        ipmap +
        ",none)]\n"
        "  http-request set-var(txn.route) req.hdr(host),lower,map_str(" +
        map +
        ",be_default)\n"
        "  use_backend %[var(txn.route)]\n"
        "  default_backend be_default\n" +
        backend("be_api", api.port()) + backend("be_static", stat.port()) +
        backend("be_default", def.port());
    HearthOptions opt{.wait_ports = {port}};
    if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
    HearthProcess h(cfg, opt);
    ASSERT_TRUE(h.ready()) << binary << ": " << h.describe();
    for (const Case& k : cases) {
      HttpClient c(port);
      ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nhost: " + k.host + "\r\n\r\n"));
      HttpResponse r = c.read_response();
      EXPECT_EQ(r.status, 200) << binary << " " << k.host;
      EXPECT_EQ(r.header("x-from").value_or("-"), k.from) << binary << " " << k.host;
    }
    // What the servers saw: the lower-cased host, and the finest network.
    std::vector<HttpRequestRecord> seen = def.requests();
    for (const auto& r : api.requests()) seen.push_back(r);
    for (const auto& r : stat.requests()) seen.push_back(r);
    ASSERT_EQ(seen.size(), cases.size()) << binary;
    for (const auto& r : seen) {
      std::string host = r.header("host").value_or("");
      for (char& ch : host) ch = char(tolower(static_cast<unsigned char>(ch)));
      EXPECT_EQ(r.header("x-request-host").value_or("-"), host) << binary;
      EXPECT_EQ(r.header("x-net").value_or("-"), "exact") << binary;
    }
  }
}

}  // namespace
}  // namespace hearth::test::http
