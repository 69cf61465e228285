#include "net/transport.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "core/buffer.h"
#include "core/event_loop.h"
#include "net/connection.h"
#include "net/socket.h"
#include "support/ports.h"
#include "support/unique_fd.h"

namespace hearth::net {
namespace {

using test::UniqueFd;

struct Probe {
  Tasklet tasklet;
  WaitEvent wait;
  int runs = 0;
  uint32_t last_state = 0;
  Probe() : tasklet(&Probe::run, this) { wait.tasklet = &tasklet; }
  static void run(Tasklet*, void* ctx, uint32_t state) {
    auto* p = static_cast<Probe*>(ctx);
    ++p->runs;
    p->last_state = state;
  }
};

// A Connection on one end of a non-blocking AF_UNIX socketpair; the test keeps
// the other end as the peer.
class TransportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    int sv[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
    peer_.reset(sv[1]);
    live0_ = Connection::live_count();
    conn_ = Connection::create(&loop_, sv[0], Address{}, kConnConnected);
    ASSERT_NE(conn_, nullptr);
    conn_->xprt = raw_transport();
    EXPECT_EQ(Connection::live_count(), live0_ + 1);
  }
  void TearDown() override {
    if (conn_) conn_->destroy();
    EXPECT_EQ(Connection::live_count(), live0_);
  }
  void peer_write(const std::string& s) {
    ASSERT_EQ(write(peer_.get(), s.data(), s.size()), ssize_t(s.size()));
  }
  std::string peer_read() {
    char buf[4096];
    ssize_t n = read(peer_.get(), buf, sizeof buf);
    return n > 0 ? std::string(buf, size_t(n)) : std::string();
  }
  // Runs the loop until pred holds (at most ~1s).
  template <class P>
  bool run_until(P pred) {
    for (int i = 0; i < 100 && !pred(); ++i) loop_.run_once(10);
    return pred();
  }

