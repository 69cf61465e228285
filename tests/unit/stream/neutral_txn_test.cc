// Whole HTTP transactions through HttpStream with no HTTP/1.1 byte anywhere
// (issue #7): the client and server connections carry test::MsgMux, which
// hands the stream protocol-neutral messages built in code (http::MsgHead,
// DATA, trailers, end of message) and records, as plain structures, the
// messages the stream sends. In-process: one EventLoop on a FakeClock, a
// stream::Frontend with its rules, a backend::Backend whose servers install
// "msgtest" on their connections (a real listening socket accepts the
// connects; nothing is ever written to or read from it).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "backend/backend.h"
#include "backend/server.h"
#include "config/enums.h"
#include "config/model.h"
#include "core/clock.h"
#include "core/event_loop.h"
#include "http/msg.h"
#include "mux/mux.h"
#include "net/address.h"
#include "net/connection.h"
#include "stream/frontend.h"
#include "stream/http_stream.h"
#include "stream/session.h"
#include "support/msg_mux.h"
#include "support/socket_pair_conn.h"
#include "support/unique_fd.h"

namespace hearth::stream {
namespace {

using Action = config::HttpRule::Action;
using http::BodyKind;
using http::Method;
using test::MsgPeer;
using test::NeutralFields;
using test::NeutralMsg;

constexpr int64_t kKeepAliveMs = 7000;

config::HttpRule rule(Action a, std::string name = {}, std::string value = {}, int status = 0) {
  config::HttpRule r{};
  r.action = a;
  r.name = std::move(name);
  r.value = std::move(value);
  r.status = status;
  return r;
}

// Reads what a socket holds until EAGAIN or EOF. Returns: the byte count.
size_t bytes_readable(int fd) {
  char buf[4096];
  size_t total = 0;
  for (;;) {
    const ssize_t n = recv(fd, buf, sizeof buf, MSG_DONTWAIT);
    if (n <= 0) return total;
    total += size_t(n);
  }
}

// What frontend_accept does with a closed client connection: its session goes.
void on_client_destroyed(net::Connection* c, void* ctx) {
  c->owner = nullptr;
  Session::pool().destroy(static_cast<Session*>(ctx));
}

// "name: value|" for each field, in order: one string shows order and case.
std::string fields_str(const NeutralFields& fields) {
  std::string out;
  for (const auto& f : fields) out += f.name + ": " + f.value + "|";
  return out;
}

std::string pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = char('a' + (i * 7 + i / 26) % 26);
  return s;
}

class NeutralTxnTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mux::register_builtin_muxes();
    test::register_msg_mux("msgtest");
    test::set_msg_server_script(&script_);
    live0_ = net::Connection::live_count();
    loop_.make_current();
    loop_.run_once(0);
    listen_on_loopback();
    fe_.name = "fe";
    fe_.mode = config::Mode::kHttp;
    fe_.timeouts.client = 5000;
    fe_.timeouts.http_request = 5000;
    fe_.timeouts.keep_alive = kKeepAliveMs;
    // By default each server answers 200 with a body naming the target.
    script_.respond = [](const NeutralMsg& req) {
      std::string body = "hello " + req.head.target;
      const uint64_t len = body.size();
      return test::message(test::response_head(200, "OK",
                                               {{"content-type", "text/plain"},
                                                {"server-secret", "s3cr3t"},
                                                {"x-resp", req.head.target}},
                                               BodyKind::kLength, len),
                           std::move(body));
    };
  }

  void TearDown() override {
    // Idle client connections close (as the keep-alive timeout would);
    // a stream still running means the test already failed: leave it.
    for (auto& p : clients_) {
      EXPECT_EQ(p->byte_api_calls, 0);
      if (!p->mux) continue;
      if (p->mux->first_sc()) {
        ADD_FAILURE() << "a stream is still running on a client connection";
        leaked_ = true;
        continue;
      }
      p->mux->destroy();
    }
    for (auto& p : script_.peers) EXPECT_EQ(p->byte_api_calls, 0);
    loop_.run_once(0);
    be_.reset();  // its servers' pools close their idle connections
    if (!leaked_) {
      EXPECT_EQ(net::Connection::live_count(), live0_);
    }
    // Not one byte went over the sockets, either way: everything was neutral.
    for (test::UniqueFd& fd : client_fds_) EXPECT_EQ(bytes_readable(fd.get()), 0u);
    for (;;) {
      test::UniqueFd s(accept4(listener_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
      if (!s.valid()) break;
      EXPECT_EQ(bytes_readable(s.get()), 0u);
    }
    test::set_msg_server_script(nullptr);
  }

  void listen_on_loopback() {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    ASSERT_GE(fd, 0);
    listener_.reset(fd);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    ASSERT_EQ(listen(fd, 64), 0);
    socklen_t len = sizeof a;
    ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len), 0);
    srv_addr_ = net::Address::from(reinterpret_cast<sockaddr*>(&a), len);
  }

  // An HTTP backend of `n` servers (s1, s2...) whose connections use MsgMux.
  backend::Backend* make_backend(int n = 1) {
    be_ = std::make_unique<backend::Backend>("be", backend::LbKind::kRoundRobin, 2);
    be_->settings.mode = config::Mode::kHttp;
    be_->settings.timeouts.connect = 1000;
    be_->settings.timeouts.server = 5000;
    for (int i = 0; i < n; ++i) {
      auto s = std::make_unique<backend::Server>();
      s->name = "s" + std::to_string(i + 1);
      s->set_address(srv_addr_);
      s->http_mux = "msgtest";
      s->make_pools(1);
      be_->add_server(std::move(s));
    }
    be_->finalize();
    return be_.get();
  }
  backend::Server* server(int i = 0) { return be_->servers()[size_t(i)].get(); }

  // An accepted client connection (over a socketpair nobody writes to) with
  // its session, carrying a client-side MsgMux and its first HttpStream.
  std::shared_ptr<MsgPeer> connect_client(size_t chunk = 64 * 1024) {
    auto peer = std::make_shared<MsgPeer>();
    peer->chunk = chunk;
    client_fds_.emplace_back();
    net::Connection* c = test::socket_pair_conn(&loop_, net::kConnConnected, &client_fds_.back());
    if (!c) return peer;
    Session* s = Session::pool().create(&fe_);
    c->owner = s;
    c->on_destroy = &on_client_destroyed;
    c->on_destroy_ctx = s;
    EXPECT_NE(test::MsgMux::accept(c, peer, &HttpStream::create_incoming, &fe_), nullptr);
    clients_.push_back(peer);
    return peer;
  }

  template <class P>
  bool run_until(P pred) {
    return test::run_loop_until(loop_, pred);
  }

  FakeClock clock_{100000};
  EventLoop loop_{&clock_};
  test::UniqueFd listener_;
  net::Address srv_addr_;
  test::MsgServerScript script_;
  std::unique_ptr<backend::Backend> be_;
  Frontend fe_;
  std::vector<test::UniqueFd> client_fds_;
  std::vector<std::shared_ptr<MsgPeer>> clients_;
  uint64_t live0_ = 0;
  bool leaked_ = false;
};

