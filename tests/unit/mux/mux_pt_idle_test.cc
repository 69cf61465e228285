// The idle-connection contract of the pass-through mux (DESIGN.md, "Idle
// connection lifecycle"): a detached, kept connection stays read-subscribed; a
// close, a reset or stray bytes from the peer drains it, unlinks it from its idle
// list and frees it; reuse re-attaches it and stops the idle draining.
#include <gtest/gtest.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>

#include "core/buffer.h"
#include "core/event_loop.h"
#include "core/list.h"
#include "core/pool.h"
#include "mux/mux.h"
#include "mux/mux_pt.h"
#include "mux/stream_connector.h"
#include "net/connection.h"
#include "net/socket.h"
#include "net/transport.h"
#include "support/ports.h"
#include "support/unique_fd.h"

namespace hearth::mux {
namespace {

using net::Connection;
using test::UniqueFd;

// The fake idle pool: records every unlink callback.
struct IdleRecord {
  int unlink_calls = 0;
  Connection* last = nullptr;
};
IdleRecord g_idle;

void record_unlink(Connection* c) {
  ++g_idle.unlink_calls;
  g_idle.last = c;
}

uint64_t pool_used(const char* name) {
  for (const auto& s : BlockPool::all_stats())
    if (s.name == name) return s.used;
  return 0;
}

class MuxPtIdleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    register_builtin_muxes();
    g_idle = IdleRecord{};
    live0_ = Connection::live_count();
    sc_used0_ = StreamConnector::pool().blocks().stats().used;
  }

  void TearDown() override {
    if (sc_) StreamConnector::pool().destroy(sc_);
    // Whatever a test left alive is torn down through its mux.
    if (conn_alive()) {
      if (conn_->idle_hook.linked()) conn_->unlink_idle();
      if (conn_->mux)
        conn_->mux->destroy();
      else
        conn_->destroy();
    }
    EXPECT_TRUE(idle_list_.empty());
    EXPECT_EQ(Connection::live_count(), live0_);
    EXPECT_EQ(StreamConnector::pool().blocks().stats().used, sc_used0_);
  }

  // An outgoing connection on one end of an AF_UNIX socketpair.
  void make_unix_pair() {
    int sv[2];
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
    peer_.reset(sv[1]);
    make_conn(sv[0], net::Address{});
  }

  // An outgoing connection over TCP loopback (needed where an RST matters).
  void make_tcp_pair() {
    uint16_t port = 0;
    UniqueFd lfd(test::listen_loopback(0, &port));
    ASSERT_TRUE(lfd.valid());
    std::string err;
    auto addr = net::Address::parse("127.0.0.1:" + std::to_string(port), &err);
    ASSERT_TRUE(addr.has_value()) << err;
    int e = 0;
    int cfd = net::start_connect(*addr, &e);
    ASSERT_GE(cfd, 0) << e;
    peer_.reset(accept(lfd.get(), nullptr, nullptr));
    ASSERT_TRUE(peer_.valid());
    make_conn(cfd, *addr);
  }

  void make_conn(int fd, const net::Address& addr) {
    conn_ = Connection::create(&loop_, fd, addr, net::kConnOutgoing | net::kConnConnected);
    ASSERT_NE(conn_, nullptr);
    conn_->xprt = net::raw_transport();
    ASSERT_EQ(Connection::live_count(), live0_ + 1);
  }

  // Installs "pt" as the outgoing mux with a stream connector of ours.
  void install_outgoing() {
    sc_ = StreamConnector::pool().create();
    ASSERT_NE(sc_, nullptr);
    mux_ = MuxRegistry::install("pt", conn_, sc_);
    ASSERT_NE(mux_, nullptr);
    ASSERT_EQ(conn_->mux, mux_);
    ASSERT_STREQ(mux_->name(), "pt");
    EXPECT_EQ(mux_->first_sc(), sc_);
    EXPECT_EQ(sc_->conn, conn_);
    EXPECT_EQ(sc_->mux, mux_);
    EXPECT_EQ(mux_->avail_streams(), 0);
  }

  // Detaches the stream keeping the connection, then parks it in the fake pool.
  void park_idle() {
    mux_->detach(sc_, /*keep_idle=*/true);
    ASSERT_TRUE(conn_alive());
    EXPECT_EQ(sc_->conn, nullptr);
    EXPECT_EQ(sc_->mux, nullptr);
    EXPECT_EQ(mux_->first_sc(), nullptr);
    EXPECT_EQ(mux_->avail_streams(), 1);
    EXPECT_TRUE(conn_->flags & net::kConnIdle);
    conn_->idle_unlink = &record_unlink;
    conn_->idle_owner = &idle_list_;
    idle_list_.push_back(&conn_->idle_hook);
  }

