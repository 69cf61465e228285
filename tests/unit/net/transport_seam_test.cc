// The transport as the seam between socket and mux: the poller's events reach
// subscribers only through Transport::wake; a transport's handshake gates
// "established" (Connection::connect_status); transports are started and closed
// with their connection; Connection::reusable() is the one definition of a
// dead connection; transports are found by name.
#include <gtest/gtest.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/event_loop.h"
#include "net/connection.h"
#include "net/listener.h"
#include "net/transport.h"
#include "support/unique_fd.h"

namespace hearth::net {
namespace {

using test::UniqueFd;

// Wraps the raw transport, records what passes through it, and can hold a
// handshake pending.
class RecordingTransport final : public Transport {
 public:
  const char* name() const override { return "recording"; }
  bool start(Connection*) override {
    ++starts;
    return accept_start;
  }
  void close(Connection*) override { ++closes; }
  HandshakeStatus handshake(Connection*) override { return handshake_result; }
  void wake(Connection* c, uint32_t events) override {
    woken |= events;
    if (pass_wakes) raw_transport()->wake(c, events);
  }
  size_t rcv_buf(Connection* c, Buffer& b, size_t max) override {
    return raw_transport()->rcv_buf(c, b, max);
  }
  size_t snd_buf(Connection* c, Buffer& b, size_t n) override {
    return raw_transport()->snd_buf(c, b, n);
  }
  size_t snd_raw(Connection* c, const char* p, size_t n) override {
    return raw_transport()->snd_raw(c, p, n);
  }
  void subscribe(Connection* c, uint32_t ev, WaitEvent* w) override {
    raw_transport()->subscribe(c, ev, w);
  }
  void unsubscribe(Connection* c, uint32_t ev, WaitEvent* w) override {
    raw_transport()->unsubscribe(c, ev, w);
  }
  DrainResult drain(Connection* c) override { return raw_transport()->drain(c); }
  void shutw(Connection* c) override { raw_transport()->shutw(c); }
  void shutr(Connection* c) override { raw_transport()->shutr(c); }

  int starts = 0, closes = 0;
  bool accept_start = true;
  bool pass_wakes = true;
  uint32_t woken = 0;
  HandshakeStatus handshake_result = HandshakeStatus::kDone;
};

struct Probe {
  Tasklet tasklet;
  WaitEvent wait;
  int runs = 0;
  Probe() : tasklet(&Probe::run, this) { wait.tasklet = &tasklet; }
  static void run(Tasklet*, void* ctx, uint32_t) { ++static_cast<Probe*>(ctx)->runs; }
};

class TransportSeamTest : public ::testing::Test {
 protected:
  Connection* make(uint32_t flags) {
    int sv[2];
    EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
    peer_.reset(sv[1]);
    Connection* c = Connection::create(&loop_, sv[0], Address{}, flags);
    EXPECT_TRUE(c->set_transport(&xprt_));
    return c;
  }
  EventLoop loop_;
  UniqueFd peer_;
  RecordingTransport xprt_;
};

TEST_F(TransportSeamTest, PollerEventsReachSubscribersThroughTheTransport) {
  Connection* c = make(kConnConnected);
  Probe p;
  c->xprt->subscribe(c, kWakeRecv, &p.wait);
  xprt_.pass_wakes = false;  // the transport keeps the event to itself
  c->on_fd_event(EPOLLIN);
  loop_.run_once(0);
  EXPECT_TRUE(xprt_.woken & kWakeRecv);
  EXPECT_EQ(p.runs, 0) << "the poller woke a subscriber behind the transport's back";
  EXPECT_TRUE(c->flags & kConnRecvReady);  // readiness is still recorded
  xprt_.pass_wakes = true;
  c->on_fd_event(EPOLLIN);
  loop_.run_once(0);
  EXPECT_EQ(p.runs, 1);
  c->destroy();
}

TEST_F(TransportSeamTest, HandshakeGatesEstablished) {
  Connection* c = make(kConnConnecting | kConnOutgoing);
  c->flags |= kConnSendReady;  // the socket connected
  xprt_.handshake_result = HandshakeStatus::kPending;
  EXPECT_EQ(c->connect_status(), ConnectStatus::kPending);
  EXPECT_FALSE(c->flags & kConnConnected);
  xprt_.handshake_result = HandshakeStatus::kDone;
  EXPECT_EQ(c->connect_status(), ConnectStatus::kEstablished);
  EXPECT_TRUE(c->flags & kConnConnected);
  EXPECT_FALSE(c->flags & kConnConnecting);
  c->destroy();
}

TEST_F(TransportSeamTest, FailedHandshakeFailsTheConnect) {
  Connection* c = make(kConnConnecting | kConnOutgoing);
  c->flags |= kConnSendReady;
  xprt_.handshake_result = HandshakeStatus::kFailed;
  EXPECT_EQ(c->connect_status(), ConnectStatus::kFailed);
  EXPECT_TRUE(c->flags & kConnError);
  EXPECT_FALSE(c->reusable());
  c->destroy();
}

TEST_F(TransportSeamTest, TransportStartsAndClosesWithTheConnection) {
  Connection* c = make(kConnConnected);
  EXPECT_EQ(xprt_.starts, 1);
  c->destroy();
  EXPECT_EQ(xprt_.closes, 1);
}

TEST_F(TransportSeamTest, RefusedStartLeavesNoTransport) {
  xprt_.accept_start = false;
  int sv[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
  peer_.reset(sv[1]);
  Connection* c = Connection::create(&loop_, sv[0], Address{}, kConnConnected);
  EXPECT_FALSE(c->set_transport(&xprt_));
  EXPECT_EQ(c->xprt, nullptr);
  c->destroy();
  EXPECT_EQ(xprt_.closes, 0);  // nothing was started, nothing to close
}

TEST_F(TransportSeamTest, ReusableIsFalseForEveryDeadFlag) {
  Connection* c = make(kConnConnected | kConnOutgoing);
  EXPECT_TRUE(c->reusable());
  for (uint32_t f : {kConnError, kConnRdShut, kConnWrShut, kConnRdHup}) {
    const uint32_t saved = c->flags;
    c->flags |= f;
    EXPECT_FALSE(c->reusable()) << "flag " << f;
    c->flags = saved;
  }
  c->destroy();
}

TEST(TransportRegistry, FindsTransportsByName) {
  EXPECT_EQ(find_transport("raw"), raw_transport());
  EXPECT_EQ(find_transport("tls"), nullptr);
}

TEST(TransportRegistry, ListenersStartRawAndTakeTheirOwn) {
  EventLoop loop;
  int sv[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
  UniqueFd other(sv[1]);
  Listener l(&loop, sv[0], /*owns_fd=*/true, nullptr, nullptr, nullptr);
  EXPECT_EQ(l.transport(), raw_transport());
  RecordingTransport t;
  l.set_transport(&t);
  EXPECT_EQ(l.transport(), &t);
}

}  // namespace
}  // namespace hearth::net