// (1) A GET: the frontend's request rules run in order (set-then-del leaves
// nothing; set removes earlier adds and appends once; add appends), then the
// backend's; the server mux gets exactly those fields as a neutral head. The
// response comes back through the backend's then the frontend's response
// rules, status, fields and body intact. The client connection stays for a
// second request, whose new stream reuses the same server connection.
TEST_F(NeutralTxnTest, GetThroughRulesThenKeepAliveReusesTheServerConnection) {
  fe_.http.request_rules = {
      rule(Action::kSetHeader, "X-A", "one"),   rule(Action::kDelHeader, "X-A"),
      rule(Action::kAddHeader, "X-B", "first"), rule(Action::kSetHeader, "X-B", "second"),
      rule(Action::kAddHeader, "X-B", "third"), rule(Action::kDelHeader, "x-drop"),
  };
  fe_.http.response_rules = {rule(Action::kDelHeader, "server-secret"),
                             rule(Action::kAddHeader, "x-fe", "yes")};
  fe_.default_backend = make_backend(1);
  be_->settings.request_rules = {rule(Action::kAddHeader, "x-backend", "be1")};
  be_->settings.response_rules = {rule(Action::kSetHeader, "x-served-by", "hearth")};

  auto client = connect_client();
  ASSERT_TRUE(client->mux);
  EXPECT_EQ(client->streams, 1);
  client->push(test::message(test::request_head(
      Method::kGet, "/first",
      {{"host", "example.com"}, {"x-a", "from-client"}, {"x-drop", "1"}, {"user-agent", "t/1"}})));
  ASSERT_TRUE(run_until([&] { return client->complete() == 1 && client->detaches.size() == 1; }))
      << "responses: " << client->complete() << ", detaches: " << client->detaches.size();

  // The request as the server mux got it.
  ASSERT_EQ(script_.peers.size(), 1u);
  const std::shared_ptr<MsgPeer> srv_conn = script_.peers[0];
  ASSERT_EQ(srv_conn->sent.size(), 1u);
  const NeutralMsg& req = srv_conn->sent[0];
  ASSERT_TRUE(req.has_head);
  EXPECT_TRUE(req.head.is_request());
  EXPECT_EQ(req.head.method, Method::kGet);
  EXPECT_EQ(req.head.target, "/first");
  EXPECT_EQ(req.head.body, BodyKind::kNone);
  EXPECT_EQ(fields_str(req.head.fields),
            "host: example.com|user-agent: t/1|X-B: second|X-B: third|x-backend: be1|");
  EXPECT_TRUE(req.body.empty());
  EXPECT_FALSE(req.has_trailers);

  // The response as the client mux got it.
  const NeutralMsg& res = client->sent[0];
  ASSERT_TRUE(res.has_head);
  EXPECT_FALSE(res.head.is_request());
  EXPECT_EQ(res.head.status, 200);
  EXPECT_EQ(res.head.reason, "OK");
  EXPECT_TRUE(res.interim.empty());
  EXPECT_EQ(fields_str(res.head.fields),
            "content-type: text/plain|x-resp: /first|x-served-by: hearth|x-fe: yes|");
  EXPECT_EQ(res.head.body, BodyKind::kLength);
  EXPECT_EQ(res.head.length, 12u);
  EXPECT_EQ(res.body, "hello /first");
  EXPECT_TRUE(res.eom);
  EXPECT_FALSE(res.has_trailers);
  EXPECT_FALSE(res.head.flags & http::kMsgClose);

  // Keep-alive on both sides.
  EXPECT_EQ(client->detaches, std::vector<bool>{true});
  EXPECT_FALSE(client->destroyed);
  EXPECT_FALSE(client->shutw);
  EXPECT_EQ(client->idle_timeout_ms, kKeepAliveMs);
  EXPECT_EQ(srv_conn->detaches, std::vector<bool>{true});
  EXPECT_FALSE(srv_conn->destroyed);
  EXPECT_EQ(server()->local_pool()->idle_count(), 1u);
  EXPECT_EQ(server()->counters.sum(&backend::ServerTallies::conns_opened), 1u);
  const net::Connection* srv_c = srv_conn->conn;
  const test::MsgMux* srv_mux = srv_conn->mux;

  // The second request starts a new stream on the same client connection and
  // goes out on the same server connection, taken from the pool.
  client->push(test::message(
      test::request_head(Method::kGet, "/second", {{"host", "example.com"}, {"x-a", "again"}})));
  ASSERT_TRUE(run_until([&] { return client->complete() == 2 && client->detaches.size() == 2; }))
      << "responses: " << client->complete() << ", detaches: " << client->detaches.size();
  EXPECT_EQ(client->streams, 2);
  EXPECT_EQ(script_.peers.size(), 1u);  // no new server connection
  EXPECT_EQ(srv_conn->attaches, 1);
  EXPECT_EQ(srv_conn->conn, srv_c);  // the same connection, mux and all
  EXPECT_EQ(srv_conn->mux, srv_mux);
  ASSERT_EQ(srv_conn->sent.size(), 2u);
  EXPECT_EQ(srv_conn->sent[1].head.target, "/second");
  EXPECT_EQ(fields_str(srv_conn->sent[1].head.fields),
            "host: example.com|X-B: second|X-B: third|x-backend: be1|");
  EXPECT_EQ(server()->counters.sum(&backend::ServerTallies::conns_opened), 1u);
  EXPECT_EQ(server()->counters.sum(&backend::ServerTallies::reused), 1u);
  const NeutralMsg& res2 = client->sent[1];
  EXPECT_EQ(res2.head.status, 200);
  EXPECT_EQ(res2.body, "hello /second");
  EXPECT_EQ(res2.head.field("x-resp"), "/second");
  EXPECT_EQ(client->detaches, (std::vector<bool>{true, true}));
  EXPECT_EQ(srv_conn->detaches, (std::vector<bool>{true, true}));
  EXPECT_FALSE(client->destroyed);
}