  bool conn_alive() const { return conn_ && Connection::live_count() == live0_ + 1; }

  void run_loop(int iterations, int wait_ms = 10) {
    for (int i = 0; i < iterations; ++i) loop_.run_once(wait_ms);
  }

  // Runs the loop until the connection is freed (at most ~1s).
  bool run_until_freed() {
    for (int i = 0; i < 100 && conn_alive(); ++i) loop_.run_once(10);
    return !conn_alive();
  }

  void expect_retired(Connection* c) {
    EXPECT_EQ(Connection::live_count(), live0_);
    EXPECT_EQ(g_idle.unlink_calls, 1);
    EXPECT_EQ(g_idle.last, c);
    EXPECT_TRUE(idle_list_.empty());
    conn_ = nullptr;
    mux_ = nullptr;
    // Our end of the socket was closed.
    char ch;
    ssize_t n = read(peer_.get(), &ch, 1);
    EXPECT_TRUE(n == 0 || (n < 0 && errno == ECONNRESET)) << n;
  }

  EventLoop loop_;
  UniqueFd peer_;
  Connection* conn_ = nullptr;
  Mux* mux_ = nullptr;
  StreamConnector* sc_ = nullptr;
  List idle_list_;
  uint64_t live0_ = 0;
  uint64_t sc_used0_ = 0;
};

TEST_F(MuxPtIdleTest, RegistryKnowsPt) {
  const MuxFactory* f = MuxRegistry::find("pt");
  ASSERT_NE(f, nullptr);
  EXPECT_STREQ(f->mode, "pt");
  EXPECT_EQ(MuxRegistry::find("nope"), nullptr);
  make_unix_pair();
  EXPECT_EQ(MuxRegistry::install("nope", conn_, nullptr), nullptr);
  EXPECT_EQ(conn_->mux, nullptr);
}

// (a) A quiet peer: the idle connection stays, linked and subscribed.
TEST_F(MuxPtIdleTest, QuietPeerKeepsConnectionIdle) {
  make_unix_pair();
  install_outgoing();
  park_idle();
  run_loop(5);
  ASSERT_TRUE(conn_alive());
  EXPECT_TRUE(conn_->idle_hook.linked());
  EXPECT_EQ(idle_list_.size(), 1u);
  EXPECT_TRUE(conn_->flags & net::kConnIdle);
  EXPECT_EQ(g_idle.unlink_calls, 0);
  EXPECT_NE(conn_->recv_sub, nullptr);  // exactly one live read subscription
  EXPECT_NE(mux_->dump().find("idle=1"), std::string::npos) << mux_->dump();
}

// (b) The peer closes: drained, unlinked, freed without any request.
TEST_F(MuxPtIdleTest, PeerCloseRetiresIdleConnection) {
  make_unix_pair();
  install_outgoing();
  park_idle();
  run_loop(2);
  ASSERT_TRUE(conn_alive());
  Connection* c = conn_;
  shutdown(peer_.get(), SHUT_WR);  // FIN; keep the fd to observe our close
  ASSERT_TRUE(run_until_freed());
  expect_retired(c);
}

TEST_F(MuxPtIdleTest, PeerCloseOverTcpRetiresIdleConnection) {
  make_tcp_pair();
  install_outgoing();
  park_idle();
  run_loop(2);
  ASSERT_TRUE(conn_alive());
  Connection* c = conn_;
  shutdown(peer_.get(), SHUT_WR);
  ASSERT_TRUE(run_until_freed());
  expect_retired(c);
}

// (c) The peer resets: same outcome.
TEST_F(MuxPtIdleTest, PeerResetRetiresIdleConnection) {
  make_tcp_pair();
  install_outgoing();
  park_idle();
  run_loop(2);
  ASSERT_TRUE(conn_alive());
  Connection* c = conn_;
  net::close_with_reset(peer_.release());
  ASSERT_TRUE(run_until_freed());
  EXPECT_EQ(Connection::live_count(), live0_);
  EXPECT_EQ(g_idle.unlink_calls, 1);
  EXPECT_EQ(g_idle.last, c);
  EXPECT_TRUE(idle_list_.empty());
  conn_ = nullptr;
}

