// The last fetches and converters of HAProxy 2.6's section 7.3, compared
// with HAProxy on the same configuration and requests:
// - hdr() and cookie() read the request in request rules and the response
//   in response rules, method stays readable in response rules, while the
//   ACL keywords hdr and hdr_* read the request only; scook_* ACLs;
// - meth(), proc, nbproc; prio_class / prio_offset after
//   set-priority-class / set-priority-offset (clamped to their ranges);
// - the capture-req / capture-res converters filling declared slots;
// - ACL patterns read from a map file with -M, the same file serving map();
// - bc_err / bc_err_str on a plain server connection, and on TLS ones that
//   succeed or fail (wrong CA, host mismatch);
// - the order in which a full server's queue is served under
//   set-priority-class and set-priority-offset;
// - the debug converter's events in buf0.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "http_test_util.h"
#include "support/output_lines.h"
#include "support/ports.h"
#include "support/temp_dir.h"
#include "support/test_certs.h"

namespace hearth::test::http {
namespace {

// Starts `binary` ("" = hearth; haproxy runs in the foreground) on `cfg`.
// Returns: the process, or null (a test failure) if it did not get ready.
std::unique_ptr<HearthProcess> start(const std::string& binary, const std::string& cfg,
                                     std::vector<uint16_t> ports) {
  HearthOptions opt{.wait_ports = std::move(ports)};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  auto h = std::make_unique<HearthProcess>(cfg, opt);
  EXPECT_TRUE(h->ready()) << binary << ": " << h->describe();
  if (!h->ready()) return nullptr;
  return h;
}

const char* kRequestFormat =
    "h=%[hdr(x-a)] c=%[cookie(c)] m=%[method] mt=%[meth(GET)] mo=%[meth(FOO)] "
    "p=%[proc]/%[nbproc] pc=%[prio_class] po=%[prio_offset] "
    "cap=%[req.hdr(x-a),capture-req(0)] nocap=%[req.hdr(x-a),capture-req(5)] "
    "mp=%[req.hdr(x-host),map(MAP,none)]";
const char* kResponseFormat =
    "h=%[hdr(x-a)] c=%[cookie(c)] m=%[method] capr=%[res.hdr(x-a),capture-res(0)] "
    "c0=%[capture.req.hdr(0)] c1=%[capture.res.hdr(0)] be=%[bc_err]/%[bc_err_str]";

struct Answer {
  std::string req, res, acl;
};

// Each answer's x-req and x-res headers, and the ACL results as "name,...".
std::vector<Answer> run_directional(const std::string& binary,
                                    const std::vector<std::vector<std::string>>& requests) {
  TempDir dir;
  const std::string map = dir.file("hosts.map");
  std::ofstream(map) << "a.example back-a\nb.example back-b\n";
  const uint16_t port = free_tcp_port();
  const uint16_t srv = free_tcp_port();
  std::string req_fmt = kRequestFormat;
  req_fmt.replace(req_fmt.find("MAP"), 3, map);
  const std::string cfg =
      "defaults\n  mode http\n  timeout client 5s\n  timeout server 5s\n  timeout connect 5s\n"
      "frontend fe\n  bind 127.0.0.1:" +
      std::to_string(port) +
      "\n  declare capture request len 4\n  declare capture response len 6\n"
      "  acl req_x_a hdr(x-a) -m found\n"
      "  acl mapped req.hdr(x-host) -M -f " +
      map +
      "\n  acl scook_fr scook_beg(c) fromr\n"
      "  acl hdr_beg_from hdr_beg(x-a) from\n"
      "  http-request set-priority-class req.hdr(x-class)\n"
      "  http-request set-priority-offset req.hdr(x-offset)\n"
      "  http-request set-var-fmt(txn.r) \"" +
      req_fmt +
      "\"\n"
      "  http-request set-var(txn.acl) str(mapped) if mapped\n"
      "  http-response set-header x-req %[var(txn.r)]\n"
      "  http-response set-header x-res \"" +
      kResponseFormat +
      "\"\n"
      "  http-response add-header x-acl %[var(txn.acl)] if { var(txn.acl) -m found }\n"
      "  http-response add-header x-acl req-hdr if req_x_a\n"
      "  http-response add-header x-acl scook if scook_fr\n"
      "  http-response add-header x-acl hdr-beg if hdr_beg_from\n"
      "  http-response add-header x-acl method-get if METH_GET\n"
      "  default_backend b\n"
      "backend b\n  server s 127.0.0.1:" +
      std::to_string(srv) +
      "\n"
      "frontend server\n  bind 127.0.0.1:" +
      std::to_string(srv) +
      "\n  http-request return status 200 hdr x-a from-response-side "
      "hdr set-cookie \"c=fromres\"\n";
  const std::unique_ptr<HearthProcess> hp = start(binary, cfg, {port, srv});
  if (!hp) return {};
  std::vector<Answer> out;
  for (const auto& headers : requests) {
    HttpClient c(port);
    const HttpResponse resp = c.request("GET", "/x", headers);
    EXPECT_EQ(resp.status, 200) << binary;
    Answer a{resp.header("x-req").value_or("(none)"), resp.header("x-res").value_or("(none)"), ""};
    for (const auto& [name, value] : resp.headers)
      if (name == "x-acl") a.acl += value + ",";
    out.push_back(a);
  }
  return out;
}

TEST(StreamFetchesVsHAProxy, DirectionalFetchesCapturesAndMapAcls) {
  const std::vector<std::vector<std::string>> requests = {
      {"X-A: from-request", "Cookie: c=fromreq; d=1", "X-Host: a.example"},
      {"X-Host: b.example", "X-Class: 3000", "X-Offset: -600000"},
      {"X-Host: c.example", "X-Class: -7", "X-Offset: 250", "X-A: abcdefgh"},
  };
  const std::vector<Answer> ours = run_directional("", requests);
  const std::vector<Answer> theirs = run_directional("haproxy", requests);
  ASSERT_EQ(ours.size(), requests.size());
  ASSERT_EQ(theirs.size(), requests.size());
  for (size_t i = 0; i < requests.size(); ++i) {
    EXPECT_EQ(ours[i].req, theirs[i].req) << "request " << i;
    EXPECT_EQ(ours[i].res, theirs[i].res) << "request " << i;
    EXPECT_EQ(ours[i].acl, theirs[i].acl) << "request " << i;
  }
  // What the comparison stands on, in case both were wrong the same way.
  EXPECT_NE(ours[0].res.find("h=from-response-side c=fromres m=GET"), std::string::npos)
      << ours[0].res;
  EXPECT_NE(ours[0].req.find("h=from-request c=fromreq"), std::string::npos) << ours[0].req;
  EXPECT_NE(ours[1].req.find("pc=2047 po=-524287"), std::string::npos) << ours[1].req;
  EXPECT_NE(ours[2].res.find("c0=abcd c1=from-r be=0/Success"), std::string::npos) << ours[2].res;
  // The ACL hdr() reads the request: in a response rule it never matches.
  EXPECT_EQ(ours[0].acl, "mapped,scook,method-get,");
}

// One server slot: a request whose body has not come holds it while the
// others queue; each then goes to the server in the queue's order.
std::vector<std::string> run_queue_order(const std::string& binary) {
  HttpBackend backend;
  const uint16_t port = free_tcp_port();
  const std::string cfg =
      "defaults\n  mode http\n  timeout client 10s\n  timeout server 10s\n"
      "  timeout connect 5s\n  timeout queue 10s\n"
      "frontend fe\n  bind 127.0.0.1:" +
      std::to_string(port) +
      "\n  http-request set-priority-class req.hdr(x-class)\n"
      "  http-request set-priority-offset req.hdr(x-offset)\n"
      "  default_backend b\n"
      "backend b\n  server s 127.0.0.1:" +
      std::to_string(backend.port()) + " maxconn 1\n";
  const std::unique_ptr<HearthProcess> hp = start(binary, cfg, {port});
  if (!hp) return {};
  HttpClient hold(port);
  EXPECT_TRUE(hold.send("POST /hold HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\n"));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the slot is taken
  struct Queued {
    std::string path, headers;
  };
  const std::vector<Queued> queued = {
      {"/b", "X-Class: 10\r\n"},
      {"/c", "X-Class: 1\r\n"},
      {"/d", "X-Class: 10\r\nX-Offset: -5000\r\n"},
      {"/e", ""},
  };
  std::vector<std::unique_ptr<HttpClient>> clients;
  for (const Queued& q : queued) {
    clients.push_back(std::make_unique<HttpClient>(port));
    EXPECT_TRUE(
        clients.back()->send("GET " + q.path + " HTTP/1.1\r\nHost: x\r\n" + q.headers + "\r\n"));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // arrival order
  }
  EXPECT_TRUE(hold.send("body"));
  EXPECT_EQ(hold.read_response().status, 200) << binary;
  for (auto& c : clients) EXPECT_EQ(c->read_response().status, 200) << binary;
  std::vector<std::string> order;
  for (const HttpRequestRecord& r : backend.requests()) order.push_back(r.target);
  return order;
}

TEST(StreamFetchesVsHAProxy, QueueServedByPriorityClassThenOffset) {
  const std::vector<std::string> ours = run_queue_order("");
  const std::vector<std::string> theirs = run_queue_order("haproxy");
  // Class 0 (/e) before 1 (/c) before 10; within 10, /d's offset puts it
  // 5 s earlier than /b.
  const std::vector<std::string> want = {"/hold", "/e", "/c", "/d", "/b"};
  EXPECT_EQ(ours, want);
  EXPECT_EQ(theirs, want);
}

// The events a few debug converters leave in buf0, dates masked.
std::string run_debug(const std::string& binary) {
  TempDir dir;
  const std::string sock = dir.file("stats.sock");
  const uint16_t port = free_tcp_port();
  const std::string cfg =
      "global\n  stats socket " + sock +
      " level admin\n"
      "defaults\n  mode http\n  timeout client 5s\n  timeout server 5s\n  timeout connect 5s\n"
      "frontend fe\n  bind 127.0.0.1:" +
      std::to_string(port) +
      "\n  http-request return status 200 hdr x-a \"%[req.hdr(x-a),debug(pfx),upper,debug]\" "
      "hdr x-b \"%[int(42),debug(n,stderr)]\" hdr x-c \"%[src,debug(ip)]\" "
      "hdr x-d \"%[bin(41ff0042),debug(bn)]\" hdr x-e \"%[method,debug(m)]\"\n";
  const std::unique_ptr<HearthProcess> hp = start(binary, cfg, {port});
  if (!hp) return {};
  HttpClient c(port);
  const HttpResponse resp = c.request("GET", "/", {"X-A: h\xc3\xa9 llo"});
  EXPECT_EQ(resp.status, 200);
  EXPECT_EQ(resp.header("x-a").value_or(""), "H\xc3\xa9 LLO");
  const std::string events = stats_command(sock, "show events buf0");
  const std::regex date(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}[+-]\d\d:\d\d)");
  return std::regex_replace(events, date, "DATE");
}

TEST(StreamFetchesVsHAProxy, DebugConverterEvents) {
  const std::string ours = run_debug("");
  const std::string theirs = run_debug("haproxy");
  EXPECT_EQ(ours, theirs);
  EXPECT_EQ(ours,
            "<0>DATE [debug] pfx: type=str <h.. llo>\n"
            "<0>DATE [debug] : type=str <H.. LLO>\n"
            "<0>DATE [debug] ip: type=ipv4 <127.0.0.1>\n"
            "<0>DATE [debug] bn: type=bin <A.>\n"
            "<0>DATE [debug] m: type=meth <GET>\n\n");
}

TEST(StreamFetches, DebugConverterRefusesAnUnknownSink) {
  const RunResult r = HearthProcess::check_config(
      "defaults\n  mode http\n  timeout client 5s\n  timeout server 5s\n  timeout connect 5s\n"
      "frontend fe\n  bind 127.0.0.1:1\n  http-request set-var(txn.x) str(a),debug(p,nosuch)\n");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find(":8: 'http-request set-var'"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("no event sink called 'nosuch'"), std::string::npos) << r.output;
}

// With profiling on, a transaction's calls and their times are counted;
// with profiling off only the calls are.
std::string run_profile(const std::string& binary, const char* mode) {
  const uint16_t port = free_tcp_port();
  HttpBackend backend;
  const std::string cfg = std::string("global\n  profiling.tasks ") + mode +
                          "\ndefaults\n  mode http\n  timeout client 5s\n  timeout server 5s\n"
                          "  timeout connect 5s\n"
                          "frontend fe\n  bind 127.0.0.1:" +
                          std::to_string(port) +
                          "\n  http-response set-header x-p \"%[cpu_calls,bool] %[cpu_ns_tot,bool] "
                          "%[cpu_ns_avg,bool] %[lat_ns_tot,bool] %[lat_ns_avg,bool]\"\n"
                          "  default_backend b\nbackend b\n  server s 127.0.0.1:" +
                          std::to_string(backend.port()) + "\n";
  const std::unique_ptr<HearthProcess> hp = start(binary, cfg, {port});
  if (!hp) return {};
  HttpClient c(port);
  const HttpResponse resp = c.request("GET", "/", {});
  EXPECT_EQ(resp.status, 200);
  return resp.header("x-p").value_or("(none)");
}

TEST(StreamFetchesVsHAProxy, TaskProfileCountsCallsAndTimes) {
  EXPECT_EQ(run_profile("", "on"), "1 1 1 1 1");
  EXPECT_EQ(run_profile("haproxy", "on"), "1 1 1 1 1");
  EXPECT_EQ(run_profile("", "off"), "1 0 0 0 0");
  EXPECT_EQ(run_profile("haproxy", "off"), "1 0 0 0 0");
}

// In an HTTP proxy, a sample in a log-format string has its control
// characters encoded as %XX (HAProxy's LOG_OPT_HTTP), so a newline cannot
// split a header; a TCP proxy logs it as it is.
std::string run_encoding(const std::string& binary) {
  const uint16_t port = free_tcp_port();
  const std::string cfg =
      "defaults\n  mode http\n  timeout client 5s\n  timeout server 5s\n  timeout connect 5s\n"
      "frontend fe\n  bind 127.0.0.1:" +
      std::to_string(port) +
      "\n  http-request return status 200 content-type text/plain "
      "lf-string \"[%[str(a\\\\nb)]][%[str(c\\\\td)]][%[bin(00417f)]]\" "
      "hdr x-h \"%[str(a\\\\nb)]\"\n";
  const std::unique_ptr<HearthProcess> hp = start(binary, cfg, {port});
  if (!hp) return {};
  HttpClient c(port);
  const HttpResponse resp = c.request("GET", "/", {});
  EXPECT_EQ(resp.status, 200);
  return resp.header("x-h").value_or("(none)") + " " + resp.body;
}

TEST(StreamFetchesVsHAProxy, HttpModeEncodesControlCharacters) {
  const std::string ours = run_encoding("");
  EXPECT_EQ(ours, run_encoding("haproxy"));
  EXPECT_EQ(ours.substr(0, 14), "a%0Ab [a%0Ab][") << ours;
}

// bc_err and ssl_bc_err in the log of a request whose TLS server connection
// succeeded (0), failed verification against the wrong CA (34), or met a
// certificate that does not name the host checked: verifyhost's (32) or
// the SNI sent (33).
std::vector<std::string> run_bc_err(const std::string& binary, const TestCerts& certs,
                                    const std::string& pem, const std::string& other_ca) {
  const uint16_t port = free_tcp_port();
  const uint16_t tls = free_tcp_port();
  const std::string srv = "server s 127.0.0.1:" + std::to_string(tls) + " ssl verify required ";
  const std::string cfg =
      "global\n  log stdout format raw local0\n"
      "defaults\n  mode http\n  log global\n  retries 0\n  timeout client 5s\n"
      "  timeout server 5s\n  timeout connect 5s\n"
      "frontend fe\n  bind 127.0.0.1:" +
      std::to_string(port) +
      "\n  log-format \"BCERR %HP %[bc_err]:%[bc_err_str] %[ssl_bc_err,bool]\"\n"
      "  use_backend ca if { path /ca }\n  use_backend host if { path /host }\n"
      "  use_backend sni if { path /sni }\n"
      "  default_backend ok\n"
      "backend ok\n  " +
      srv + "ca-file " + certs.ca_pem() + " sni str(good.example)\n" + "backend ca\n  " + srv +
      "ca-file " + other_ca + " sni str(good.example)\n" + "backend host\n  " + srv + "ca-file " +
      certs.ca_pem() + " verifyhost bad.example\n" + "backend sni\n  " + srv + "ca-file " +
      certs.ca_pem() + " sni str(bad.example)\n" +
      "frontend tls\n  bind 127.0.0.1:" + std::to_string(tls) + " ssl crt " + pem +
      "\n  http-request return status 200\n";
  const std::unique_ptr<HearthProcess> hp = start(binary, cfg, {port, tls});
  if (!hp) return {};
  HearthProcess& h = *hp;
  for (const char* path : {"/ok", "/ca", "/host", "/sni"}) {
    HttpClient c(port);
    EXPECT_EQ(c.request("GET", path, {}).status, std::string(path) == "/ok" ? 200 : 503)
        << binary << " " << path << "\n"
        << h.output();
  }
  std::vector<std::string> lines;
  for (int i = 0; i < 50 && lines.size() < 4; ++i) {
    lines = lines_with(h.output(), {"BCERR"});
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (std::string& l : lines) l = l.substr(l.find("BCERR"));
  // A stream logs after its reply is sent, and haproxy runs one thread per
  // core: the next request can be logged by another thread first.
  std::sort(lines.begin(), lines.end());
  return lines;
}

TEST(StreamFetchesVsHAProxy, ServerConnectionErrors) {
  TestCerts certs;
  TestCerts other("Other CA");
  const std::string pem = certs.server("good.pem", "good.example", {"good.example"});
  ASSERT_FALSE(pem.empty()) << certs.last_error();
  const std::vector<std::string> ours = run_bc_err("", certs, pem, other.ca_pem());
  const std::vector<std::string> theirs = run_bc_err("haproxy", certs, pem, other.ca_pem());
  const std::vector<std::string> want = {
      "BCERR /ca 34:SSL handshake failure 1",
      "BCERR /host 32:Server presented an SSL certificate different from the configured one 1",
      "BCERR /ok 0:Success 0",
      "BCERR /sni 33:Server presented an SSL certificate different from the expected one 1",
  };
  EXPECT_EQ(ours, want);
  EXPECT_EQ(theirs, want);
}

}  // namespace
}  // namespace hearth::test::http