// (2a) A POST whose body has a known length, delivered in several DATA
// parts: the server mux receives exactly the payload, then the end of the
// message, and no trailers.
TEST_F(NeutralTxnTest, PostWithKnownLengthReachesTheServerWhole) {
  fe_.default_backend = make_backend(1);
  const std::string payload = pattern(5000);
  script_.respond = [](const NeutralMsg& req) {
    return test::message(
        test::response_head(201, "Created", {{"x-got", std::to_string(req.body.size())}},
                            BodyKind::kLength, 2),
        "ok");
  };

  auto client = connect_client(/*chunk=*/1000);
  client->push(test::message(
      test::request_head(Method::kPost, "/upload",
                         {{"host", "example.com"}, {"content-type", "application/octet-stream"}},
                         BodyKind::kLength, payload.size()),
      payload));
  ASSERT_TRUE(run_until([&] { return client->complete() == 1 && client->detaches.size() == 1; }))
      << "responses: " << client->complete();

  ASSERT_EQ(script_.peers.size(), 1u);
  ASSERT_EQ(script_.peers[0]->sent.size(), 1u);
  const NeutralMsg& req = script_.peers[0]->sent[0];
  EXPECT_EQ(req.head.method, Method::kPost);
  EXPECT_EQ(req.head.target, "/upload");
  EXPECT_EQ(req.head.body, BodyKind::kLength);
  EXPECT_EQ(req.head.length, payload.size());
  EXPECT_EQ(req.head.field("content-type"), "application/octet-stream");
  EXPECT_EQ(req.head.count("transfer-encoding"), 0u);
  EXPECT_EQ(req.body.size(), payload.size());
  EXPECT_TRUE(req.body == payload) << "the payload differs";
  EXPECT_TRUE(req.eom);
  EXPECT_FALSE(req.has_trailers);

  const NeutralMsg& res = client->sent[0];
  EXPECT_EQ(res.head.status, 201);
  EXPECT_EQ(res.head.field("x-got"), "5000");
  EXPECT_EQ(res.body, "ok");
  EXPECT_TRUE(res.eom);
  EXPECT_EQ(client->detaches, std::vector<bool>{true});
}

