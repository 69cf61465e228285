// The fetches added after the first catalog, compared with HAProxy 2.6: the
// header block (text and binary, names in lower case), header names, base32,
// url32 and their +src forms, baseq, url_ip, url_port, urlp_val, Bearer
// tokens, the client connection's own addresses, server weights and slots,
// the default backend, the response's header block and fields, the server
// connection's addresses (bc_*), dst_conn, the *_is_local tests, stopping,
// be_conn_free, and the nbsrv / srv_queue converters. The same
// configuration and requests go through hearth and haproxy; each answer
// carries what the fetches gave in a header, compared exactly. (Counts of
// current connections are compared as booleans: HAProxy may still count the
// probe that found its port open.)
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"

namespace hearth::test::http {
namespace {

const char* kRequestFormat =
    "hdrs=%[req.hdrs,hex] bin=%[req.hdrs_bin,hex] names=%[req.hdr_names] "
    "names2=%[req.hdr_names(;)] b32=%[base32] u32=%[url32] b32s=%[base32+src,hex] "
    "u32s=%[url32+src,hex] bq=%[baseq] uip=%[url_ip] uport=%[url_port] up=%[urlp_val(n)] "
    "bearer=%[http_auth_bearer] bearer2=%[http_auth_bearer(x-tok)] fcs=%[fc_src] "
    "fcd=%[fc_dst] major=%[fc_http_major] host=%[hostname] defbe=%[fe_defbe] "
    "feconn=%[fe_conn,bool] w=%[srv_weight(b/s1)] iw=%[srv_iweight(b/s1)] uw=%[srv_uweight(b/s2)] "
    "scf=%[srv_conn_free(b/s1),bool] scf2=%[srv_conn_free(b/s2)] sq=%[srv_queue(b/s2)] "
    "sc=%[srv_conn(b/s2)] rtt=%[fc_rtt(us),bool] unacked=%[fc_unacked]";
const char* kResponseFormat =
    "rh=%[res.hdrs,hex] rb=%[res.hdrs_bin,hex] rn=%[res.hdr_names(|)] "
    "rfc=%[res.fhdr_cnt(content-length)] rv=%[res.hdr_val(content-length)] "
    "sv=%[shdr_val(content-length)] rip=%[res.hdr_ip(x-none)] bcs=%[bc_src] "
    "bcsp=%[bc_src_port,bool] bcd=%[bc_dst] bcdp=%[bc_dst_port,bool] bcm=%[bc_http_major] "
    "dconn=%[dst_conn,bool] dloc=%[dst_is_local] sloc=%[src_is_local] fdloc=%[fc_dst_is_local] "
    "fsloc=%[fc_src_is_local] stop=%[stopping] bcf=%[be_conn_free(b)] bcf2=%[be_conn_free(c)] "
    "nb=%[str(c),nbsrv] nbx=%[str(nope),nbsrv] sq=%[str(c/c2),srv_queue] "
    "sqx=%[str(c/zz),srv_queue]";

const std::vector<std::string> kRequests = {
    "GET /p/a?n=42&m=x HTTP/1.1\r\nHost: ex.com:81\r\nX-Long: " + std::string(300, 'a') +
        "\r\nAuthorization: Bearer tok123\r\nX-Tok: Bearer abc\r\nX-A: 1\r\nx-a: 2\r\n\r\n",
    "GET http://10.1.2.3:8080/x?n=7 HTTP/1.1\r\nHost: 10.1.2.3:8080\r\n\r\n",
    "GET http://10.1.2.3/x?n=oops HTTP/1.1\r\nHost: 10.1.2.3\r\nAuthorization: Basic YTpi\r\n\r\n",
    "GET / HTTP/1.0\r\n\r\n",
};

// Returns: for each request, the x-req and x-res headers of its answer
// through `binary` ("" = hearth).
std::vector<std::string> run(const std::string& binary) {
  HttpBackend backend;  // its own, so that its connection numbers start alike
  const uint16_t port = free_tcp_port();
  const std::string be = std::to_string(backend.port());
  const std::string cfg =
      std::string("defaults\n  mode http\n  timeout client 5s\n") +
      "  timeout server 5s\n  timeout connect 5s\n"
      "frontend fe\n  bind 127.0.0.1:" +
      std::to_string(port) + "\n  http-request set-var-fmt(txn.r) \"" + kRequestFormat +
      "\"\n  http-response set-header x-req %[var(txn.r)]\n" +
      "  http-response set-header x-res \"" + kResponseFormat + "\"\n" +
      "  default_backend b\nbackend b\n  balance first\n  server s1 127.0.0.1:" + be +
      " weight 7 maxconn 10\n  server s2 127.0.0.1:" + be + " weight 3\n" +
      "backend c\n  server c1 127.0.0.1:" + be + " maxconn 5\n  server c2 127.0.0.1:" + be +
      " maxconn 7\n  server c3 127.0.0.1:" + be + " maxconn 9 backup\n";
  HearthOptions opt{.wait_ports = {port}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  HearthProcess h(cfg, opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  if (!h.ready()) return {};
  std::vector<std::string> out;
  for (const std::string& r : kRequests) {
    HttpClient c(port);
    EXPECT_TRUE(c.send(r));
    const HttpResponse resp = c.read_response();
    EXPECT_EQ(resp.status, 200) << binary << " " << r;
    out.push_back(resp.header("x-req").value_or("(none)") + "\n" +
                  resp.header("x-res").value_or("(none)"));
  }
  return out;
}

TEST(FetchMoreVsHAProxy, SameValues) {
  const std::vector<std::string> ours = run("");
  const std::vector<std::string> theirs = run("haproxy");
  ASSERT_EQ(ours.size(), kRequests.size());
  ASSERT_EQ(theirs.size(), kRequests.size());
  for (size_t i = 0; i < kRequests.size(); ++i) EXPECT_EQ(ours[i], theirs[i]) << "request " << i;
}

}  // namespace
}  // namespace hearth::test::http