// (d) Stray bytes from the peer: same outcome.
TEST_F(MuxPtIdleTest, StrayBytesRetireIdleConnection) {
  make_unix_pair();
  install_outgoing();
  park_idle();
  run_loop(2);
  ASSERT_TRUE(conn_alive());
  Connection* c = conn_;
  ASSERT_EQ(write(peer_.get(), "HTTP/1.1 408\r\n\r\n", 16), 16);
  ASSERT_TRUE(run_until_freed());
  expect_retired(c);
}

TEST_F(MuxPtIdleTest, StrayBytesOverTcpRetireIdleConnection) {
  make_tcp_pair();
  install_outgoing();
  park_idle();
  run_loop(2);
  Connection* c = conn_;
  ASSERT_EQ(write(peer_.get(), "x", 1), 1);
  ASSERT_TRUE(run_until_freed());
  expect_retired(c);
}

// Something that arrived before the detach is found by the first idle check.
// A close the poller reported before the detach, its edge consumed while
// nobody was subscribed, is not missed: the FIN makes the connection not
// reusable(), so detach(keep_idle) destroys it at once instead of parking it.
TEST_F(MuxPtIdleTest, CloseBeforeDetachIsNeverParked) {
  make_unix_pair();
  install_outgoing();
  run_loop(1);
  shutdown(peer_.get(), SHUT_WR);
  run_loop(2);  // the edge is consumed while nobody is subscribed
  ASSERT_TRUE(conn_alive());
  EXPECT_FALSE(conn_->reusable());
  EXPECT_FALSE(mux_->detach(sc_, /*keep_idle=*/true));
  EXPECT_EQ(Connection::live_count(), live0_);
  EXPECT_EQ(g_idle.unlink_calls, 0);  // never parked, so never unlinked
  conn_ = nullptr;
  mux_ = nullptr;
}

// Detaching a connection that already saw EOF destroys it at once.
TEST_F(MuxPtIdleTest, DetachKeepIdleOnDeadConnectionDestroys) {
  make_unix_pair();
  install_outgoing();
  peer_.reset();
  run_loop(2);
  Buffer buf;
  EXPECT_EQ(mux_->rcv_buf(sc_, buf, 100), 0u);
  EXPECT_TRUE(sc_->flags & kScEos);
  mux_->detach(sc_, /*keep_idle=*/true);
  EXPECT_EQ(Connection::live_count(), live0_);
  conn_ = nullptr;
  mux_ = nullptr;
}

// (e) keep_idle=false destroys at once.
TEST_F(MuxPtIdleTest, DetachWithoutKeepIdleDestroysAtOnce) {
  make_unix_pair();
  install_outgoing();
  const uint64_t pt_used = pool_used("mux_pt");
  mux_->detach(sc_, /*keep_idle=*/false);
  EXPECT_EQ(Connection::live_count(), live0_);
  EXPECT_EQ(pool_used("mux_pt"), pt_used - 1);
  EXPECT_EQ(sc_->conn, nullptr);
  EXPECT_EQ(g_idle.unlink_calls, 0);  // never was in a pool
  conn_ = nullptr;
  mux_ = nullptr;
  char ch;
  EXPECT_EQ(read(peer_.get(), &ch, 1), 0);
}

TEST_F(MuxPtIdleTest, DetachOfForeignConnectorIsIgnored) {
  make_unix_pair();
  install_outgoing();
  StreamConnector other;
  mux_->detach(&other, false);
  EXPECT_TRUE(conn_alive());
  EXPECT_EQ(mux_->first_sc(), sc_);
}

// Purging an idle connection through its mux unlinks it before freeing it.
TEST_F(MuxPtIdleTest, DestroyIdleConnectionUnlinksFirst) {
  make_unix_pair();
  install_outgoing();
  park_idle();
  run_loop(1);
  Connection* c = conn_;
  mux_->destroy();
  EXPECT_EQ(g_idle.unlink_calls, 1);
  EXPECT_EQ(g_idle.last, c);
  EXPECT_TRUE(idle_list_.empty());
  EXPECT_EQ(Connection::live_count(), live0_);
  conn_ = nullptr;
  mux_ = nullptr;
}