// Payloads much larger than a buffer (tune.bufsize) both ways, in DATA
// parts that do not divide it: every byte arrives, in order, once.
TEST_F(NeutralTxnTest, LargePayloadsFlowWholeBothWays) {
  fe_.default_backend = make_backend(1);
  const std::string payload = pattern(100000);
  const std::string reply = pattern(70001);
  script_.respond = [&reply](const NeutralMsg&) {
    return test::message(test::response_head(200, "OK", {}, BodyKind::kLength, reply.size()),
                         reply);
  };

  auto client = connect_client(/*chunk=*/3000);
  client->push(test::message(test::request_head(Method::kPut, "/big", {{"host", "example.com"}},
                                                BodyKind::kLength, payload.size()),
                             payload));
  ASSERT_TRUE(run_until([&] { return client->complete() == 1 && client->detaches.size() == 1; }))
      << "responses: " << client->complete();

  ASSERT_EQ(script_.peers.size(), 1u);
  ASSERT_EQ(script_.peers[0]->sent.size(), 1u);
  const NeutralMsg& req = script_.peers[0]->sent[0];
  EXPECT_EQ(req.head.method, Method::kPut);
  EXPECT_EQ(req.head.length, payload.size());
  EXPECT_EQ(req.body.size(), payload.size());
  EXPECT_TRUE(req.body == payload) << "the request payload differs";
  EXPECT_TRUE(req.eom);
  const NeutralMsg& res = client->sent[0];
  EXPECT_EQ(res.head.length, reply.size());
  EXPECT_EQ(res.body.size(), reply.size());
  EXPECT_TRUE(res.body == reply) << "the response payload differs";
  EXPECT_TRUE(res.eom);
  EXPECT_EQ(client->detaches, std::vector<bool>{true});
}

