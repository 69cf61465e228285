// Health checks on a real event loop against loopback peers: the check
// lifecycle (connect, send, read, result), its deadlines, the UP/DOWN
// transitions and their effect on the backend, maintenance, and the pieces
// the runtime builds a check from (request bytes).
#include "backend/health_check.h"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "backend/backend.h"
#include "backend/check_http.h"
#include "core/event_loop.h"
#include "net/connection.h"
#include "support/ports.h"
#include "support/scripted_server.h"
#include "support/unique_fd.h"

namespace hearth::backend {
namespace {

using std::chrono::milliseconds;
using test::ScriptedServer;

TEST(CheckRequest, DefaultIsOptionsSlashHttp10) {
  EXPECT_EQ(build_check_request("OPTIONS", "/", "HTTP/1.0", "", {}, ""),
            "OPTIONS / HTTP/1.0\r\n\r\n");
}

TEST(CheckRequest, Http11GetsConnectionCloseUnlessGiven) {
  EXPECT_EQ(build_check_request("GET", "/health", "HTTP/1.1", "", {{"Host", "example.com"}}, ""),
            "GET /health HTTP/1.1\r\nHost: example.com\r\nconnection: close\r\n\r\n");
  EXPECT_EQ(build_check_request("GET", "/", "HTTP/1.1", "", {{"Connection", "keep-alive"}}, ""),
            "GET / HTTP/1.1\r\nConnection: keep-alive\r\n\r\n");
}

TEST(CheckRequest, ConnectionInRawLinesIsFoundInAnyCase) {
  EXPECT_EQ(build_check_request("GET", "/", "HTTP/1.1", "connection: keep-alive\r\n", {}, ""),
            "GET / HTTP/1.1\r\nconnection: keep-alive\r\n\r\n");
  EXPECT_EQ(build_check_request("GET", "/", "HTTP/1.1", "Host: a\r\nCONNECTION: close\r\n", {}, ""),
            "GET / HTTP/1.1\r\nHost: a\r\nCONNECTION: close\r\n\r\n");
  EXPECT_EQ(build_check_request("GET", "/", "HTTP/1.1", "x-connection: a\r\n", {}, ""),
            "GET / HTTP/1.1\r\nx-connection: a\r\nconnection: close\r\n\r\n");
}

TEST(CheckRequest, RawLinesAndBody) {
  EXPECT_EQ(build_check_request("POST", "/c", "HTTP/1.0", "Host: a\r\n", {{"x-a", "1"}}, "hi"),
            "POST /c HTTP/1.0\r\nHost: a\r\nx-a: 1\r\ncontent-length: 2\r\n\r\nhi");
}

// A backend "be" with one server "s1" at 127.0.0.1:port, and its check driven
// by a loop on this thread.
class CheckTest : public ::testing::Test {
 protected:
  CheckTest() : be_("be", LbKind::kRoundRobin, 2) { loop_.make_current(); }
  ~CheckTest() override {
    if (check_) check_->stop();
    check_.reset();
    EXPECT_EQ(net::Connection::live_count(), live_before_) << "a check socket was left open";
  }

  Server* add_server(uint16_t port, bool backup = false) {
    auto s = std::make_unique<Server>();
    s->name = "s" + std::to_string(be_.servers().size() + 1);
    std::string err;
    s->set_address(*net::Address::parse("127.0.0.1:" + std::to_string(port), &err));
    s->backup = backup;
    return be_.add_server(std::move(s));
  }

  // Starts checking server s with spec (its address filled in).
  void start(Server* s, CheckSpec spec) {
    if (!finalized_) be_.finalize();
    finalized_ = true;
    spec.addr = s->address();
    check_ = std::make_unique<HealthCheck>(&be_, s, std::move(spec), 0);
    s->health.start(s->serving(), loop_.now_ms());
    check_->start(&loop_);
  }

  static CheckSpec spec(int rise = 2, int fall = 2, int64_t inter = 20) {
    CheckSpec sp;
    sp.rise = rise;
    sp.fall = fall;
    sp.intervals.inter = inter;
    return sp;
  }

