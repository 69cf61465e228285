// Maps and ACLs changed at run time: the runtime API's map/acl commands and
// the add-acl/del-acl/set-map/del-map actions, seen by routing on the next
// request, through hearth and HAProxy with the same configuration (entry
// references, which are addresses, are masked before comparing).
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"
#include "support/temp_dir.h"

namespace hearth::test::http {
namespace {

std::string config(uint16_t port, const std::string& sock, const std::string& dir) {
  return "global\n  nbthread 2\n  stats socket " + sock +
         " level admin\n"
         "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
         "  timeout server 5s\n"
         "frontend fe\n  bind 127.0.0.1:" +
         std::to_string(port) +
         "\n"
         "  acl blocked req.hdr(user-agent) -i -m str -f " +
         dir +
         "/agents.acl\n"
         "  acl on_list req.hdr(x-client) -f " +
         dir +
         "/clients.acl\n"
         "  http-request add-acl(" +
         dir +
         "/clients.acl) %[req.hdr(x-add)] if { req.hdr(x-add) -m found }\n"
         "  http-request del-acl(" +
         dir +
         "/clients.acl) %[req.hdr(x-del)] if { req.hdr(x-del) -m found }\n"
         "  http-request set-map(" +
         dir +
         "/hosts.map) %[req.hdr(x-key)] %[req.hdr(x-val)] if { req.hdr(x-val) -m found }\n"
         "  http-request del-map(" +
         dir +
         "/hosts.map) %[req.hdr(x-key)] if { req.hdr(x-unmap) -m found }\n"
         "  http-request deny if blocked\n"
         "  http-request return status 200 hdr x-listed yes if on_list\n"
         "  use_backend %[req.hdr(host),map(" +
         dir +
         "/hosts.map,be_default)]\n"
         "backend be1\n  http-request return status 200 hdr x-be be1\n"
         "backend be2\n  http-request return status 200 hdr x-be be2\n"
         "backend be_default\n  http-request return status 200 hdr x-be default\n";
}

void write(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

// Returns: "STATUS be=X listed=Y" for one request on a new connection.
std::string ask(uint16_t port, const std::string& host, const std::string& extra = "") {
  HttpClient c(port);
  if (!c.send("GET / HTTP/1.1\r\nhost: " + host + "\r\n" + extra + "\r\n")) return "send failed";
  HttpResponse r = c.read_response();
  return std::to_string(r.status) + " be=" + r.header("x-be").value_or("-") +
         " listed=" + r.header("x-listed").value_or("-");
}

std::string cli(const std::string& sock, const std::string& cmd) {
  static const std::regex ref("0x[0-9a-f]+");
  return std::regex_replace(stats_command(sock, cmd), ref, "0xREF");
}

struct Outcome {
  std::vector<std::string> seen;
  std::string dir;
};

Outcome run(const std::string& binary) {
  Outcome out;
  TempDir dir;
  out.dir = dir.path();
  write(dir.file("hosts.map"), "a.test be1\n# comment\nb.test   be2  \n");
  write(dir.file("agents.acl"), "BadBot\n");
  write(dir.file("clients.acl"), "");
  const std::string sock = dir.file("stats.sock");
  const std::string map = dir.file("hosts.map"), acl = dir.file("agents.acl");
  const uint16_t port = free_tcp_port();
  HearthOptions opt{.wait_ports = {port}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  HearthProcess h(config(port, sock, dir.path()), opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  auto& s = out.seen;
  // Routing through the map, then changed over the socket.
  s.push_back(ask(port, "a.test"));
  s.push_back(cli(sock, "show map " + map));
  s.push_back(cli(sock, "get map " + map + " b.test"));
  s.push_back(cli(sock, "set map " + map + " a.test be2"));
  s.push_back(ask(port, "a.test"));
  s.push_back(cli(sock, "add map " + map + " c.test be1"));
  s.push_back(ask(port, "c.test"));
  s.push_back(cli(sock, "add map " + map + " <<\nd.test be2\ne.test be1\n"));
  s.push_back(ask(port, "d.test"));
  s.push_back(cli(sock, "del map " + map + " c.test"));
  s.push_back(ask(port, "c.test"));
  s.push_back(cli(sock, "show map " + map));
  // A new version replaces the whole map at once.
  s.push_back(cli(sock, "prepare map " + map));
  s.push_back(cli(sock, "add map @1 " + map + " a.test be1"));
  s.push_back(ask(port, "a.test"));
  s.push_back(cli(sock, "commit map @1 " + map));
  s.push_back(ask(port, "a.test"));
  s.push_back(ask(port, "b.test"));
  s.push_back(cli(sock, "clear map " + map));
  s.push_back(ask(port, "a.test"));
  s.push_back(cli(sock, "show map"));
  // Patterns with spaces, escaped as acl_cli_spaces.vtc sends them.
  s.push_back(ask(port, "x", "user-agent: Mon User Agent;\r\n"));
  s.push_back(cli(sock, "add acl " + acl + " Mon\\ User\\ Agent\\;"));
  s.push_back(cli(sock, "show acl " + acl));
  s.push_back(ask(port, "x", "user-agent: mon user agent;\r\n"));
  s.push_back(cli(sock, "get acl " + acl + " MON\\ USER\\ AGENT\\;"));
  s.push_back(cli(sock, "del acl " + acl + " Mon\\ User\\ Agent\\;"));
  s.push_back(ask(port, "x", "user-agent: Mon User Agent;\r\n"));
  // The actions: one request changes what the next one matches.
  s.push_back(ask(port, "x", "x-client: carol\r\n"));
  s.push_back(ask(port, "x", "x-add: carol\r\n"));
  s.push_back(ask(port, "x", "x-add: carol\r\n"));
  s.push_back(ask(port, "x", "x-client: carol\r\n"));
  s.push_back(cli(sock, "show acl " + dir.file("clients.acl")));
  s.push_back(ask(port, "x", "x-del: carol\r\n"));
  s.push_back(ask(port, "x", "x-client: carol\r\n"));
  s.push_back(ask(port, "f.test", "x-key: f.test\r\nx-val: be2\r\n"));
  s.push_back(ask(port, "f.test"));
  s.push_back(ask(port, "f.test", "x-key: f.test\r\nx-val: be1\r\n"));
  s.push_back(cli(sock, "show map " + map));
  s.push_back(ask(port, "f.test", "x-key: f.test\r\nx-unmap: 1\r\n"));
  s.push_back(cli(sock, "show acl"));
  // Errors.
  s.push_back(cli(sock, "show map /nonexistent"));
  s.push_back(cli(sock, "add acl " + acl));
  s.push_back(cli(sock, "commit map @5 " + map));
  return out;
}

TEST(MapRuntime, CommandsAndActionsLikeHAProxy) {
  Outcome hearth = run(""), haproxy = run("haproxy");
  ASSERT_EQ(hearth.seen.size(), haproxy.seen.size());
  for (size_t i = 0; i < hearth.seen.size(); ++i) {
    std::string a = hearth.seen[i], b = haproxy.seen[i];
    for (auto [s, d] : {std::pair{&a, &hearth.dir}, std::pair{&b, &haproxy.dir}})
      for (size_t p; (p = s->find(*d)) != std::string::npos;) s->replace(p, d->size(), "DIR");
    // HAProxy also lists the ACLs of its internal HTTP client, which Hearth
    // does not have, and numbers a map first named by a dynamic use_backend
    // after them (it resolves those names last): compare the rest.
    b = std::regex_replace(b, std::regex("[0-9]+ \\(\\) acl 'var' file 'httpclient'[^\n]*\n"), "");
    for (std::string* s : {&a, &b})
      *s = std::regex_replace(*s, std::regex("\n[0-9]+ \\(DIR/hosts.map\\)"),
                              "\nID (DIR/hosts.map)");
    for (std::string* s : {&a, &b})
      *s = std::regex_replace(*s, std::regex("file '[^']*' line"), "file 'CFG' line");
    EXPECT_EQ(a, b) << i;
    if (a != b) std::fprintf(stderr, "hearth:\n%s\nhaproxy:\n%s\n", a.c_str(), b.c_str());
  }
  const auto& s = hearth.seen;
  EXPECT_EQ(s[0], "200 be=be1 listed=-");
  EXPECT_EQ(s[1], "0xREF a.test be1\n0xREF b.test be2\n\n");
  EXPECT_EQ(s[4], "200 be=be2 listed=-");
  EXPECT_EQ(s[6], "200 be=be1 listed=-");
  EXPECT_EQ(s[8], "200 be=be2 listed=-");
  EXPECT_EQ(s[10], "200 be=default listed=-");
  EXPECT_EQ(s[12], "New version created: 1\n\n");
  EXPECT_EQ(s[14], "200 be=be2 listed=-");  // not committed yet
  EXPECT_EQ(s[16], "200 be=be1 listed=-");
  EXPECT_EQ(s[17], "200 be=default listed=-");  // b.test was in version 0
  EXPECT_EQ(s[19], "200 be=default listed=-");
  EXPECT_EQ(s[21], "200 be=default listed=-");
  EXPECT_EQ(s[23], "0xREF BadBot\n0xREF Mon User Agent;\n\n");
  EXPECT_EQ(s[24], "403 be=- listed=-");
  EXPECT_EQ(s[27], "200 be=default listed=-");
  EXPECT_EQ(s[28], "200 be=default listed=-");
  EXPECT_EQ(s[31], "200 be=- listed=yes");
  EXPECT_EQ(s[32], "0xREF carol\n\n");  // added once
  EXPECT_EQ(s[34], "200 be=default listed=-");
  EXPECT_EQ(s[36], "200 be=be2 listed=-");
}

// http-response add-acl / del-acl: a response changes what the next
// request matches (the file starts empty, as the manual suggests); the
// response to /forget adds nothing new and deletes the entry.
TEST(MapRuntime, ResponseActionsChangeTheNextRequest) {
  std::vector<std::vector<std::string>> runs;
  for (const std::string binary : {"", "haproxy"}) {
    TempDir dir;
    const std::string acl = dir.file("seen.acl");
    write(acl, "");
    HttpBackend backend;
    const uint16_t port = free_tcp_port();
    HearthOptions opt{.wait_ports = {port}};
    if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
    HearthProcess h(
        "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
        "  timeout server 5s\n"
        "frontend fe\n  bind 127.0.0.1:" +
            std::to_string(port) +
            "\n"
            "  http-request return status 299 if { str(s200) -f " +
            acl +
            " } !{ path /forget }\n"
            "  http-response add-acl(" +
            acl +
            ") s%[status] if !{ status 404 }\n"
            "  http-request set-var(txn.forget) bool(1) if { path /forget }\n"
            "  http-response del-acl(" +
            acl +
            ") s200 if { var(txn.forget) -m found }\n"
            "  default_backend be\n"
            "backend be\n  server s 127.0.0.1:" +
            std::to_string(backend.port()) + "\n",
        opt);
    ASSERT_TRUE(h.ready()) << binary << ": " << h.describe();
    std::vector<std::string> seen;
    for (const char* path : {"/", "/", "/forget", "/", "/"}) {
      HttpClient c(port);
      ASSERT_TRUE(c.send(std::string("GET ") + path + " HTTP/1.1\r\nhost: a\r\n\r\n"));
      seen.push_back(std::to_string(c.read_response().status));
    }
    seen.push_back(std::to_string(backend.request_count()));
    runs.push_back(seen);
  }
  EXPECT_EQ(runs[0], runs[1]);
  EXPECT_EQ(runs[0], (std::vector<std::string>{"200", "299", "200", "200", "299", "3"}));
}

}  // namespace
}  // namespace hearth::test::http
