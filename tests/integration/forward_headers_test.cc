// option forwardfor (except, header, if-none) and option originalto in a
// frontend and its backends, with http-request set-src / set-dst /
// set-src-port changing the addresses they report, through hearth and
// HAProxy with the same configuration.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"

namespace hearth::test::http {
namespace {

std::string forward_config(uint16_t port, uint16_t echo) {
  const std::string p = std::to_string(port), e = std::to_string(echo);
  return "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
         "  timeout server 5s\n"
         "frontend fe\n  bind 127.0.0.1:" +
         p +
         "\n"
         "  option forwardfor header x-fe-ff\n"
         "  http-request set-src hdr(x-src) if { req.hdr(x-src) -m found }\n"
         "  http-request set-dst hdr(x-dst) if { req.hdr(x-dst) -m found }\n"
         "  http-request set-src-port int(4321) if { path_beg /port }\n"
         "  http-request set-dst-port str(8080) if { path_beg /port }\n"
         "  http-after-response set-header x-seen \"%[src] %[src_port] %[dst] %[dst_port]\" "
         "if { capture.req.uri -m beg /port }\n"
         "  http-after-response set-header x-seen \"%[src] %[dst]\" "
         "unless { capture.req.uri -m beg /port }\n"
         "  use_backend b_hdr if { path_beg /hdr }\n"
         "  use_backend b_none if { path_beg /none }\n"
         "  use_backend b_ifnone if { path_beg /ifnone }\n"
         "  default_backend b_plain\n"
         "backend b_plain\n  option forwardfor except 10.0.0.0/8\n"
         "  option originalto except 192.168.0.0/16\n"
         "  server s 127.0.0.1:" +
         e +
         "\n"
         "backend b_hdr\n  option forwardfor header x-client\n"
         "  option originalto header x-dest\n"
         "  server s 127.0.0.1:" +
         e +
         "\n"
         "backend b_none\n  server s 127.0.0.1:" +
         e +
         "\n"
         "backend b_ifnone\n  option forwardfor if-none\n"
         "  server s 127.0.0.1:" +
         e +
         "\n"
         "frontend echo\n  bind 127.0.0.1:" +
         e +
         "\n"
         "  http-request return status 200 hdr x-ff \"%[req.fhdr(x-forwarded-for)]\" "
         "hdr x-ffn \"%[req.fhdr_cnt(x-forwarded-for)]\" "
         "hdr x-fe-ff \"%[req.fhdr(x-fe-ff)]\" hdr x-client \"%[req.fhdr(x-client)]\" "
         "hdr x-ot \"%[req.fhdr(x-original-to)]\" hdr x-dest \"%[req.fhdr(x-dest)]\"\n";
}

struct Case {
  std::string target;
  std::vector<std::string> fields;
};

TEST(ForwardHeaders, SameFieldsAsHAProxy) {
  const std::vector<Case> cases = {
      {"/plain", {}},
      {"/plain", {"x-src: 10.1.2.3", "x-dst: 192.168.1.1"}},  // both excepted
      {"/plain", {"x-src: 11.1.2.3", "x-dst: 172.16.0.9"}},
      {"/plain", {"x-src: 2001:db8::7", "x-dst: ::1"}},
      {"/plain", {"x-src: not-an-ip"}},  // no address: src unchanged
      {"/hdr", {"x-src: 11.1.2.3"}},
      {"/none", {"x-src: 11.1.2.3"}},
      {"/ifnone", {"x-forwarded-for: 9.9.9.9"}},
      {"/ifnone", {}},
      {"/port", {"x-src: 11.1.2.3"}},
  };
  std::vector<std::vector<std::string>> runs;
  for (const std::string binary : {"", "haproxy"}) {
    const uint16_t port = free_tcp_port(), echo = free_tcp_port();
    HearthOptions opt{.wait_ports = {port, echo}};
    if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
    HearthProcess h(forward_config(port, echo), opt);
    ASSERT_TRUE(h.ready()) << binary << ": " << h.describe();
    std::vector<std::string> seen;
    for (const Case& c : cases) {
      HttpClient cl(port);  // a new connection each: set-src lasts for the connection
      std::string req = "GET " + c.target + " HTTP/1.1\r\nhost: a\r\n";
      for (const std::string& f : c.fields) req += f + "\r\n";
      ASSERT_TRUE(cl.send(req + "\r\n"));
      HttpResponse r = cl.read_response();
      std::string s = std::to_string(r.status);
      for (const char* n : {"x-ff", "x-ffn", "x-fe-ff", "x-client", "x-ot", "x-dest", "x-seen"})
        s += std::string(" ") + n + "=" + r.header(n).value_or("-");
      seen.push_back(s);
    }
    runs.push_back(seen);
  }
  for (size_t i = 0; i < cases.size(); ++i)
    EXPECT_EQ(runs[0][i], runs[1][i]) << cases[i].target << " case " << i;
  EXPECT_NE(runs[0][2].find("x-ff=11.1.2.3"), std::string::npos) << runs[0][2];
  EXPECT_NE(runs[0][2].find("x-ot=172.16.0.9"), std::string::npos) << runs[0][2];
  EXPECT_NE(runs[0][9].find("x-seen=11.1.2.3 4321"), std::string::npos) << runs[0][9];
}

}  // namespace
}  // namespace hearth::test::http
