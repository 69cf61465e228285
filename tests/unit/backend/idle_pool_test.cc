#include "backend/idle_pool.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <vector>

#include "backend/keepalive_estimator.h"
#include "core/clock.h"
#include "core/event_loop.h"
#include "mux/mux.h"
#include "mux/stream_connector.h"
#include "net/connection.h"
#include "net/transport.h"
#include "support/socket_pair_conn.h"
#include "support/unique_fd.h"

namespace hearth::backend {
namespace {

using net::Connection;
using test::UniqueFd;

// Real server-side connections over socketpairs, driven by a real EventLoop on a
// FakeClock. The test holds the server end of each pair.
class IdlePoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mux::register_builtin_muxes();
    live0_ = Connection::live_count();
    loop_.run_once(0);  // loads the fake time into the loop
  }
  void TearDown() override {
    pool_.reset();
    EXPECT_EQ(Connection::live_count(), live0_);
  }
  void make_pool(IdlePool::Limits limits, KeepAliveEstimator* est = nullptr) {
    pool_ = std::make_unique<IdlePool>(limits, est);
  }
  int64_t now() const { return clock_.now_ms(); }
  void advance(int64_t ms) {
    clock_.advance(ms);
    loop_.run_once(0);
  }

  // Returns: an outgoing connection that carried `exchanges` exchanges and was
  // detached with keep_idle=true, i.e. ready to be parked. Its peer is peers_[i].
  Connection* detached_conn(uint32_t exchanges) {
    peers_.emplace_back();
    Connection* c =
        test::socket_pair_conn(&loop_, net::kConnConnected | net::kConnOutgoing, &peers_.back());
    mux::StreamConnector* sc = mux::StreamConnector::pool().create();
    EXPECT_NE(mux::MuxRegistry::install("pt", c, sc), nullptr);
    c->exchanges = exchanges;
    park_mux(c, sc);
    return c;
  }
  // The stream leaves c idle and frees its connector (it owned it).
  void park_mux(Connection* c, mux::StreamConnector* sc) {
    c->mux->detach(sc, true);
    mux::StreamConnector::pool().destroy(sc);
  }
  Connection* add_conn(uint32_t exchanges = 1) {
    Connection* c = detached_conn(exchanges);
    EXPECT_TRUE(pool_->add(c, now()));
    return c;
  }
  // A stream reuses c for one more exchange and gives it back to the pool.
  void reuse_and_return(Connection* c) {
    mux::StreamConnector* sc = mux::StreamConnector::pool().create();
    ASSERT_TRUE(c->mux->attach(sc));
    ++c->exchanges;
    park_mux(c, sc);
    ASSERT_TRUE(pool_->add(c, now()));
  }
  // The caller closes a connection it took or the pool refused.
  void close(Connection* c) { c->mux->destroy(); }
  // Returns: whether the server end of pair i saw our side close.
  bool peer_saw_close(size_t i) {
    char b;
    return read(peers_[i].get(), &b, 1) == 0;
  }
  template <class P>
  bool run_until(P pred) {
    return test::run_loop_until(loop_, pred);
  }

  FakeClock clock_{10000};
  EventLoop loop_{&clock_};
  std::vector<UniqueFd> peers_;
  std::unique_ptr<IdlePool> pool_;
  uint64_t live0_ = 0;
};

TEST_F(IdlePoolTest, AddMarksIdleAndTakeIsLifo) {
  make_pool({});
  Connection* a = add_conn();
  advance(5);
  Connection* b = add_conn();
  Connection* c = add_conn();
  EXPECT_EQ(pool_->idle_count(), 3u);
  EXPECT_TRUE(b->flags & net::kConnIdle);
  EXPECT_EQ(b->idle_owner, pool_.get());
  EXPECT_EQ(a->idle_since_ms, now() - 5);
  EXPECT_EQ(c->idle_since_ms, now());

  EXPECT_EQ(pool_->take(false, now()), c);
  EXPECT_FALSE(c->flags & net::kConnIdle);
  EXPECT_FALSE(c->idle_hook.linked());
  EXPECT_EQ(c->idle_since_ms, now());  // left for the caller's observe_alive
  EXPECT_EQ(pool_->take(false, now()), b);
  EXPECT_EQ(pool_->take(false, now()), a);
  EXPECT_EQ(pool_->take(false, now()), nullptr);
  EXPECT_EQ(pool_->idle_count(), 0u);
  EXPECT_EQ(pool_->stale_caught(), 0u);
  for (Connection* x : {a, b, c}) close(x);
}