  // option httpchk GET /health, with `expect` rules after the request.
  static CheckSpec http_spec(int64_t inter = 20, std::vector<config::CheckRule> expect = {}) {
    CheckSpec sp = spec(2, 2, inter);
    config::CheckConfig c;
    c.type = config::CheckType::kHttp;
    c.rules_kind = config::CheckConfig::RulesKind::kHttp;
    config::CheckRule send;
    send.action = config::CheckRule::Action::kSend;
    send.send.kind = config::CheckSend::Kind::kHttp;
    send.send.method = "GET";
    send.send.uri = "/health";
    c.rules.push_back(send);
    for (auto& r : expect) c.rules.push_back(std::move(r));
    sp.program = std::make_shared<CheckProgram>(build_check_program(c));
    return sp;
  }

  // Runs the loop until pred() or about `ms` of real time.
  bool run_until(const std::function<bool()>& pred, int ms = 3000) {
    auto deadline = std::chrono::steady_clock::now() + milliseconds(ms);
    while (!pred()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      loop_.run_once(5);
    }
    return true;
  }

  EventLoop loop_;
  Backend be_;
  std::unique_ptr<HealthCheck> check_;
  bool finalized_ = false;
  uint64_t live_before_ = net::Connection::live_count();
};

TEST_F(CheckTest, RefusedServerGoesDownAtTheFirstFailure) {
  Server* s = add_server(test::free_tcp_port());
  start(s, spec());
  EXPECT_TRUE(s->up.load());  // init-state up
  ASSERT_TRUE(run_until([&] { return !s->up.load(); }));
  ServerHealth::LastCheck last = s->health.last();
  EXPECT_EQ(last.status, CheckStatus::kL4Con);
  EXPECT_EQ(last.info, "Connection refused");
  EXPECT_EQ(s->health.down_transitions.load(), 1u);
  EXPECT_EQ(s->health.failed_checks.load(), 1u);
  EXPECT_EQ(be_.usable_servers().active, 0);
  EXPECT_FALSE(s->usable());
}

TEST_F(CheckTest, FullyUpServerNeedsFallFailures) {
  Server* s = add_server(test::free_tcp_port());
  CheckSpec sp = spec(2, 3);
  sp.init = InitState::kFullyUp;
  start(s, sp);
  ASSERT_TRUE(run_until([&] { return s->health.failed_checks.load() >= 2; }));
  EXPECT_TRUE(s->up.load()) << "down after 2 failures with fall 3";
  EXPECT_EQ(health_status_text(s->health.health.load(), 2, 3), "UP 1/3");
  ASSERT_TRUE(run_until([&] { return !s->up.load(); }));
  EXPECT_EQ(s->health.failed_checks.load(), 3u);
}

TEST_F(CheckTest, ListeningServerStaysUpAndARecoveredOneComesBack) {
  uint16_t port = 0;
  Server* s = add_server(test::free_tcp_port());
  CheckSpec sp = spec(3, 2);
  sp.init = InitState::kFullyDown;
  start(s, sp);
  ASSERT_TRUE(run_until([&] { return s->health.last().status == CheckStatus::kL4Con; }));
  EXPECT_FALSE(s->up.load());
  // The server starts listening on its port: rise (3) passed checks bring it UP.
  test::UniqueFd listener(test::listen_loopback(uint16_t(s->address().port()), &port));
  ASSERT_TRUE(listener.valid());
  ASSERT_TRUE(run_until([&] { return s->health.health.load() == 1; }));
  EXPECT_FALSE(s->up.load());
  EXPECT_EQ(health_status_text(s->health.health.load(), 3, 2), "DOWN 1/3");
  ASSERT_TRUE(run_until([&] { return s->up.load(); }));
  EXPECT_EQ(s->health.last().status, CheckStatus::kL4Ok);
  EXPECT_EQ(s->health.health.load(), 4);
  EXPECT_EQ(be_.usable_servers().active, 1);
}

// An HTTP server that records each request head and answers `answer`.
struct RecordingHttpServer {
  explicit RecordingHttpServer(std::string answer)
      : server([this, answer](int fd) {
          std::string req;
          char buf[1024];
          while (req.find("\r\n\r\n") == std::string::npos) {
            ssize_t n = recv(fd, buf, sizeof buf, 0);
            if (n <= 0) return;
            req.append(buf, size_t(n));
          }
          {
            std::lock_guard<std::mutex> g(mu);
            last = req;
          }
          send(fd, answer.data(), answer.size(), MSG_NOSIGNAL);
        }) {}
  std::string last_request() {
    std::lock_guard<std::mutex> g(mu);
    return last;
  }
  std::mutex mu;
  std::string last;
  ScriptedServer server;
};

TEST_F(CheckTest, HttpCheckSendsTheRequestAndA503IsDown) {
  RecordingHttpServer http("HTTP/1.0 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n");
  Server* s = add_server(http.server.port());
  start(s, http_spec());
  ASSERT_TRUE(run_until([&] { return !s->up.load(); }));
  ServerHealth::LastCheck last = s->health.last();
  EXPECT_EQ(last.status, CheckStatus::kL7Sts);
  EXPECT_EQ(last.code, 503);
  EXPECT_EQ(last.info, "Service Unavailable");  // HAProxy's: the reason phrase
  EXPECT_EQ(http.last_request(), "GET /health HTTP/1.0\r\n\r\n");
}

TEST_F(CheckTest, HttpCheckPassesOnA200AfterAnInterimResponse) {
  RecordingHttpServer http(
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
  Server* s = add_server(http.server.port());
  CheckSpec sp = http_spec();
  sp.init = InitState::kDown;
  start(s, sp);
  ASSERT_TRUE(run_until([&] { return s->up.load(); }));
  EXPECT_EQ(s->health.last().status, CheckStatus::kL7Ok);
  EXPECT_EQ(s->health.last().code, 200);
}

TEST_F(CheckTest, ExpectStatusRejectsAnotherSuccessCode) {
  RecordingHttpServer http("HTTP/1.1 302 Found\r\nlocation: /x\r\ncontent-length: 0\r\n\r\n");
  Server* s = add_server(http.server.port());
  config::CheckRule expect;
  expect.action = config::CheckRule::Action::kExpect;
  expect.expect.kind = config::CheckExpect::Kind::kStatus;
  expect.expect.ranges = {{200, 200}};
  CheckSpec sp = http_spec(20, {expect});
  start(s, sp);
  ASSERT_TRUE(run_until([&] { return !s->up.load(); }));
  EXPECT_EQ(s->health.last().status, CheckStatus::kL7Sts);
  EXPECT_EQ(s->health.last().code, 302);
}

// Only the status line counts, as in HAProxy: an endpoint loose about its
// fields (bare LF, obs-fold, two content-lengths) still passes on its status.
TEST_F(CheckTest, LooseHeadWithAGoodStatusPasses) {
  RecordingHttpServer http(
      "HTTP/1.0 200 OK\nServer: x\n  folded\ncontent-length: 1\ncontent-length: 2\n\n");
  Server* s = add_server(http.server.port());
  CheckSpec sp = http_spec();
  sp.init = InitState::kFullyDown;
  sp.rise = 1;
  start(s, sp);
  ASSERT_TRUE(run_until([&] { return s->up.load(); }));
  EXPECT_EQ(s->health.last().status, CheckStatus::kL7Ok);
  EXPECT_EQ(s->health.last().code, 200);
}

TEST_F(CheckTest, GarbageIsAnInvalidResponse) {
  ScriptedServer junk(test::scripted::reply_and_close("SSH-2.0-OpenSSH\r\n\r\n"));
  Server* s = add_server(junk.port());
  start(s, http_spec());
  ASSERT_TRUE(run_until([&] { return !s->up.load(); }));
  EXPECT_EQ(s->health.last().status, CheckStatus::kL7Rsp);
}

TEST_F(CheckTest, EarlyCloseIsAnInvalidResponse) {
  ScriptedServer closer(test::scripted::reply_and_close(""));
  Server* s = add_server(closer.port());
  start(s, http_spec());
  ASSERT_TRUE(run_until([&] { return !s->up.load(); }));
  EXPECT_EQ(s->health.last().status, CheckStatus::kL7Rsp);
  EXPECT_EQ(s->health.last().info, "connection closed without a response");
}

TEST_F(CheckTest, SilentServerTimesOutAfterTimeoutCheck) {
  ScriptedServer silent(test::scripted::never_answer());
  Server* s = add_server(silent.port());
  CheckSpec sp = http_spec(/*inter=*/5000);
  sp.check_timeout_ms = 60;
  sp.connect_timeout_ms = 1000;
  start(s, sp);
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(run_until([&] { return !s->up.load(); }, 3000));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, milliseconds(2000)) << "inter was used";
  EXPECT_EQ(s->health.last().status, CheckStatus::kL7Timeout);
  silent.stop();
}

TEST_F(CheckTest, WithoutTimeoutCheckInterBoundsTheWholeCheck) {
  ScriptedServer silent(test::scripted::never_answer());
  Server* s = add_server(silent.port());
  start(s, http_spec(/*inter=*/80));
  ASSERT_TRUE(run_until([&] { return !s->up.load(); }));
  EXPECT_EQ(s->health.last().status, CheckStatus::kL7Timeout);
  EXPECT_GE(s->health.last().duration_ms, 80);
  silent.stop();
}

TEST_F(CheckTest, ManyChecksLeaveNoSocketOpen) {
  uint16_t port = 0;
  test::UniqueFd listener(test::listen_loopback(0, &port));
  Server* s = add_server(port);
  start(s, spec(2, 2, 1));
  // Each check leaves a connection in the listener's backlog (never
  // accepted); the check side must have closed its socket every time.
  ASSERT_TRUE(run_until([&] { return s->health.checks.load() > 50; }));
  EXPECT_TRUE(s->up.load());
  EXPECT_EQ(s->health.last().status, CheckStatus::kL4Ok);
  EXPECT_LE(net::Connection::live_count(), live_before_ + 1);  // at most the one in flight
}

TEST_F(CheckTest, MaintenancePausesChecksAndLeavingItRestartsThem) {
  Server* s = add_server(test::free_tcp_port());
  start(s, spec(2, 2, 10));
  ASSERT_TRUE(run_until([&] { return !s->up.load(); }));
  set_server_maintenance(be_, *s, true);
  EXPECT_TRUE(s->disabled.load());
  run_until([] { return false; }, 30);  // let the pause reach the loop
  const uint64_t failed = s->health.failed_checks.load();
  run_until([] { return false; }, 100);
  EXPECT_EQ(s->health.failed_checks.load(), failed) << "checked during maintenance";
  // Leaving maintenance: UP again (init-state up), then the first check fails.
  set_server_maintenance(be_, *s, false);
  EXPECT_TRUE(s->up.load());
  EXPECT_TRUE(s->usable());
  ASSERT_TRUE(run_until([&] { return !s->up.load(); }));
  EXPECT_EQ(s->health.down_transitions.load(), 2u);
}

// Disabled and enabled before the check's loop ran: the loop never saw the
// maintenance, but the restart must still happen (it used to be lost, leaving
// the server UP with a counter stuck at DOWN).
TEST_F(CheckTest, QuickDisableEnableStillRestartsTheCounter) {
  Server* s = add_server(test::free_tcp_port());
  start(s, spec(2, 2, 10));
  ASSERT_TRUE(run_until([&] { return !s->up.load(); }));
  set_server_maintenance(be_, *s, true);
  set_server_maintenance(be_, *s, false);
  EXPECT_TRUE(s->up.load());
  ASSERT_TRUE(run_until([&] { return s->health.down_transitions.load() == 2; }));
  EXPECT_FALSE(s->up.load());
  EXPECT_EQ(s->health.health.load(), 0);
}

// Sessions waiting in the queue when the last server goes DOWN are rejected
// at once instead of waiting for their queue timeout; when a server comes
// back with room, waiters get it.
struct Waker {
  Tasklet t{&Waker::run, this};
  int runs = 0;
  static void run(Tasklet*, void* ctx, uint32_t) { ++static_cast<Waker*>(ctx)->runs; }
};

TEST_F(CheckTest, QueuedSessionsAreRejectedWhenNoServerIsLeft) {
  Server* s = add_server(test::free_tcp_port());
  s->maxconn = 1;
  Server* held = nullptr;
  be_.finalize();
  finalized_ = true;  // start() must not build the schedule again
  QueueWaiter* w = nullptr;
  Waker first, second;
  ASSERT_EQ(be_.take({}, &held, &loop_, &first.t, &w), TakeResult::kAssigned);
  ASSERT_EQ(be_.take({}, &held, &loop_, &second.t, &w), TakeResult::kQueued);
  start(s, spec());
  ASSERT_TRUE(run_until([&] { return second.runs > 0; }));
  EXPECT_FALSE(s->up.load());
  EXPECT_TRUE(w->rejected.load());
  EXPECT_EQ(be_.cancel_wait(w), nullptr);
  EXPECT_EQ(be_.queue_length(), 0u);
  be_.release(s);
}

TEST_F(CheckTest, AServerComingUpServesTheQueue) {
  Server* full = add_server(test::free_tcp_port());
  full->maxconn = 1;
  test::UniqueFd listener;
  uint16_t port = 0;
  listener.reset(test::listen_loopback(0, &port));
  Server* back = add_server(port);
  back->up.store(false);  // DOWN until its check says otherwise
  be_.finalize();
  finalized_ = true;
  Server* got = nullptr;
  QueueWaiter* w = nullptr;
  Waker a, b;
  ASSERT_EQ(be_.take({}, &got, &loop_, &a.t, &w), TakeResult::kAssigned);
  ASSERT_EQ(got, full);
  ASSERT_EQ(be_.take({}, &got, &loop_, &b.t, &w), TakeResult::kQueued);
  CheckSpec sp = spec(1, 2);
  sp.init = InitState::kFullyDown;
  start(back, sp);
  ASSERT_TRUE(run_until([&] { return b.runs > 0; }));
  EXPECT_TRUE(back->up.load());
  EXPECT_EQ(be_.cancel_wait(w), back);
  be_.release(back);
  be_.release(full);
}

// The server a client's connection leads to: preferred (prefer-last-server),
// waited for when full within max-keep-alive-queue, and taken even when full
// or others wait when the connection is bound to it (prefer_strict:
// NTLM/Negotiate); never when down.
TEST_F(CheckTest, PreferredServerAndStrictPreference) {
  Server* a = add_server(test::free_tcp_port());
  Server* b = add_server(test::free_tcp_port());
  b->maxconn = 1;
  be_.finalize();
  finalized_ = true;
  Waker wk;
  QueueWaiter* w = nullptr;
  Server* got = nullptr;
  LbRequest pref;
  pref.prefer = b;
  ASSERT_EQ(be_.take(pref, &got, &loop_, &wk.t, &w), TakeResult::kAssigned);
  EXPECT_EQ(got, b);
  // b is full: a plain preference waits for it (max-keep-alive-queue -1)...
  ASSERT_EQ(be_.take(pref, &got, &loop_, &wk.t, &w), TakeResult::kQueued);
  EXPECT_EQ(w->req.forced, b);
  EXPECT_EQ(be_.cancel_wait(w), nullptr);
  w = nullptr;
  // ... while fewer than max-keep-alive-queue wait for it, else gives way.
  be_.settings.max_ka_queue = 0;
  ASSERT_EQ(be_.take(pref, &got, &loop_, &wk.t, &w), TakeResult::kAssigned);
  EXPECT_EQ(got, a) << "b is full: a plain preference gives way";
  be_.settings.max_ka_queue = -1;
  LbRequest strict = pref;
  strict.prefer_strict = true;
  ASSERT_EQ(be_.take(strict, &got, &loop_, &wk.t, &w), TakeResult::kAssigned);
  EXPECT_EQ(got, b) << "a bound connection keeps its server even when full";
  b->up.store(false);
  ASSERT_EQ(be_.take(strict, &got, &loop_, &wk.t, &w), TakeResult::kAssigned);
  EXPECT_EQ(got, a) << "but not a server that is down";
  be_.release(a);
  be_.release(a);
  be_.release(b);
  be_.release(b);
}

}  // namespace
}  // namespace hearth::backend