  EventLoop loop_;
  UniqueFd peer_;
  Connection* conn_ = nullptr;
  uint64_t live0_ = 0;
};

TEST_F(TransportTest, CreateRegistersAndDestroyCloses) {
  EXPECT_EQ(conn_->loop(), &loop_);
  EXPECT_TRUE(conn_->flags & kConnConnected);
  EXPECT_STREQ(conn_->xprt->name(), "raw");
  conn_->destroy();
  conn_ = nullptr;
  EXPECT_EQ(Connection::live_count(), live0_);
  // Our end is closed: the peer reads EOF.
  char c;
  EXPECT_EQ(read(peer_.get(), &c, 1), 0);
}

TEST_F(TransportTest, OnDestroyCallbackRuns) {
  static Connection* seen;
  static void* seen_ctx;
  seen = nullptr;
  seen_ctx = nullptr;
  int marker = 0;
  conn_->on_destroy = [](Connection* c, void* ctx) {
    seen = c;
    seen_ctx = ctx;
  };
  conn_->on_destroy_ctx = &marker;
  Connection* c = conn_;
  conn_->destroy();
  conn_ = nullptr;
  EXPECT_EQ(seen, c);
  EXPECT_EQ(seen_ctx, &marker);
}

TEST_F(TransportTest, RcvBufReadsWhatPeerWrote) {
  Buffer buf;
  peer_write("hello");
  ASSERT_TRUE(run_until([&] { return (conn_->flags & kConnRecvReady) != 0; }));
  EXPECT_EQ(conn_->xprt->rcv_buf(conn_, buf, 1000), 5u);
  EXPECT_EQ(std::string(buf.head(), buf.len()), "hello");
  EXPECT_FALSE(conn_->flags & kConnRdShut);
  // Short read: the socket is drained, so the ready flag is gone.
  EXPECT_FALSE(conn_->flags & kConnRecvReady);
  EXPECT_EQ(conn_->xprt->rcv_buf(conn_, buf, 1000), 0u);
}

TEST_F(TransportTest, RcvBufHonoursMax) {
  Buffer buf;
  peer_write("0123456789");
  ASSERT_TRUE(run_until([&] { return (conn_->flags & kConnRecvReady) != 0; }));
  EXPECT_EQ(conn_->xprt->rcv_buf(conn_, buf, 4), 4u);
  EXPECT_EQ(std::string(buf.head(), buf.len()), "0123");
  EXPECT_TRUE(conn_->flags & kConnRecvReady);  // more is waiting
  EXPECT_EQ(conn_->xprt->rcv_buf(conn_, buf, 100), 6u);
  EXPECT_EQ(std::string(buf.head(), buf.len()), "0123456789");
}

TEST_F(TransportTest, EofSetsRdShut) {
  Buffer buf;
  peer_write("bye");
  peer_.reset();
  ASSERT_TRUE(run_until([&] { return (conn_->flags & kConnRecvReady) != 0; }));
  EXPECT_TRUE(conn_->flags & kConnRdHup);
  EXPECT_EQ(conn_->xprt->rcv_buf(conn_, buf, 1000), 3u);
  EXPECT_EQ(std::string(buf.head(), buf.len()), "bye");
  EXPECT_TRUE(conn_->flags & kConnRdShut);
  EXPECT_FALSE(conn_->flags & kConnError);
}

TEST_F(TransportTest, EofWithoutDataSetsRdShut) {
  Buffer buf;
  peer_.reset();
  ASSERT_TRUE(run_until([&] { return (conn_->flags & kConnRecvReady) != 0; }));
  EXPECT_EQ(conn_->xprt->rcv_buf(conn_, buf, 1000), 0u);
  EXPECT_TRUE(conn_->flags & kConnRdShut);
}

TEST_F(TransportTest, SndBufSendsAndConsumes) {
  Buffer buf;
  buf.append("ping-pong", 9);
  EXPECT_EQ(conn_->xprt->snd_buf(conn_, buf, 4), 4u);
  EXPECT_EQ(std::string(buf.head(), buf.len()), "-pong");
  EXPECT_EQ(conn_->xprt->snd_buf(conn_, buf, 100), 5u);  // clamps to what is held
  EXPECT_TRUE(buf.empty());
  EXPECT_EQ(peer_read(), "ping-pong");
  EXPECT_EQ(conn_->xprt->snd_raw(conn_, "raw", 3), 3u);
  EXPECT_EQ(peer_read(), "raw");
}

TEST_F(TransportTest, SndRawStopsWhenSocketIsFullAndClearsSendReady) {
  ASSERT_TRUE(run_until([&] { return (conn_->flags & kConnSendReady) != 0; }));
  std::string chunk(64 * 1024, 'z');
  size_t total = 0;
  for (int i = 0; i < 1000; ++i) {
    size_t n = conn_->xprt->snd_raw(conn_, chunk.data(), chunk.size());
    total += n;
    if (n < chunk.size()) break;
  }
  EXPECT_GT(total, 0u);
  EXPECT_FALSE(conn_->flags & kConnSendReady);
  EXPECT_FALSE(conn_->flags & kConnError);

  // A send subscriber is woken once the peer makes room.
  Probe p;
  conn_->xprt->subscribe(conn_, kWakeSend, &p.wait);
  EXPECT_EQ(conn_->send_sub, &p.wait);
  char sink[65536];
  while (read(peer_.get(), sink, sizeof sink) > 0) {
  }
  ASSERT_TRUE(run_until([&] { return p.runs > 0; }));
  EXPECT_TRUE(p.last_state & kWakeSend);
  EXPECT_EQ(conn_->send_sub, nullptr);
}

TEST_F(TransportTest, SndAfterShutwSendsNothing) {
  conn_->xprt->shutw(conn_);
  EXPECT_TRUE(conn_->flags & kConnWrShut);
  conn_->xprt->shutw(conn_);  // idempotent
  EXPECT_EQ(conn_->xprt->snd_raw(conn_, "x", 1), 0u);
  char c;
  EXPECT_EQ(read(peer_.get(), &c, 1), 0);  // peer sees our FIN
}

TEST_F(TransportTest, SendToClosedPeerSetsError) {
  peer_.reset();
  std::string chunk(4096, 'e');
  for (int i = 0; i < 10 && !(conn_->flags & kConnError); ++i)
    conn_->xprt->snd_raw(conn_, chunk.data(), chunk.size());
  EXPECT_TRUE(conn_->flags & kConnError);  // EPIPE, and no SIGPIPE killed us
}

TEST_F(TransportTest, SubscribeWakesTaskletWhenDataArrives) {
  Probe p;
  loop_.run_once(0);  // consume the initial writable edge
  conn_->xprt->subscribe(conn_, kWakeRecv, &p.wait);
  EXPECT_EQ(conn_->recv_sub, &p.wait);
  EXPECT_TRUE(p.wait.events & kWakeRecv);
  loop_.run_once(0);
  EXPECT_EQ(p.runs, 0);  // nothing to read yet

  peer_write("data");
  ASSERT_TRUE(run_until([&] { return p.runs > 0; }));
  EXPECT_EQ(p.runs, 1);
  EXPECT_TRUE(p.last_state & kWakeRecv);
  // One-shot: the subscription is consumed.
  EXPECT_EQ(conn_->recv_sub, nullptr);
  EXPECT_FALSE(p.wait.events & kWakeRecv);

  Buffer buf;
  EXPECT_EQ(conn_->xprt->rcv_buf(conn_, buf, 100), 4u);
}

TEST_F(TransportTest, SubscribeWhenAlreadyReadableWakesAtOnce) {
  peer_write("x");
  ASSERT_TRUE(run_until([&] { return (conn_->flags & kConnRecvReady) != 0; }));
  Probe p;
  conn_->xprt->subscribe(conn_, kWakeRecv, &p.wait);
  EXPECT_EQ(conn_->recv_sub, nullptr);
  EXPECT_TRUE(p.tasklet.queued());
  loop_.run_once(0);
  EXPECT_EQ(p.runs, 1);
}

TEST_F(TransportTest, UnsubscribeStopsWakes) {
  Probe p;
  loop_.run_once(0);
  conn_->xprt->subscribe(conn_, kWakeRecv, &p.wait);
  conn_->xprt->unsubscribe(conn_, kWakeRecv, &p.wait);
  EXPECT_EQ(conn_->recv_sub, nullptr);
  EXPECT_EQ(p.wait.events, 0u);
  peer_write("data");
  for (int i = 0; i < 5; ++i) loop_.run_once(10);
  EXPECT_EQ(p.runs, 0);
  EXPECT_TRUE(conn_->flags & kConnRecvReady);
}

TEST_F(TransportTest, DrainReportsEmptyDataAndEof) {
  EXPECT_EQ(conn_->xprt->drain(conn_), DrainResult::kEmpty);
  EXPECT_FALSE(conn_->flags & kConnRecvReady);

  std::string lots(20000, 's');
  peer_write(lots);
  EXPECT_EQ(conn_->xprt->drain(conn_), DrainResult::kData);
  EXPECT_EQ(conn_->xprt->drain(conn_), DrainResult::kEmpty);  // all of it was discarded

  peer_write("tail");
  peer_.reset();
  EXPECT_EQ(conn_->xprt->drain(conn_), DrainResult::kEof);
  EXPECT_TRUE(conn_->flags & kConnRdShut);
}

TEST_F(TransportTest, DestroyClearsSubscriberEvents) {
  Probe p;
  loop_.run_once(0);
  conn_->xprt->subscribe(conn_, kWakeRecv, &p.wait);
  conn_->destroy();
  conn_ = nullptr;
  EXPECT_EQ(p.wait.events, 0u);
}

// The reset case needs TCP: an AF_UNIX peer cannot send an RST.
TEST(TransportTcpTest, DrainReportsErrorOnReset) {
  uint16_t port = 0;
  UniqueFd lfd(test::listen_loopback(0, &port));
  ASSERT_TRUE(lfd.valid());
  std::string err;
  auto addr = Address::parse("127.0.0.1:" + std::to_string(port), &err);
  ASSERT_TRUE(addr.has_value()) << err;
  int cerr = 0;
  int cfd = start_connect(*addr, &cerr);
  ASSERT_GE(cfd, 0) << cerr;
  UniqueFd server(accept(lfd.get(), nullptr, nullptr));
  ASSERT_TRUE(server.valid());

  EventLoop loop;
  const uint64_t live0 = Connection::live_count();
  Connection* c = Connection::create(&loop, cfd, *addr, kConnOutgoing | kConnConnected);
  ASSERT_NE(c, nullptr);
  c->xprt = raw_transport();
  EXPECT_EQ(c->peer().port(), port);

  close_with_reset(server.release());
  for (int i = 0; i < 100 && !(c->flags & kConnRecvReady); ++i) loop.run_once(10);
  EXPECT_TRUE(c->flags & kConnRdHup);
  EXPECT_EQ(c->xprt->drain(c), DrainResult::kError);
  EXPECT_TRUE(c->flags & kConnError);
  c->destroy();
  EXPECT_EQ(Connection::live_count(), live0);
}

// tune.recv_enough: a short read drains the socket once the call read that
// much, or after a few more tries; with 0 (the default) at once.
TEST(RecvEnough, ShortReadDrainsOnceEnoughWasRead) {
  EXPECT_TRUE(short_read_drains(5, 0, 0));
  EXPECT_FALSE(short_read_drains(5, 0, 10136));
  EXPECT_FALSE(short_read_drains(5, 2, 10136));
  EXPECT_TRUE(short_read_drains(5, 3, 10136));  // bounded retries
  EXPECT_TRUE(short_read_drains(10136, 0, 10136));
}

// With recv_enough set, a short read is followed by another read, which here
// finds nothing (EAGAIN): the data is all there and the socket is drained.
TEST_F(TransportTest, RecvEnoughReadsAgainAfterAShortRead) {
  set_recv_enough(10136);
  Buffer buf;
  peer_write("hello");
  ASSERT_TRUE(run_until([&] { return (conn_->flags & kConnRecvReady) != 0; }));
  EXPECT_EQ(conn_->xprt->rcv_buf(conn_, buf, 1000), 5u);
  EXPECT_FALSE(conn_->flags & kConnRecvReady);
  EXPECT_FALSE(conn_->flags & kConnError);
  set_recv_enough(0);
  EXPECT_EQ(std::string(buf.head(), buf.len()), "hello");
}

}  // namespace
}  // namespace hearth::net
