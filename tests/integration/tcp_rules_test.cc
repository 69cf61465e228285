// tcp-request / tcp-response rules through the real binary, each case run
// through HAProxy 2.6 with the same configuration: SNI routing of TLS
// passthrough (openssl s_client against openssl s_server backends), rejects
// at connection and content level, inspect-delay timing, a connection-level
// variable read by an http-request rule, tcp-response content, and rules
// inherited from named defaults sections.
#include <poll.h>
#include <sys/socket.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/command.h"
#include "support/process.h"
#include "support/scripted_server.h"
#include "support/temp_dir.h"
#include "tcp_test_util.h"

namespace hearth::test::tcp {
namespace {

std::string defaults(const std::string& mode = "tcp") {
  return "defaults\n  mode " + mode +
         "\n  timeout connect 2s\n  timeout client 10s\n  timeout server 10s\n";
}

// One cert per backend, its CN the backend's name, so the client learns from
// the handshake which server it reached.
struct TlsBackend {
  uint16_t port = 0;
  std::unique_ptr<Process> proc;
};

TlsBackend start_tls_backend(const TempDir& dir, const std::string& name) {
  const std::string key = dir.file(name + ".key"), crt = dir.file(name + ".crt");
  const CommandResult gen = run_command({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                                         "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
                                         "-out", crt, "-days", "2", "-subj", "/CN=" + name});
  EXPECT_EQ(gen.exit_code, 0) << gen.output;
  TlsBackend b;
  b.port = free_tcp_port();
  b.proc = std::make_unique<Process>(
      ProcessOptions{.argv = {"openssl", "s_server", "-quiet", "-accept", std::to_string(b.port),
                              "-cert", crt, "-key", key}});
  EXPECT_TRUE(wait_for_listen(b.port, milliseconds{5000})) << b.proc->output();
  return b;
}

// The CN of the certificate the server behind `port` presented for `sni`
// ("" without SNI), or "" if the handshake failed.
std::string handshake_cn(uint16_t port, const std::string& sni) {
  std::vector<std::string> argv = {"openssl", "s_client", "-connect",
                                   "127.0.0.1:" + std::to_string(port)};
  if (sni.empty()) {
    argv.push_back("-noservername");
  } else {
    argv.push_back("-servername");
    argv.push_back(sni);
  }
  const CommandResult r = run_command(argv, milliseconds{10000});
  for (const char* tag : {"subject=CN = ", "subject=CN="}) {
    const size_t at = r.output.find(tag);
    if (at == std::string::npos) continue;
    const size_t from = at + std::string(tag).size();
    return r.output.substr(from, r.output.find('\n', from) - from);
  }
  return "";
}

TEST(TcpRules, SniRoutingOfTlsPassthroughMatchesHAProxy) {
  TempDir dir;
  TlsBackend a = start_tls_backend(dir, "be_a"), b = start_tls_backend(dir, "be_b"),
             c = start_tls_backend(dir, "be_c");
  for (const std::string binary : kBinaries) {
    const uint16_t port = free_tcp_port();
    const std::string cfg = defaults() + "frontend fe\n  bind 127.0.0.1:" + std::to_string(port) +
                            "\n  tcp-request inspect-delay 5s\n"
                            "  tcp-request content accept if { req_ssl_hello_type 1 }\n"
                            "  use_backend be_a if { req.ssl_sni -i a.example.com }\n"
                            "  use_backend be_b if { req_ssl_sni -m end .b.example.com }\n"
                            "  default_backend be_c\n"
                            "backend be_a\n  server s 127.0.0.1:" +
                            std::to_string(a.port) +
                            "\nbackend be_b\n  server s 127.0.0.1:" + std::to_string(b.port) +
                            "\nbackend be_c\n  server s 127.0.0.1:" + std::to_string(c.port) + "\n";
    HearthProcess h(cfg, options_for(binary, port));
    ASSERT_TRUE(h.ready()) << name_of(binary) << ": " << h.describe();
    EXPECT_EQ(handshake_cn(port, "a.example.com"), "be_a") << name_of(binary);
    EXPECT_EQ(handshake_cn(port, "A.EXAMPLE.COM"), "be_a") << name_of(binary);
    EXPECT_EQ(handshake_cn(port, "www.b.example.com"), "be_b") << name_of(binary);
    EXPECT_EQ(handshake_cn(port, "c.example.com"), "be_c") << name_of(binary);
    EXPECT_EQ(handshake_cn(port, ""), "be_c") << name_of(binary);
  }
}

// A connection or session rule's reject closes before any byte (the first
// with a reset, as HAProxy); a content rule's reject closes after reading;
// others reach the server.
TEST(TcpRules, RejectsMatchHAProxy) {
  for (const std::string binary : kBinaries) {
    EchoServer echo;
    const uint16_t port = free_tcp_port();
    const std::string cfg = defaults() + "frontend fe\n  bind 127.0.0.1:" + std::to_string(port) +
                            "\n  tcp-request connection reject if { src 127.0.0.2 }\n"
                            "  tcp-request session reject if { src 127.0.0.3 }\n"
                            "  tcp-request inspect-delay 5s\n"
                            "  tcp-request content reject if { req.payload(0,3) -m str BAD }\n"
                            "  tcp-request content accept if { req.len ge 4 }\n"
                            "  default_backend be\nbackend be\n  server s 127.0.0.1:" +
                            std::to_string(echo.port()) + "\n";
    HearthProcess h(cfg, options_for(binary, port));
    ASSERT_TRUE(h.ready()) << name_of(binary) << ": " << h.describe();
    const std::string who = name_of(binary);
    for (const char* src : {"127.0.0.2", "127.0.0.3"}) {
      UniqueFd fd(connect_from(src, port));
      ASSERT_GE(fd.get(), 0) << who;
      // Nothing sent: a send would consume the reset's report.
      const Outcome o = drain(fd.get());
      EXPECT_TRUE(o.closed) << who << " " << src;
      EXPECT_EQ(o.bytes, "") << who << " " << src;
      // A connection rule resets, a session rule closes (HAProxy 2.6.12).
      EXPECT_EQ(o.reset, std::string(src) == "127.0.0.2") << who << " " << src;
    }
    {
      UniqueFd fd(connect_from("127.0.0.1", port));
      ASSERT_TRUE(send_all(fd.get(), "BADxx"));
      const Outcome o = drain(fd.get());
      EXPECT_TRUE(o.closed) << who;
      EXPECT_EQ(o.bytes, "") << who;
    }
    {
      UniqueFd fd(connect_from("127.0.0.1", port));
      ASSERT_TRUE(send_all(fd.get(), "GOOD"));
      EXPECT_EQ(recv_n(fd.get(), 4, milliseconds{5000}), "GOOD") << who;
    }
    EXPECT_EQ(echo.accepted(), 1u) << who;  // only the accepted session reached it
  }
}

// The backend's content rules run after switching and see what the
// frontend's rules set; switching sees it too.
TEST(TcpRules, BackendRulesRunAfterSwitchingMatchesHAProxy) {
  for (const std::string binary : kBinaries) {
    EchoServer b_echo, c_echo;
    const uint16_t port = free_tcp_port();
    const std::string cfg = defaults() + "frontend fe\n  bind 127.0.0.1:" + std::to_string(port) +
                            "\n  tcp-request inspect-delay 2s\n"
                            "  tcp-request content set-var(txn.a) str(fe)\n"
                            "  tcp-request content accept if { req.len ge 4 }\n"
                            "  use_backend b if { var(txn.a) -m str fe }\n"
                            "  default_backend c\n"
                            "backend b\n  tcp-request content reject if { var(txn.a) -m str fe } "
                            "{ req.payload(0,3) -m str REJ }\n  server s 127.0.0.1:" +
                            std::to_string(b_echo.port()) +
                            "\nbackend c\n  server s 127.0.0.1:" + std::to_string(c_echo.port()) +
                            "\n";
    HearthProcess h(cfg, options_for(binary, port));
    ASSERT_TRUE(h.ready()) << name_of(binary) << ": " << h.describe();
    const std::string who = name_of(binary);
    {
      UniqueFd fd(connect_from("127.0.0.1", port));
      ASSERT_TRUE(send_all(fd.get(), "REJECT"));
      const Outcome o = drain(fd.get());
      EXPECT_TRUE(o.closed) << who;
      EXPECT_EQ(o.bytes, "") << who;
    }
    {
      UniqueFd fd(connect_from("127.0.0.1", port));
      ASSERT_TRUE(send_all(fd.get(), "OK!!"));
      EXPECT_EQ(recv_n(fd.get(), 4, milliseconds{5000}), "OK!!") << who;
    }
    EXPECT_EQ(b_echo.accepted(), 1u) << who;
    EXPECT_EQ(c_echo.accepted(), 0u) << who;
  }
}

// inspect-delay: a rule that cannot decide waits for more bytes, up to the
// delay; then it is decided on what is there (WAIT_END holds).
TEST(TcpRules, InspectDelayWaitsThenDecidesMatchesHAProxy) {
  for (const std::string binary : kBinaries) {
    EchoServer echo;
    const uint16_t port = free_tcp_port();
    const std::string cfg = defaults() + "frontend fe\n  bind 127.0.0.1:" + std::to_string(port) +
                            "\n  tcp-request inspect-delay 1500ms\n"
                            "  tcp-request content accept if { req.len ge 4 }\n"
                            "  tcp-request content reject if WAIT_END { req.len lt 2 }\n"
                            "  default_backend be\nbackend be\n  server s 127.0.0.1:" +
                            std::to_string(echo.port()) + "\n";
    HearthProcess h(cfg, options_for(binary, port));
    ASSERT_TRUE(h.ready()) << name_of(binary) << ": " << h.describe();
    const std::string who = name_of(binary);
    {  // enough bytes in two parts: accepted when the second arrives
      UniqueFd fd(connect_from("127.0.0.1", port));
      ASSERT_TRUE(send_all(fd.get(), "ab"));
      std::this_thread::sleep_for(milliseconds{300});
      EXPECT_EQ(echo.accepted(), 0u) << who << ": connected before the rules decided";
      const auto start = SteadyClock::now();
      ASSERT_TRUE(send_all(fd.get(), "cd"));
      EXPECT_EQ(recv_n(fd.get(), 4, milliseconds{5000}), "abcd") << who;
      EXPECT_LT(ms_since(start), 1000) << who;
    }
    {  // too few bytes: at the end of the delay, the second rule does not
       // match (2 bytes) and the list ends: accepted
      UniqueFd fd(connect_from("127.0.0.1", port));
      const auto start = SteadyClock::now();
      ASSERT_TRUE(send_all(fd.get(), "xy"));
      EXPECT_EQ(recv_n(fd.get(), 2, milliseconds{8000}), "xy") << who;
      EXPECT_GE(ms_since(start), 1200) << who;
    }
    {  // nothing at all: rejected at the end of the delay
      UniqueFd fd(connect_from("127.0.0.1", port));
      const auto start = SteadyClock::now();
      const Outcome o = drain(fd.get());
      EXPECT_TRUE(o.closed) << who;
      EXPECT_EQ(o.bytes, "") << who;
      EXPECT_GE(ms_since(start), 1200) << who;
      EXPECT_LT(ms_since(start), 7000) << who;
    }
  }
}

// tcp-request connection / session variables live in the session: an
// http-request rule reads them. A tcp-request content reject in HTTP mode
// closes without a response.
TEST(TcpRules, ConnectionVariablesReadByHttpRulesMatchHAProxy) {
  for (const std::string binary : kBinaries) {
    const uint16_t port = free_tcp_port();
    const std::string cfg = defaults("http") +
                            "frontend fe\n  bind 127.0.0.1:" + std::to_string(port) +
                            "\n  tcp-request connection set-var(sess.src) src\n"
                            "  tcp-request session set-var(sess.tag) str(s2)\n"
                            "  tcp-request content set-var(txn.seen) var(sess.tag),length\n"
                            "  tcp-request content reject if { src 127.0.0.4 }\n"
                            "  http-request return status 200 content-type text/plain lf-string "
                            "\"%[var(sess.src)] %[var(sess.tag)] %[var(txn.seen)]\"\n";
    HearthProcess h(cfg, options_for(binary, port));
    ASSERT_TRUE(h.ready()) << name_of(binary) << ": " << h.describe();
    const std::string who = name_of(binary);
    {
      UniqueFd fd(connect_from("127.0.0.1", port));
      ASSERT_TRUE(send_all(fd.get(), "GET / HTTP/1.0\r\n\r\n"));
      const Outcome o = drain(fd.get());
      EXPECT_NE(o.bytes.find("\r\n\r\n127.0.0.1 s2 "), std::string::npos) << who << o.bytes;
    }
    {
      UniqueFd fd(connect_from("127.0.0.4", port));
      ASSERT_TRUE(send_all(fd.get(), "GET / HTTP/1.0\r\n\r\n"));
      const Outcome o = drain(fd.get());
      EXPECT_TRUE(o.closed) << who;
      EXPECT_EQ(o.bytes, "") << who;
    }
  }
}

// tcp-response content: the server's first bytes are inspected before the
// client sees them; reject drops them and closes.
TEST(TcpRules, ResponseContentMatchesHAProxy) {
  for (const std::string binary : kBinaries) {
    NameServer evil("EVIL"), good("good");
    const uint16_t port = free_tcp_port(), port2 = free_tcp_port();
    const std::string cfg = defaults() + "listen evil\n  bind 127.0.0.1:" + std::to_string(port) +
                            "\n  tcp-response inspect-delay 2s\n"
                            "  tcp-response content reject if { res.payload(0,4) -m str EVIL }\n"
                            "  tcp-response content accept if { res.len ge 4 }\n"
                            "  server s 127.0.0.1:" +
                            std::to_string(evil.port()) +
                            "\nlisten good\n  bind 127.0.0.1:" + std::to_string(port2) +
                            "\n  tcp-response inspect-delay 2s\n"
                            "  tcp-response content reject if { res.payload(0,4) -m str EVIL }\n"
                            "  tcp-response content accept if { res.len ge 4 }\n"
                            "  server s 127.0.0.1:" +
                            std::to_string(good.port()) + "\n";
    HearthOptions o = options_for(binary, port);
    o.wait_ports.push_back(port2);
    HearthProcess h(cfg, o);
    ASSERT_TRUE(h.ready()) << name_of(binary) << ": " << h.describe();
    const std::string who = name_of(binary);
    {
      UniqueFd fd(connect_from("127.0.0.1", port));
      const Outcome out = drain(fd.get());
      EXPECT_TRUE(out.closed) << who;
      EXPECT_EQ(out.bytes, "") << who;
    }
    {
      UniqueFd fd(connect_from("127.0.0.1", port2));
      EXPECT_EQ(recv_n(fd.get(), 5, milliseconds{5000}), "good\n") << who;
    }
  }
}

// Rules of a named defaults section run before the proxy's own, in each set:
// the defaults' accept ends the set, so the proxy's reject is never reached
// (HAProxy's reg-test tcp-rules/default_rules.vtc tells the same story).
TEST(TcpRules, RulesFromNamedDefaultsMatchHAProxy) {
  for (const std::string binary : kBinaries) {
    ScriptedServer srv(scripted::reply_and_close("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"));
    const uint16_t port = free_tcp_port();
    const std::string cfg =
        "defaults common\n  mode http\n  timeout connect 2s\n  timeout client 10s\n"
        "  timeout server 10s\n"
        "defaults def_front from common\n  tcp-request connection accept\n"
        "  tcp-request session accept\n  tcp-request inspect-delay 5s\n"
        "  tcp-request content set-var(txn.f) str(def_front)\n  tcp-request content accept\n"
        "defaults def_back from common\n  tcp-request inspect-delay 5s\n"
        "  tcp-request content set-var(txn.b) str(def_back)\n  tcp-request content accept\n"
        "  tcp-response inspect-delay 5s\n  tcp-response content set-var(txn.r) str(def_back)\n"
        "  tcp-response content accept\n"
        "frontend fe from def_front\n  bind 127.0.0.1:" +
        std::to_string(port) +
        "\n  tcp-request connection reject\n  tcp-request session reject\n"
        "  tcp-request content reject\n  default_backend be\n"
        "backend be from def_back\n  tcp-response content reject\n"
        "  http-response set-header x-vars \"%[var(txn.f)] %[var(txn.b)] %[var(txn.r)]\"\n"
        "  server s1 127.0.0.1:" +
        std::to_string(srv.port()) + "\n";
    HearthProcess h(cfg, options_for(binary, port));
    ASSERT_TRUE(h.ready()) << name_of(binary) << ": " << h.describe();
    UniqueFd fd(connect_from("127.0.0.1", port));
    ASSERT_TRUE(send_all(fd.get(), "GET / HTTP/1.0\r\n\r\n"));
    const Outcome o = drain(fd.get());
    EXPECT_EQ(o.bytes.substr(0, 15), "HTTP/1.1 200 OK") << name_of(binary) << o.bytes;
    EXPECT_NE(o.bytes.find("\r\nx-vars: def_front def_back def_back\r\n"), std::string::npos)
        << name_of(binary) << o.bytes;
  }
}

}  // namespace
}  // namespace hearth::test::tcp