TEST_F(IdlePoolTest, TakenConnectionCarriesANewStream) {
  make_pool({});
  Connection* c = add_conn();
  ASSERT_EQ(pool_->take(false, now()), c);
  mux::StreamConnector* sc = mux::StreamConnector::pool().create();
  ASSERT_TRUE(c->mux->attach(sc));
  Buffer out;
  out.append("GET", 3);
  EXPECT_EQ(c->mux->snd_buf(sc, out, 3), 3u);
  char got[4] = {};
  EXPECT_EQ(read(peers_[0].get(), got, sizeof got), 3);
  EXPECT_STREQ(got, "GET");
  c->mux->detach(sc, false);  // destroys the connection
  mux::StreamConnector::pool().destroy(sc);
}

TEST_F(IdlePoolTest, SafeAndUnsafeListsAreSeparate) {
  make_pool({});
  Connection* u1 = add_conn(1);
  Connection* s1 = add_conn(2);
  Connection* u2 = add_conn(1);
  Connection* s2 = add_conn(5);
  EXPECT_EQ(pool_->unsafe_count(), 2u);
  EXPECT_EQ(pool_->safe_count(), 2u);

  // A first request under `aggressive` may only use proven connections.
  EXPECT_EQ(pool_->take(true, now()), s2);
  // Others take the unsafe ones first, keeping the proven ones for the above.
  EXPECT_EQ(pool_->take(false, now()), u2);
  EXPECT_EQ(pool_->take(false, now()), u1);
  EXPECT_EQ(pool_->take(false, now()), s1);
  EXPECT_EQ(pool_->idle_count(), 0u);
  for (Connection* x : {u1, s1, u2, s2}) close(x);
}

TEST_F(IdlePoolTest, SafeOnlyTakeIgnoresUnsafe) {
  make_pool({});
  Connection* u = add_conn(1);
  EXPECT_EQ(pool_->take(true, now()), nullptr);
  EXPECT_EQ(pool_->unsafe_count(), 1u);
  EXPECT_EQ(pool_->take(false, now()), u);
  close(u);
}

TEST_F(IdlePoolTest, ReusedUnsafeConnectionReturnsAsSafe) {
  make_pool({});
  Connection* c = add_conn(1);
  ASSERT_EQ(pool_->take(false, now()), c);
  reuse_and_return(c);
  EXPECT_EQ(pool_->safe_count(), 1u);
  EXPECT_EQ(pool_->unsafe_count(), 0u);
  EXPECT_EQ(pool_->take(true, now()), c);
  close(c);
}

TEST_F(IdlePoolTest, MaxConnRefusesBeyondTheLimit) {
  make_pool({.max_conn = 2});
  add_conn();
  add_conn(3);
  Connection* extra = detached_conn(1);
  EXPECT_FALSE(pool_->add(extra, now()));
  EXPECT_FALSE(extra->idle_hook.linked());
  EXPECT_EQ(pool_->idle_count(), 2u);
  close(extra);
  EXPECT_TRUE(peer_saw_close(2));
}

TEST_F(IdlePoolTest, MaxConnZeroDisablesPooling) {
  make_pool({.max_conn = 0});
  Connection* c = detached_conn(1);
  EXPECT_FALSE(pool_->add(c, now()));
  EXPECT_EQ(pool_->idle_count(), 0u);
  close(c);
}

TEST_F(IdlePoolTest, MaxReuseRefusesWornConnections) {
  make_pool({.max_reuse = 2});
  Connection* fresh = detached_conn(1);  // reused 0 times so far
  Connection* twice = detached_conn(3);  // reused 2 times: may not be reused again
  EXPECT_TRUE(pool_->add(fresh, now()));
  EXPECT_FALSE(pool_->add(twice, now()));
  close(twice);

  IdlePool never({.max_reuse = 0}, nullptr);
  Connection* c = detached_conn(1);
  EXPECT_FALSE(never.add(c, now()));
  close(c);
}