// The runtime API's changes (health_admin.cc), made on the check's own loop
// (here: this thread, between two of its events, as on_thread runs them).
namespace hearth::backend {
namespace {

// set server ... health stopping on an UP server: NOLB (no LB traffic), and
// the next passed check makes it plainly UP again, as HAProxy.
TEST_F(CheckTest, StoppingEndsAtTheNextPassedCheck) {
  ScriptedServer srv([](int) {});
  Server* s = add_server(srv.port());
  start(s, spec(2, 2, 50));
  ASSERT_TRUE(run_until([&] { return s->health.checks.load() >= 1; }));
  check_->admin_set_health(AdminHealth::kStopping);
  EXPECT_TRUE(s->stopping.load());
  EXPECT_TRUE(s->up.load());
  EXPECT_FALSE(s->usable()) << "a stopping server takes no load-balanced traffic";
  const uint64_t checks = s->health.checks.load();
  ASSERT_TRUE(run_until([&] { return s->health.checks.load() > checks; }));
  EXPECT_FALSE(s->stopping.load());
  EXPECT_TRUE(s->usable());
}

// stopping on a DOWN counter: the next failed check takes it DOWN.
TEST_F(CheckTest, StoppingOnAFailingServerEndsDown) {
  Server* s = add_server(test::free_tcp_port());
  start(s, spec(2, 2, 30));
  ASSERT_TRUE(run_until([&] { return !s->up.load(); }));
  check_->admin_set_health(AdminHealth::kStopping);
  EXPECT_TRUE(s->up.load());
  EXPECT_TRUE(s->stopping.load());
  // stopping puts the counter at the top, as HAProxy: `fall` failures end it.
  ASSERT_TRUE(run_until([&] { return !s->up.load(); }));
  EXPECT_FALSE(s->stopping.load());
  EXPECT_EQ(s->health.health.load(), 0);
}

// health down on a server whose checks pass: DOWN now, `rise` passes later UP.
TEST_F(CheckTest, HealthDownIsUndoneByRisePassedChecks) {
  ScriptedServer srv([](int) {});
  Server* s = add_server(srv.port());
  start(s, spec(3, 2, 20));
  ASSERT_TRUE(run_until([&] { return s->health.checks.load() >= 1; }));
  check_->admin_set_health(AdminHealth::kDown);
  EXPECT_FALSE(s->up.load());
  EXPECT_EQ(s->health.health.load(), 0);
  const uint64_t checks = s->health.checks.load();
  ASSERT_TRUE(run_until([&] { return s->up.load(); }));
  EXPECT_GE(s->health.checks.load(), checks + 3);
}

// disable health: no more checks, the state stays; enable: a check at once.
TEST_F(CheckTest, DisabledChecksStopAndTheStateStays) {
  Server* s = add_server(test::free_tcp_port());
  start(s, spec(2, 2, 10));
  ASSERT_TRUE(run_until([&] { return !s->up.load(); }));
  check_->admin_enable(false);
  EXPECT_FALSE(s->health.enabled.load());
  const uint64_t checks = s->health.checks.load();
  run_until([] { return false; }, 100);
  EXPECT_EQ(s->health.checks.load(), checks) << "checked while disabled";
  EXPECT_FALSE(s->up.load());
  check_->admin_enable(true);
  ASSERT_TRUE(run_until([&] { return s->health.checks.load() > checks; }, 50));
}

// check-port: the next checks go to the new port.
TEST_F(CheckTest, CheckPortMovesTheChecks) {
  ScriptedServer srv([](int) {});
  Server* s = add_server(test::free_tcp_port());
  start(s, spec(1, 1, 20));
  ASSERT_TRUE(run_until([&] { return !s->up.load(); }));
  check_->admin_set_check_target(nullptr, srv.port());
  EXPECT_EQ(s->check_port, srv.port());
  ASSERT_TRUE(run_until([&] { return s->up.load(); }));  // only srv's port answers
  // check-addr keeps that port: 127.0.0.2 has no listener there, DOWN again.
  std::string err;
  const net::Address other = *net::Address::parse("127.0.0.2:1", &err);
  check_->admin_set_check_target(&other, std::nullopt);
  EXPECT_EQ(s->check_addr, "127.0.0.2");
  ASSERT_TRUE(run_until([&] { return !s->up.load(); }));
  EXPECT_EQ(s->health.last().status, CheckStatus::kL4Con);
}

}  // namespace
}  // namespace hearth::backend