// (f) attach() re-attaches an idle connection; it is no longer drained.
TEST_F(MuxPtIdleTest, AttachReusesIdleConnectionAndStopsDraining) {
  make_unix_pair();
  install_outgoing();
  park_idle();
  run_loop(2);
  ASSERT_TRUE(conn_alive());
  EXPECT_EQ(mux_->avail_streams(), 1);

  // Taken from the pool: the pool unlinks it, then attaches a new stream.
  conn_->unlink_idle();
  EXPECT_EQ(g_idle.unlink_calls, 1);
  StreamConnector* sc2 = StreamConnector::pool().create();
  ASSERT_NE(sc2, nullptr);
  ASSERT_TRUE(mux_->attach(sc2));
  EXPECT_EQ(mux_->avail_streams(), 0);
  EXPECT_EQ(mux_->first_sc(), sc2);
  EXPECT_EQ(sc2->conn, conn_);
  EXPECT_EQ(sc2->mux, mux_);
  EXPECT_FALSE(conn_->flags & net::kConnIdle);
  EXPECT_EQ(conn_->recv_sub, nullptr);  // the idle subscription is gone
  EXPECT_FALSE(mux_->attach(sc_));      // only one stream

  // The server's response is for the stream now, not drained as stray bytes.
  ASSERT_EQ(write(peer_.get(), "response", 8), 8);
  run_loop(5);
  ASSERT_TRUE(conn_alive());
  Buffer buf;
  EXPECT_EQ(mux_->rcv_buf(sc2, buf, 100), 8u);
  EXPECT_EQ(std::string(buf.head(), buf.len()), "response");

  // The request goes out through the same mux.
  Buffer out;
  out.append("GET / HTTP/1.1\r\n\r\n", 18);
  EXPECT_EQ(mux_->snd_buf(sc2, out, out.len()), 18u);
  char got[64];
  EXPECT_EQ(read(peer_.get(), got, sizeof got), 18);

  mux_->detach(sc2, /*keep_idle=*/false);
  StreamConnector::pool().destroy(sc2);
  conn_ = nullptr;
  mux_ = nullptr;
  EXPECT_EQ(Connection::live_count(), live0_);
}

// attach() when the idle read wake is already queued: the queued drain must not run.
TEST_F(MuxPtIdleTest, AttachCancelsAlreadyQueuedIdleWake) {
  make_unix_pair();
  install_outgoing();
  park_idle();
  run_loop(2);
  ASSERT_NE(conn_->recv_sub, nullptr);
  ASSERT_EQ(write(peer_.get(), "early", 5), 5);
  // Deliver the readiness by hand so the mux tasklet is queued but not run.
  conn_->on_fd_event(EPOLLIN);
  conn_->unlink_idle();
  StreamConnector* sc2 = StreamConnector::pool().create();
  ASSERT_NE(sc2, nullptr);
  ASSERT_TRUE(mux_->attach(sc2));
  run_loop(3);
  ASSERT_TRUE(conn_alive());
  Buffer buf;
  EXPECT_EQ(mux_->rcv_buf(sc2, buf, 100), 5u);
  mux_->detach(sc2, false);
  StreamConnector::pool().destroy(sc2);
  conn_ = nullptr;
  mux_ = nullptr;
}

// A connection can go idle, be reused and go idle again; the second idle period
// still retires it on close.
TEST_F(MuxPtIdleTest, IdleAgainAfterReuseStillRetiresOnClose) {
  make_unix_pair();
  install_outgoing();
  park_idle();
  run_loop(1);
  conn_->unlink_idle();
  ASSERT_TRUE(mux_->attach(sc_));
  run_loop(1);
  park_idle();
  run_loop(1);
  ASSERT_TRUE(conn_alive());
  Connection* c = conn_;
  g_idle.unlink_calls = 0;
  peer_.reset();
  ASSERT_TRUE(run_until_freed());
  EXPECT_EQ(g_idle.unlink_calls, 1);
  EXPECT_EQ(g_idle.last, c);
  EXPECT_TRUE(idle_list_.empty());
  conn_ = nullptr;
  mux_ = nullptr;
}

// (g) wake() with no stream attached does the idle check.
TEST_F(MuxPtIdleTest, WakeWithoutStreamDoesIdleCheck) {
  make_unix_pair();
  install_outgoing();
  park_idle();
  run_loop(1);
  // Nothing pending: stays, re-subscribed.
  mux_->wake();
  ASSERT_TRUE(conn_alive());
  EXPECT_NE(conn_->recv_sub, nullptr);
  EXPECT_TRUE(conn_->idle_hook.linked());
  EXPECT_EQ(g_idle.unlink_calls, 0);

  // Stray bytes pending: the direct wake finds them and retires the connection
  // without the loop running.
  ASSERT_EQ(write(peer_.get(), "junk", 4), 4);
  Connection* c = conn_;
  mux_->wake();
  expect_retired(c);
}