TEST_F(IdlePoolTest, AddRefusesAConnectionAlreadyDead) {
  make_pool({});
  Connection* c = detached_conn(1);
  c->flags |= net::kConnRdHup;  // the poller saw the server's FIN
  EXPECT_FALSE(pool_->add(c, now()));
  close(c);
}

TEST_F(IdlePoolTest, IdleTimeoutRetiresOnTake) {
  make_pool({.idle_timeout_ms = 1000});
  Connection* old = add_conn();
  advance(600);
  Connection* young = add_conn();
  advance(400);
  EXPECT_EQ(pool_->take(false, now()), young);
  ASSERT_EQ(pool_->take(false, now()), old);  // exactly at the limit: still usable
  reuse_and_return(old);
  advance(1001);
  EXPECT_EQ(pool_->take(false, now()), nullptr);  // old expired: closed, not handed out
  EXPECT_EQ(pool_->idle_count(), 0u);
  EXPECT_EQ(pool_->stale_caught(), 0u);  // our own close, not the server's
  EXPECT_TRUE(peer_saw_close(0));
  close(young);
}

TEST_F(IdlePoolTest, IdleTimeoutRetiresOnPurge) {
  KeepAliveEstimator est;
  make_pool({.idle_timeout_ms = 1000}, &est);
  add_conn();
  advance(500);
  add_conn(2);
  advance(501);
  EXPECT_EQ(pool_->purge(now()), 1);
  EXPECT_EQ(pool_->idle_count(), 1u);
  EXPECT_EQ(pool_->safe_count(), 1u);
  EXPECT_TRUE(peer_saw_close(0));
  EXPECT_EQ(pool_->stale_caught(), 0u);
  EXPECT_FALSE(est.estimate_ms());  // voluntary closes teach the estimator nothing
  EXPECT_EQ(est.ignored_closes(), 0);
}

TEST_F(IdlePoolTest, LearnedRetireAgeRetiresBeforeTheServerTimeout) {
  KeepAliveEstimator est;
  for (int i = 0; i < 3; ++i) est.observe_close(200);
  ASSERT_EQ(est.retire_age_ms(), 150);
  make_pool({}, &est);
  Connection* a = add_conn();
  advance(150);
  EXPECT_EQ(pool_->take(false, now()), a);
  reuse_and_return(a);
  advance(151);
  EXPECT_EQ(pool_->take(false, now()), nullptr);
  EXPECT_EQ(pool_->idle_count(), 0u);
  EXPECT_TRUE(peer_saw_close(0));

  add_conn();
  advance(160);
  EXPECT_EQ(pool_->purge(now()), 1);
  EXPECT_EQ(pool_->idle_count(), 0u);
}

TEST_F(IdlePoolTest, PurgeClosesHalfOfTheUnneededExcessOldestFirst) {
  make_pool({});
  std::vector<Connection*> conns;
  for (int i = 0; i < 8; ++i) {
    conns.push_back(add_conn());
    advance(1);
  }
  EXPECT_EQ(pool_->purge(now()), 0);  // first interval: no demand measured yet
  // Peak demand of 2 during this interval: 6 connections were never needed.
  Connection* x = pool_->take(false, now());
  Connection* y = pool_->take(false, now());
  reuse_and_return(y);
  reuse_and_return(x);
  EXPECT_EQ(pool_->purge(now()), 3);  // half of the 6 unneeded
  EXPECT_EQ(pool_->idle_count(), 5u);
  for (size_t i = 0; i < 3; ++i) EXPECT_TRUE(peer_saw_close(i)) << i;  // the oldest
  // No demand at all: the surplus keeps halving, rounded up, until none is left.
  EXPECT_EQ(pool_->purge(now()), 3);
  EXPECT_EQ(pool_->idle_count(), 2u);
  EXPECT_EQ(pool_->purge(now()), 1);
  EXPECT_EQ(pool_->purge(now()), 1);
  EXPECT_EQ(pool_->purge(now()), 0);
  EXPECT_EQ(pool_->idle_count(), 0u);
  EXPECT_EQ(pool_->stale_caught(), 0u);
}