// (2b) A POST of unknown length (HTTP/1.1 would chunk it) ending with
// trailers: the server mux receives the payload, the trailers and the end of
// the message; the response's own trailers come back to the client.
TEST_F(NeutralTxnTest, PostOfUnknownLengthCarriesItsTrailers) {
  fe_.default_backend = make_backend(1);
  const std::string payload = pattern(3000);
  script_.respond = [](const NeutralMsg& req) {
    return test::message(
        test::response_head(200, "OK", {{"x-got", std::to_string(req.body.size())}},
                            BodyKind::kUnknown),
        "streamed reply", {{"x-resp-trailer", "done"}});
  };

  auto client = connect_client(/*chunk=*/700);
  client->push(test::message(
      test::request_head(Method::kPost, "/stream", {{"host", "example.com"}}, BodyKind::kUnknown),
      payload, {{"x-checksum", "abc123"}, {"x-count", "3000"}}));
  ASSERT_TRUE(run_until([&] { return client->complete() == 1 && client->detaches.size() == 1; }))
      << "responses: " << client->complete();

  ASSERT_EQ(script_.peers.size(), 1u);
  ASSERT_EQ(script_.peers[0]->sent.size(), 1u);
  const NeutralMsg& req = script_.peers[0]->sent[0];
  EXPECT_EQ(req.head.method, Method::kPost);
  EXPECT_EQ(req.head.body, BodyKind::kUnknown);
  EXPECT_EQ(req.head.count("transfer-encoding"), 0u);
  EXPECT_EQ(req.body.size(), payload.size());
  EXPECT_TRUE(req.body == payload) << "the payload differs";
  EXPECT_TRUE(req.eom);
  EXPECT_TRUE(req.has_trailers);
  EXPECT_EQ(fields_str(req.trailers), "x-checksum: abc123|x-count: 3000|");

  const NeutralMsg& res = client->sent[0];
  EXPECT_EQ(res.head.status, 200);
  EXPECT_EQ(res.head.body, BodyKind::kUnknown);
  EXPECT_EQ(res.head.field("x-got"), "3000");
  EXPECT_EQ(res.body, "streamed reply");
  EXPECT_TRUE(res.eom);
  EXPECT_TRUE(res.has_trailers);
  EXPECT_EQ(fields_str(res.trailers), "x-resp-trailer: done|");
}

// Interim responses reach the client as heads of their own, before the
// final one, which carries the payload.
TEST_F(NeutralTxnTest, InterimHeadsAreForwardedBeforeTheFinalOne) {
  fe_.default_backend = make_backend(1);
  script_.respond = [](const NeutralMsg&) {
    NeutralMsg m = test::message(
        test::response_head(200, "OK", {{"x-final", "1"}}, BodyKind::kLength, 4), "done");
    m.interim.push_back(
        test::response_head(103, "Early Hints", {{"link", "</a.css>; rel=preload"}}));
    return m;
  };

  auto client = connect_client();
  client->push(test::message(test::request_head(Method::kGet, "/", {{"host", "example.com"}})));
  ASSERT_TRUE(run_until([&] { return client->complete() == 1 && client->detaches.size() == 1; }));

  const NeutralMsg& res = client->sent[0];
  ASSERT_EQ(res.interim.size(), 1u);
  EXPECT_EQ(res.interim[0].status, 103);
  EXPECT_EQ(res.interim[0].field("link"), "</a.css>; rel=preload");
  EXPECT_EQ(res.head.status, 200);
  EXPECT_EQ(res.head.field("x-final"), "1");
  EXPECT_EQ(res.body, "done");
  EXPECT_EQ(client->detaches, std::vector<bool>{true});
}

