// "dispatch ADDR:PORT" and "option transparent", through hearth and HAProxy
// 2.6 with the same configuration: a backend without a "balance" line sends
// every session there, its servers aside (the log names no server,
// "<NOSRV>"); with a "balance" line the dispatch address is ignored; in HTTP
// the connection stays its client's: a second client never gets the first
// one's connection.
#include <gtest/gtest.h>

#include <string>

#include "http_test_util.h"
#include "support/wait.h"
#include "tcp_test_util.h"

namespace hearth::test::http {
namespace {

using tcp::kBinaries;
using tcp::name_of;
using tcp::options_for;
using tcp::wait_log_line;

TEST(Dispatch, SessionsGoToTheDispatchAddressUnlessABalanceLineIsSet) {
  for (const std::string binary : kBinaries) {
    SCOPED_TRACE(name_of(binary));
    HttpBackend d, s;
    const uint16_t web = free_tcp_port();
    const std::string cfg =
        "global\n  log stdout format raw local0\n"
        "defaults\n  mode http\n  log global\n  option httplog\n  timeout connect 1s\n"
        "  timeout client 5s\n  timeout server 5s\n"
        "frontend fe\n  bind 127.0.0.1:" +
        std::to_string(web) +
        "\n  use_backend withsrv if { path_beg /srv }\n  use_backend transp if { path_beg /tr }\n"
        "  use_backend balanced if { path_beg /bal }\n"
        "  default_backend only\n"
        "backend only\n  dispatch 127.0.0.1:" +
        std::to_string(d.port()) +
        "\n"
        "backend withsrv\n  dispatch 127.0.0.1:" +
        std::to_string(d.port()) + "\n  server s1 127.0.0.1:" + std::to_string(s.port()) +
        "\n"
        "backend transp\n  option transparent\n  http-request set-dst-port int(" +
        std::to_string(d.port()) +
        ")\n"
        "backend balanced\n  balance roundrobin\n  dispatch 127.0.0.1:" +
        std::to_string(d.port()) + "\n  server s1 127.0.0.1:" + std::to_string(s.port()) + "\n";
    HearthProcess h(cfg, options_for(binary, web));
    ASSERT_TRUE(h.ready()) << h.describe();
    {
      HttpClient a(web);
      EXPECT_EQ(a.request("GET", "/one").header("x-target").value_or(""), "/one");
      const HttpResponse again = a.request("GET", "/two");
      EXPECT_EQ(again.header("x-conn").value_or(""), "1");  // its own connection, kept
      EXPECT_EQ(again.header("x-req").value_or(""), "2");
    }
    {
      HttpClient b(web);  // another client: never the first one's connection
      const HttpResponse r1 = b.request("GET", "/three");
      EXPECT_EQ(r1.header("x-req").value_or(""), "1");
      EXPECT_EQ(b.request("GET", "/four").header("x-req").value_or(""), "2");
    }
    EXPECT_NE(wait_log_line(h, {" only/<NOSRV> ", "GET /one "}), "") << h.output();
    // Its servers aside, without a balance line...
    HttpClient c(web);
    EXPECT_EQ(c.request("GET", "/srv").status, 200);
    EXPECT_NE(wait_log_line(h, {" withsrv/<NOSRV> ", "GET /srv "}), "") << h.output();
    // ... and ignored with one.
    HttpClient e(web);
    EXPECT_EQ(e.request("GET", "/bal").status, 200);
    EXPECT_NE(wait_log_line(h, {" balanced/s1 ", "GET /bal "}), "") << h.output();
    // option transparent: the client's destination, its port set by a rule.
    HttpClient t(web);
    EXPECT_EQ(t.request("GET", "/tr").status, 200);
    EXPECT_NE(wait_log_line(h, {" transp/<NOSRV> ", "GET /tr "}), "") << h.output();
    size_t at_d = 0;
    for (const HttpRequestRecord& r : d.requests())
      at_d += r.target == "/tr" || r.target == "/one" || r.target == "/srv";
    EXPECT_EQ(at_d, 3u);
    ASSERT_EQ(s.requests().size(), 1u);
    EXPECT_EQ(s.requests()[0].target, "/bal");
  }
}

}  // namespace
}  // namespace hearth::test::http