TEST_F(IdlePoolTest, PurgeKeepsWhatWasNeeded) {
  make_pool({});
  std::vector<Connection*> conns;
  for (int i = 0; i < 4; ++i) conns.push_back(add_conn());
  pool_->purge(now());
  // Every connection was in use at the peak.
  for (int i = 0; i < 4; ++i) conns[size_t(i)] = pool_->take(false, now());
  for (Connection* c : conns) reuse_and_return(c);
  EXPECT_EQ(pool_->purge(now()), 0);
  EXPECT_EQ(pool_->idle_count(), 4u);
}

TEST_F(IdlePoolTest, ServerCloseWhileIdleUnlinksCountsStaleAndTeachesTheEstimator) {
  KeepAliveEstimator est;
  make_pool({}, &est);
  const uint64_t live = Connection::live_count();
  for (int i = 0; i < 3; ++i) add_conn(i == 0 ? 2 : 1);
  advance(200);
  for (auto& p : peers_) p.reset();  // the server's 200 ms keep-alive timeout fires
  ASSERT_TRUE(run_until([&] { return pool_->idle_count() == 0; }));
  EXPECT_EQ(pool_->stale_caught(), 3u);
  EXPECT_EQ(pool_->safe_count(), 0u);
  EXPECT_EQ(Connection::live_count(), live);  // freed by the muxes' idle drain
  ASSERT_TRUE(est.estimate_ms());
  EXPECT_EQ(*est.estimate_ms(), 200);
  EXPECT_LE(est.retire_age_ms(), 150);
  EXPECT_EQ(pool_->take(false, now()), nullptr);
}

TEST_F(IdlePoolTest, StrayBytesWhileIdleRetireTheConnection) {
  make_pool({});
  Connection* keep = add_conn();
  add_conn();
  // An unsolicited 408 from the server on the second connection.
  ASSERT_EQ(write(peers_[1].get(), "HTTP/1.1 408", 12), 12);
  ASSERT_TRUE(run_until([&] { return pool_->idle_count() == 1; }));
  EXPECT_EQ(pool_->stale_caught(), 1u);
  EXPECT_EQ(pool_->take(false, now()), keep);
  close(keep);
}

TEST_F(IdlePoolTest, TakeSkipsConnectionsThePollerFlaggedDead) {
  KeepAliveEstimator est;
  make_pool({}, &est);
  Connection* live = add_conn();
  Connection* reset = add_conn();
  Connection* fin = add_conn();
  // Flags the poller/transport set before the muxes' drain tasklets got to run.
  reset->flags |= net::kConnError;
  fin->flags |= net::kConnRdHup;
  const uint64_t before = Connection::live_count();
  EXPECT_EQ(pool_->take(false, now()), live);
  EXPECT_EQ(Connection::live_count(), before - 2);
  EXPECT_EQ(pool_->stale_caught(), 2u);
  EXPECT_EQ(pool_->idle_count(), 0u);
  close(live);
}

TEST_F(IdlePoolTest, TakeLeavesAReadableConnectionToItsMux) {
  make_pool({});
  Connection* older = add_conn();
  Connection* readable = add_conn();
  readable->flags |= net::kConnRecvReady;  // drain pending: maybe a close, maybe not
  EXPECT_EQ(pool_->take(false, now()), older);
  EXPECT_EQ(pool_->idle_count(), 1u);
  EXPECT_TRUE(readable->idle_hook.linked());
  close(older);
  // Its drain finds nothing: it is usable again.
  readable->flags &= ~net::kConnRecvReady;
  EXPECT_EQ(pool_->take(false, now()), readable);
  close(readable);
}

TEST_F(IdlePoolTest, PurgeReapsDeadConnectionsAsStale) {
  make_pool({});
  add_conn();
  Connection* dead = add_conn(2);
  dead->flags |= net::kConnRdShut;
  EXPECT_EQ(pool_->purge(now()), 1);
  EXPECT_EQ(pool_->stale_caught(), 1u);
  EXPECT_EQ(pool_->idle_count(), 1u);
  EXPECT_EQ(pool_->safe_count(), 0u);
}

TEST_F(IdlePoolTest, DestructorClosesEveryParkedConnection) {
  make_pool({});
  add_conn(1);
  add_conn(2);
  pool_.reset();
  EXPECT_EQ(Connection::live_count(), live0_);
  EXPECT_TRUE(peer_saw_close(0));
  EXPECT_TRUE(peer_saw_close(1));
}

}  // namespace
}  // namespace hearth::backend