// (3) A deny rule answers 403 by itself: no server is contacted, and the
// client connection stays for the next request (HAProxy 2.6 keeps it).
TEST_F(NeutralTxnTest, DenyAnswers403WithoutContactingAServer) {
  fe_.http.request_rules = {rule(Action::kAddHeader, "x-seen", "1"), rule(Action::kDeny)};
  fe_.default_backend = make_backend(1);

  auto client = connect_client();
  client->push(test::message(test::request_head(Method::kGet, "/", {{"host", "example.com"}})));
  ASSERT_TRUE(run_until([&] { return client->complete() == 1 && client->detaches.size() == 1; }))
      << "responses: " << client->complete() << ", detaches: " << client->detaches.size();

  const NeutralMsg& res = client->sent[0];
  EXPECT_EQ(res.head.status, 403);
  EXPECT_TRUE(res.eom);
  EXPECT_TRUE(script_.peers.empty());
  EXPECT_EQ(server()->counters.sum(&backend::ServerTallies::conns_opened), 0u);
  EXPECT_EQ(server()->cur_sess.load(), 0);
  // As HAProxy 2.6: a request without a payload keeps its connection.
  EXPECT_EQ(client->detaches, std::vector<bool>{true});
}

// (4) No use_backend and no default_backend: 503, no server; the client's
// connection stays (a request without payload), as in HAProxy 2.6.
TEST_F(NeutralTxnTest, NoBackendAnswers503) {
  make_backend(1);  // exists, but the frontend does not route to it
  fe_.default_backend = nullptr;

  auto client = connect_client();
  client->push(test::message(test::request_head(Method::kGet, "/", {{"host", "example.com"}})));
  ASSERT_TRUE(run_until([&] { return client->complete() == 1 && !client->detaches.empty(); }))
      << "responses: " << client->complete() << ", destroyed: " << client->destroyed;

  const NeutralMsg& res = client->sent[0];
  EXPECT_EQ(res.head.status, 503);
  EXPECT_TRUE(res.eom);
  EXPECT_TRUE(script_.peers.empty());
  EXPECT_EQ(server()->counters.sum(&backend::ServerTallies::conns_opened), 0u);
  EXPECT_EQ(client->detaches, std::vector<bool>{true});
}

// Two servers, two clients: round robin gives each client's request its own
// server, each on its own server connection carrying one neutral request.
TEST_F(NeutralTxnTest, RoundRobinSendsEachRequestToItsServerMux) {
  fe_.default_backend = make_backend(2);

  auto a = connect_client();
  auto b = connect_client();
  a->push(test::message(test::request_head(Method::kGet, "/a", {{"host", "example.com"}})));
  b->push(test::message(test::request_head(Method::kGet, "/b", {{"host", "example.com"}})));
  ASSERT_TRUE(run_until([&] { return a->complete() == 1 && b->complete() == 1; }));

  EXPECT_EQ(a->sent[0].body, "hello /a");
  EXPECT_EQ(b->sent[0].body, "hello /b");
  ASSERT_EQ(script_.peers.size(), 2u);
  EXPECT_EQ(server(0)->counters.sum(&backend::ServerTallies::conns_opened), 1u);
  EXPECT_EQ(server(1)->counters.sum(&backend::ServerTallies::conns_opened), 1u);
  std::vector<std::string> targets;
  for (auto& p : script_.peers) {
    ASSERT_EQ(p->sent.size(), 1u);
    targets.push_back(p->sent[0].head.target);
  }
  std::sort(targets.begin(), targets.end());
  EXPECT_EQ(targets, (std::vector<std::string>{"/a", "/b"}));
}

}  // namespace
}  // namespace hearth::stream