// wake() with a stream attached forwards to the stream's tasklet.
TEST_F(MuxPtIdleTest, WakeWithStreamWakesAppTasklet) {
  make_unix_pair();
  install_outgoing();
  int runs = 0;
  Tasklet app([](Tasklet*, void* ctx, uint32_t) { ++*static_cast<int*>(ctx); }, &runs);
  sc_->app_tasklet = &app;
  mux_->wake();
  loop_.run_once(0);
  EXPECT_EQ(runs, 1);
  EXPECT_TRUE(conn_alive());
  mux_->wake();  // harmless without a loop run either
  app.cancel();
  sc_->app_tasklet = nullptr;
}

// ---- Incoming side ----

struct FactoryRecord {
  int calls = 0;
  StreamConnector* sc = nullptr;
  Connection* conn_seen = nullptr;
  Mux* mux_seen = nullptr;
  bool result = true;
};

bool record_factory(StreamConnector* sc, void* ctx) {
  auto* r = static_cast<FactoryRecord*>(ctx);
  ++r->calls;
  r->sc = sc;
  r->conn_seen = sc->conn;
  r->mux_seen = sc->mux;
  return r->result;
}

TEST_F(MuxPtIdleTest, IncomingInstallCreatesConnectorAndCallsFactory) {
  make_unix_pair();
  FactoryRecord rec;
  mux_ = MuxRegistry::install("pt", conn_, nullptr, &record_factory, &rec);
  ASSERT_NE(mux_, nullptr);
  EXPECT_EQ(conn_->mux, mux_);
  EXPECT_EQ(rec.calls, 1);
  ASSERT_NE(rec.sc, nullptr);
  EXPECT_EQ(rec.conn_seen, conn_);
  EXPECT_EQ(rec.mux_seen, mux_);
  EXPECT_EQ(mux_->first_sc(), rec.sc);
  EXPECT_EQ(StreamConnector::pool().blocks().stats().used, sc_used0_ + 1);

  // Bytes from the client reach the stream through the mux.
  ASSERT_EQ(write(peer_.get(), "abc", 3), 3);
  run_loop(2);
  Buffer buf;
  EXPECT_EQ(mux_->rcv_buf(rec.sc, buf, 10), 3u);

  // The stream owns its connector; it frees it after detaching.
  mux_->detach(rec.sc, false);
  StreamConnector::pool().destroy(rec.sc);
  conn_ = nullptr;
  mux_ = nullptr;
}

TEST_F(MuxPtIdleTest, FailingFactoryLeavesConnectionToCaller) {
  make_unix_pair();
  const uint64_t pt_used = pool_used("mux_pt");
  FactoryRecord rec;
  rec.result = false;
  EXPECT_EQ(MuxRegistry::install("pt", conn_, nullptr, &record_factory, &rec), nullptr);
  EXPECT_EQ(rec.calls, 1);
  EXPECT_EQ(conn_->mux, nullptr);
  EXPECT_TRUE(conn_alive());  // not destroyed: the caller still owns it
  EXPECT_EQ(StreamConnector::pool().blocks().stats().used, sc_used0_);
  EXPECT_EQ(pool_used("mux_pt"), pt_used);
  // The caller can still use and close it.
  EXPECT_EQ(conn_->xprt->snd_raw(conn_, "503", 3), 3u);
  conn_->destroy();
  conn_ = nullptr;
}

TEST_F(MuxPtIdleTest, MissingFactoryFailsLikeAFailingOne) {
  make_unix_pair();
  EXPECT_EQ(MuxRegistry::install("pt", conn_, nullptr), nullptr);
  EXPECT_EQ(conn_->mux, nullptr);
  EXPECT_TRUE(conn_alive());
  EXPECT_EQ(StreamConnector::pool().blocks().stats().used, sc_used0_);
}

TEST_F(MuxPtIdleTest, ConnectorPoolExhaustionLeavesConnectionToCaller) {
  make_unix_pair();
  StreamConnector* hold = StreamConnector::pool().create();  // makes used >= 1
  ASSERT_NE(hold, nullptr);
  BlockPool& blocks = StreamConnector::pool().blocks();
  blocks.set_limit(blocks.stats().used);
  FactoryRecord rec;
  Mux* m = MuxRegistry::install("pt", conn_, nullptr, &record_factory, &rec);
  blocks.set_limit(0);
  StreamConnector::pool().destroy(hold);
  EXPECT_EQ(m, nullptr);
  EXPECT_EQ(rec.calls, 0);
  EXPECT_EQ(conn_->mux, nullptr);
  EXPECT_TRUE(conn_alive()) << "install() failed but destroyed the caller's connection";
}

}  // namespace
}  // namespace hearth::mux
