// Response payload for rules: http-response wait-for-body and the res.body
// fetches, through hearth and HAProxy with the same configuration on real
// sockets, against a scripted server that sends its responses in timed
// pieces (no real server lets a test choose where a payload is cut).
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "http_test_util.h"
#include "support/client.h"
#include "support/ports.h"
#include "support/scripted_server.h"
#include "support/unique_fd.h"

namespace hearth::test::http {
namespace {

using std::chrono::milliseconds;

const std::vector<std::string> kBinaries = {"", "haproxy"};

std::unique_ptr<HearthProcess> start(const std::string& binary, const std::string& cfg,
                                     uint16_t port) {
  HearthOptions opt{.wait_ports = {port}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  return std::make_unique<HearthProcess>(cfg, opt);
}

// One response: its pieces, each sent after the pause before it. A piece
// "<wait>" instead waits until the test sets `go` (at most 5 s).
struct Piece {
  int pause_ms = 0;
  std::string bytes;
};
using Script = std::map<std::string, std::vector<Piece>>;  // by request target
constexpr const char* kWaitGo = "<wait>";

// A server that answers each request on its connection with the script of
// its target (keep-alive), and closes after a piece "<close>".
ScriptedServer::Handler scripted_responses(Script script, std::atomic<bool>* go) {
  return [script = std::move(script), go](int fd) {
    std::string in;
    for (;;) {
      size_t end;
      while ((end = in.find("\r\n\r\n")) == std::string::npos) {
        char buf[4096];
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) return;
        in.append(buf, size_t(n));
      }
      const size_t sp1 = in.find(' '), sp2 = in.find(' ', sp1 + 1);
      const std::string target = in.substr(sp1 + 1, sp2 - sp1 - 1);
      in.erase(0, end + 4);
      const auto it = script.find(target);
      if (it == script.end()) return;
      for (const Piece& p : it->second) {
        std::this_thread::sleep_for(milliseconds(p.pause_ms));
        if (p.bytes == kWaitGo) {
          for (int i = 0; i < 500 && !go->load(); ++i)
            std::this_thread::sleep_for(milliseconds(10));
          continue;
        }
        if (p.bytes == "<close>") return;
        if (!send_all(fd, p.bytes)) return;
      }
    }
  };
}

std::string defaults() {
  return "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
         "  timeout server 5s\n";
}

std::string proxy_cfg(uint16_t port, uint16_t srv, const std::string& rules) {
  return defaults() + "frontend fe\n  bind 127.0.0.1:" + std::to_string(port) +
         "\n  default_backend be\nbackend be\n" + rules +
         "  server s 127.0.0.1:" + std::to_string(srv) + "\n";
}

const char* const kShowRules =
    "  http-response wait-for-body time 2s if { res.hdr(x-wait) -m found }\n"
    "  http-response set-header x-len %[res.body_len]\n"
    "  http-response set-header x-size %[res.body_size]\n"
    "  http-response set-header x-hex %[res.body,hex]\n";

Script show_script() {
  const std::string wait = "x-wait: 1\r\n";
  return {
      // The payload comes after the head: the rules wait for it.
      {"/cl",
       {{0, "HTTP/1.1 200 OK\r\n" + wait + "content-length: 11\r\n\r\n"}, {50, "hello world"}}},
      // Chunked, in two runs: the rules see the payload without framing.
      {"/chunked",
       {{0, "HTTP/1.1 200 OK\r\n" + wait + "transfer-encoding: chunked\r\n\r\n5\r\nhello\r\n"},
        {50, "6\r\n world\r\n0\r\n\r\n"}}},
      // No wait: what arrived with the head.
      {"/nowait", {{0, "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello"}}},
      // No payload at all, whatever the fields say.
      {"/204", {{0, "HTTP/1.1 204 No Content\r\n" + wait + "\r\n"}}},
      {"/304", {{0, "HTTP/1.1 304 Not Modified\r\n" + wait + "content-length: 11\r\n\r\n"}}},
      {"/head", {{0, "HTTP/1.1 200 OK\r\n" + wait + "content-length: 11\r\n\r\n"}}},
      // Delimited by the close.
      {"/close",
       {{0, "HTTP/1.1 200 OK\r\n" + wait + "connection: close\r\n\r\nclose-"},
        {50, "delimited"},
        {0, "<close>"}}},
  };
}

std::string shown(const HttpResponse& r) {
  return std::to_string(r.status) + " len=" + r.header("x-len").value_or("-") +
         " size=" + r.header("x-size").value_or("-") + " hex=" + r.header("x-hex").value_or("-") +
         " body=" + r.body;
}

// res.body, res.body_len and res.body_size after a wait, on content-length,
// chunked and close-delimited payloads and on responses without one: the
// same as HAProxy 2.6.
TEST(HttpResponseBody, FetchesSameAsHAProxy) {
  ScriptedServer srv(scripted_responses(show_script(), nullptr));
  std::vector<std::vector<std::string>> runs;
  for (const std::string& binary : kBinaries) {
    const uint16_t port = free_tcp_port();
    auto h = start(binary, proxy_cfg(port, srv.port(), kShowRules), port);
    ASSERT_TRUE(h->ready()) << binary << ": " << h->describe();
    std::vector<std::string> seen;
    for (const char* t : {"/cl", "/chunked", "/nowait", "/204", "/304", "/close"}) {
      HttpClient c(port);
      seen.push_back(shown(c.request("GET", t)));
    }
    HttpClient c(port);
    ASSERT_TRUE(c.send("HEAD /head HTTP/1.1\r\nhost: x\r\n\r\n"));
    seen.push_back(shown(c.read_response(milliseconds(5000), /*head_request=*/true)));
    runs.push_back(seen);
  }
  EXPECT_EQ(runs[0], runs[1]);
  EXPECT_EQ(runs[0][0], "200 len=11 size=11 hex=68656C6C6F20776F726C64 body=hello world");
  EXPECT_EQ(runs[0][1], "200 len=11 size=11 hex=68656C6C6F20776F726C64 body=hello world");
  EXPECT_EQ(runs[0][2], "200 len=5 size=5 hex=68656C6C6F body=hello");
  EXPECT_EQ(runs[0][3], "204 len=0 size=0 hex= body=");
  EXPECT_EQ(runs[0][4], "304 len=0 size=0 hex= body=");
  EXPECT_EQ(runs[0][5],
            "200 len=15 size=15 hex=636C6F73652D64656C696D69746564 body=close-delimited");
  EXPECT_EQ(runs[0][6], "200 len=0 size=0 hex= body=");
}

// Without a wait, the rules see what came with the head, as HAProxy's:
// all of a payload written with it, nothing of one that follows later. The
// http-after-response rules read it too.
TEST(HttpResponseBody, WithoutAWaitWhatCameWithTheHead) {
  ScriptedServer srv(scripted_responses(
      {{"/together", {{0, "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello"}}},
       {"/later", {{0, "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n"}, {100, "hello"}}}},
      nullptr));
  std::vector<std::vector<std::string>> runs;
  for (const std::string& binary : kBinaries) {
    const uint16_t port = free_tcp_port();
    const std::string cfg =
        defaults() + "frontend fe\n  bind 127.0.0.1:" + std::to_string(port) +
        "\n  http-after-response set-header x-after %[res.body]\n"
        "  default_backend be\nbackend be\n"
        "  http-response set-header x-len %[res.body_len] if { res.body_size gt 0 }\n"
        "  server s 127.0.0.1:" +
        std::to_string(srv.port()) + "\n";
    auto h = start(binary, cfg, port);
    ASSERT_TRUE(h->ready()) << binary << ": " << h->describe();
    std::vector<std::string> seen;
    for (const char* t : {"/together", "/later"}) {
      HttpClient c(port);
      const HttpResponse r = c.request("GET", t);
      seen.push_back(std::to_string(r.status) + " len=" + r.header("x-len").value_or("-") +
                     " after=" + r.header("x-after").value_or("-") + " body=" + r.body);
    }
    runs.push_back(seen);
  }
  EXPECT_EQ(runs[0], runs[1]);
  EXPECT_EQ(runs[0][0], "200 len=5 after=hello body=hello");
  EXPECT_EQ(runs[0][1], "200 len=0 after= body=hello");
}

// A deny on the payload's content: the client gets HAProxy's 502, nothing of
// the server's payload; an allowed payload goes through whole. The
// http-after-response rules read the payload too.
TEST(HttpResponseBody, DenyOnBodyMatchAndAfterResponse) {
  ScriptedServer srv(scripted_responses(
      {{"/bad",
        {{0, "HTTP/1.1 200 OK\r\ncontent-length: 21\r\n\r\nsome "}, {50, "forbidden content"}}},
       {"/good", {{0, "HTTP/1.1 200 OK\r\ncontent-length: 12\r\n\r\nfine "}, {50, "content"}}}},
      nullptr));
  for (const std::string& binary : kBinaries) {
    const uint16_t port = free_tcp_port();
    const std::string cfg = defaults() + "frontend fe\n  bind 127.0.0.1:" + std::to_string(port) +
                            "\n  http-after-response set-header x-after %[res.body_len]\n"
                            "  default_backend be\nbackend be\n"
                            "  http-response wait-for-body time 2s\n"
                            "  http-response deny if { res.body -m sub forbidden }\n"
                            "  server s 127.0.0.1:" +
                            std::to_string(srv.port()) + "\n";
    auto h = start(binary, cfg, port);
    ASSERT_TRUE(h->ready()) << binary << ": " << h->describe();
    HttpClient bad(port);
    HttpResponse r = bad.request("GET", "/bad");
    EXPECT_EQ(r.status, 502) << binary;
    EXPECT_EQ(r.body.find("forbidden"), std::string::npos) << binary;
    HttpClient good(port);
    r = good.request("GET", "/good");
    EXPECT_EQ(r.status, 200) << binary;
    EXPECT_EQ(r.body, "fine content") << binary;
    EXPECT_EQ(r.header("x-after"), "12") << binary;
  }
}

// `at-least`: the rules go on once that many bytes are in, before the rest
// of the payload, which follows. The server sends its last byte only once
// the client has the head, so a proxy waiting for the whole payload would
// answer 504 instead.
TEST(HttpResponseBody, AtLeastEndsTheWaitEarly) {
  std::atomic<bool> go{false};
  ScriptedServer srv(scripted_responses({{"/",
                                          {{0, "HTTP/1.1 200 OK\r\ncontent-length: 1001\r\n\r\n"},
                                           {20, std::string(1000, 'a')},
                                           {0, kWaitGo},
                                           {0, "z"}}}},
                                        &go));
  for (const std::string& binary : kBinaries) {
    go = false;
    const uint16_t port = free_tcp_port();
    auto h = start(binary,
                   proxy_cfg(port, srv.port(),
                             "  http-response wait-for-body time 3s at-least 1000\n"
                             "  http-response set-header x-len %[res.body_len]\n"),
                   port);
    ASSERT_TRUE(h->ready()) << binary << ": " << h->describe();
    UniqueFd fd(connect_tcp(port));
    ASSERT_TRUE(send_all(fd.get(), "GET / HTTP/1.1\r\nhost: x\r\n\r\n"));
    std::string head;
    while (head.find("\r\n\r\n") == std::string::npos) {
      const std::optional<std::string> line = recv_line(fd.get(), milliseconds(2000));
      ASSERT_TRUE(line) << binary << ": no head before the last byte; got " << head;
      head += *line + "\n";
      if (*line == "\r") break;
    }
    EXPECT_EQ(head.rfind("HTTP/1.1 200", 0), 0u) << binary << head;
    EXPECT_NE(head.find("x-len: 1000\r"), std::string::npos) << binary << head;
    go = true;
    EXPECT_EQ(recv_n(fd.get(), 1001), std::string(1000, 'a') + "z") << binary;
  }
}

// A wait that expires answers 504, as HAProxy 2.6: the server connection
// closes, the client's is kept for its next request.
TEST(HttpResponseBody, WaitTimeoutAnswers504) {
  std::atomic<bool> go{false};
  ScriptedServer srv(
      scripted_responses({{"/",
                           {{0, "HTTP/1.1 200 OK\r\ncontent-length: 1001\r\n\r\n"},
                            {10, std::string(1000, 'a')},
                            {0, kWaitGo},
                            {0, "z"}}},
                          {"/next", {{0, "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok"}}}},
                         &go));
  for (const std::string& binary : kBinaries) {
    const uint16_t port = free_tcp_port();
    auto h = start(binary,
                   proxy_cfg(port, srv.port(), "  http-response wait-for-body time 200ms\n"), port);
    ASSERT_TRUE(h->ready()) << binary << ": " << h->describe();
    const uint64_t accepted = srv.accepted();
    HttpClient c(port);
    HttpResponse r = c.request("GET", "/");
    EXPECT_EQ(r.status, 504) << binary;
    EXPECT_FALSE(r.has_token("connection", "close")) << binary;
    r = c.request("GET", "/next");
    EXPECT_EQ(r.status, 200) << binary;
    EXPECT_EQ(r.body, "ok") << binary;
    EXPECT_EQ(srv.accepted(), accepted + 2) << binary;  // a new server connection
  }
  go = true;
}

// A payload larger than the buffer: the rules see its first part (what
// HAProxy's buffer holds beside the head, bufsize less maxrewrite), the
// client gets all of it intact.
TEST(HttpResponseBody, LargerThanTheBuffer) {
  std::string body;
  for (int i = 0; body.size() < 100000; ++i) body += std::to_string(i) + ",";
  const std::string head =
      "HTTP/1.1 200 OK\r\ncontent-length: " + std::to_string(body.size()) + "\r\n\r\n";
  ScriptedServer srv(scripted_responses({{"/", {{0, head}, {30, body}}}}, nullptr));
  const uint16_t port = free_tcp_port();
  auto h = start("",
                 "global\n  tune.bufsize 16384\n  tune.maxrewrite 1024\n" +
                     proxy_cfg(port, srv.port(),
                               "  http-response wait-for-body time 2s\n"
                               "  http-response set-header x-len %[res.body_len]\n"
                               "  http-response set-header x-size %[res.body_size]\n"),
                 port);
  ASSERT_TRUE(h->ready()) << h->describe();
  HttpClient c(port);
  const HttpResponse r = c.request("GET", "/");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body, body);
  EXPECT_EQ(r.header("x-size"), std::to_string(body.size()));
  // 16384 - 1024 less the head as received.
  EXPECT_EQ(r.header("x-len"), std::to_string(16384 - 1024 - head.size()));
}

}  // namespace
}  // namespace hearth::test::http
