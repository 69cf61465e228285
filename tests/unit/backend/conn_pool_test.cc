// ConnPool: the reuse policy table (http-reuse never / safe / aggressive /
// always), private and auth-bound connections, the caps and the purge, on a
// FakeClock with real connections over socketpairs: no sleeps. Also the
// private slot (PrivateConn) alone.
#include "backend/conn_pool.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <vector>

#include "backend/private_conn.h"
#include "backend/server.h"
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

using config::HttpReuse;
using net::Connection;
using test::UniqueFd;

class ConnPoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    mux::register_builtin_muxes();
    live0_ = Connection::live_count();
    loop_.run_once(0);  // loads the fake time into the loop
    srv_.name = "s1";
  }
  void TearDown() override {
    priv_.close();
    other_priv_.close();
    pool_.reset();
    EXPECT_EQ(Connection::live_count(), live0_);
  }
  void make_pool(HttpReuse reuse, PoolSettings s = {}) {
    s.reuse = reuse;
    pool_ = std::make_unique<ConnPool>(s, &srv_, true);
  }
  int64_t now() const { return clock_.now_ms(); }
  void advance(int64_t ms) {
    clock_.advance(ms);
    loop_.run_once(0);
  }
  // A new server connection with a stream attached, as a stream holds it
  // during its exchange; `exchanges` were completed on it before.
  mux::StreamConnector* active(uint32_t exchanges = 0) {
    peers_.emplace_back();
    Connection* c =
        test::socket_pair_conn(&loop_, net::kConnConnected | net::kConnOutgoing, &peers_.back());
    mux::StreamConnector* sc = mux::StreamConnector::pool().create();
    EXPECT_NE(mux::MuxRegistry::install("h1", c, sc), nullptr);
    c->exchanges = exchanges;
    return sc;
  }
  // Ends the exchange on sc: the pool keeps or closes the connection.
  // Returns: the connection (for identity checks; it may be gone).
  Connection* finish(mux::StreamConnector* sc, bool reusable = true, bool client_keep = true,
                     PrivateConn* priv = nullptr) {
    Connection* c = sc->conn;
    pool_->release(sc, {reusable, client_keep, priv ? priv : &priv_}, now());
    mux::StreamConnector::pool().destroy(sc);
    return c;
  }
  // A connection that completed `exchanges` exchanges, handed to the pool.
  Connection* parked(uint32_t exchanges = 0) { return finish(active(exchanges)); }
  // A stream takes c (as acquire() returned it) for one more exchange.
  mux::StreamConnector* attach(Connection* c) {
    mux::StreamConnector* sc = mux::StreamConnector::pool().create();
    EXPECT_TRUE(c->mux->attach(sc));
    return sc;
  }
  void close(Connection* c) { c->mux->destroy(); }
  ConnRequest req(bool first, bool idempotent = true) {
    ConnRequest r;
    r.first_of_client = first;
    r.idempotent = idempotent;
    r.priv = &priv_;
    return r;
  }
  template <class P>
  bool run_until(P pred) {
    return test::run_loop_until(loop_, pred);
  }

  FakeClock clock_{10000};
  EventLoop loop_{&clock_};
  Server srv_;
  PrivateConn priv_, other_priv_;
  std::vector<UniqueFd> peers_;
  std::unique_ptr<ConnPool> pool_;
  uint64_t live0_ = 0;
};

// --- The policy table: a client's first request, and later ones.

TEST_F(ConnPoolTest, SafeFirstRequestNeverReuses) {
  make_pool(HttpReuse::kSafe);
  Connection* proven = parked(1);  // will carry its 2nd exchange: safe list
  Connection* c = parked(0);
  EXPECT_EQ(pool_->idle_count(), 2u);
  EXPECT_EQ(pool_->acquire(req(true), now()), nullptr);
  EXPECT_EQ(pool_->acquire(req(false), now()), c);  // unsafe first, youngest first
  EXPECT_EQ(pool_->acquire(req(false), now()), proven);
  close(c);
  close(proven);
}

TEST_F(ConnPoolTest, AggressiveFirstRequestTakesOnlyAProvenConnection) {
  make_pool(HttpReuse::kAggressive);
  Connection* unproven = parked(0);
  EXPECT_EQ(pool_->acquire(req(true), now()), nullptr);
  Connection* proven = parked(1);
  EXPECT_EQ(pool_->safe_count(), 1u);
  EXPECT_EQ(pool_->acquire(req(true), now()), proven);
  EXPECT_EQ(pool_->acquire(req(false), now()), unproven);
  close(proven);
  close(unproven);
}

TEST_F(ConnPoolTest, AlwaysFirstRequestTakesAnyConnection) {
  make_pool(HttpReuse::kAlways);
  Connection* c = parked(0);
  EXPECT_EQ(pool_->acquire(req(true), now()), c);
  close(c);
}

TEST_F(ConnPoolTest, NeverKeepsTheConnectionPrivateToItsClient) {
  make_pool(HttpReuse::kNever);
  Connection* c = parked(0);
  EXPECT_EQ(pool_->idle_count(), 0u);  // never in the shared lists
  EXPECT_EQ(priv_.conn_for(&srv_), c);
  EXPECT_TRUE(c->flags & net::kConnIdle);
  ConnRequest other = req(false);
  other.priv = &other_priv_;
  EXPECT_EQ(pool_->acquire(other, now()), nullptr);  // another client
  EXPECT_EQ(pool_->acquire(req(false), now()), c);   // its own client
  EXPECT_EQ(priv_.server(), nullptr);
  close(c);
}

TEST_F(ConnPoolTest, NeverClosesWhenTheClientLeaves) {
  make_pool(HttpReuse::kNever);
  const uint64_t live = Connection::live_count();
  finish(active(), /*reusable=*/true, /*client_keep=*/false);
  EXPECT_EQ(Connection::live_count(), live);  // closed
  EXPECT_EQ(priv_.server(), nullptr);
}

TEST_F(ConnPoolTest, PrivateConnectionComesFirstUnderEveryPolicy) {
  for (HttpReuse policy : {HttpReuse::kSafe, HttpReuse::kAggressive, HttpReuse::kAlways}) {
    make_pool(policy);
    // A connection of this server was seen serving 7 requests: a request that
    // cannot be replayed may be the 7th on `shared` (RequestLimitEstimator).
    srv_.reqlimit.observe_served(7);
    Connection* shared = parked(5);
    mux::StreamConnector* sc = active(0);
    sc->conn->flags |= net::kConnPrivate;  // a 401 offered NTLM on it
    Connection* bound = finish(sc);
    EXPECT_EQ(priv_.conn_for(&srv_), bound);
    EXPECT_TRUE(priv_.bound());
    EXPECT_EQ(pool_->acquire(req(true), now()), bound);
    close(bound);
    EXPECT_EQ(pool_->acquire(req(false), now()), shared);
    close(shared);
  }
}

// --- Requests that cannot be replayed (safe).

TEST_F(ConnPoolTest, NonIdempotentRequestTakesOnlyRecentOrProvenConnections) {
  make_pool(HttpReuse::kSafe, {.reuse_window_ms = 100});
  Connection* c = parked(0);
  advance(150);
  EXPECT_EQ(pool_->acquire(req(false, /*idempotent=*/false), now()), nullptr);
  srv_.keepalive.observe_alive(1000);  // a GET proved 1 s idles survive
  EXPECT_GE(srv_.keepalive.proven_idle_ms(), 150);
  EXPECT_EQ(pool_->acquire(req(false, false), now()), c);
  close(c);
}

TEST_F(ConnPoolTest, NonIdempotentRequestSkipsAConnectionClosedUnnoticed) {
  make_pool(HttpReuse::kSafe);
  Connection* c = parked(0);
  shutdown(peers_[0].get(), SHUT_WR);  // the FIN is there; the loop has not run
  const uint64_t stale = srv_.counters.sum(&backend::ServerTallies::stale_idle);
  EXPECT_EQ(pool_->acquire(req(false, false), now()), nullptr);
  EXPECT_EQ(srv_.counters.sum(&backend::ServerTallies::stale_idle), stale + 1);
  (void)c;
}

TEST_F(ConnPoolTest, BoundConnectionServesAnyMethodAfterAnyPause) {
  make_pool(HttpReuse::kSafe, {.reuse_window_ms = 100});
  mux::StreamConnector* sc = active(0);
  sc->conn->flags |= net::kConnPrivate;
  Connection* bound = finish(sc);
  advance(5000);
  EXPECT_EQ(pool_->acquire(req(false, false), now()), bound);
  close(bound);
}

TEST_F(ConnPoolTest, RetryTakesNothingIdle) {
  make_pool(HttpReuse::kAlways);
  parked(3);
  ConnRequest r = req(false);
  r.fresh = true;
  EXPECT_EQ(pool_->acquire(r, now()), nullptr);
  EXPECT_EQ(pool_->idle_count(), 1u);
}

// --- Caps.

TEST_F(ConnPoolTest, UnreusableConnectionIsClosed) {
  make_pool(HttpReuse::kSafe);
  const uint64_t live = Connection::live_count();
  finish(active(), /*reusable=*/false);
  EXPECT_EQ(Connection::live_count(), live);
  EXPECT_EQ(pool_->idle_count(), 0u);
}

TEST_F(ConnPoolTest, PoolMaxConnZeroDisablesReuse) {
  for (HttpReuse policy : {HttpReuse::kSafe, HttpReuse::kNever}) {
    make_pool(policy, {.max_conn = 0});
    const uint64_t live = Connection::live_count();
    finish(active());
    EXPECT_EQ(Connection::live_count(), live);
    EXPECT_EQ(priv_.server(), nullptr);
  }
}

TEST_F(ConnPoolTest, MaxReuseRetiresAConnection) {
  // max-reuse 1: a connection serves its first request and one reuse.
  make_pool(HttpReuse::kSafe, {.max_reuse = 1});
  Connection* c = parked(0);  // 1 exchange: may still be reused once
  EXPECT_EQ(pool_->idle_count(), 1u);
  ASSERT_EQ(pool_->acquire(req(false), now()), c);
  const uint64_t live = Connection::live_count();
  finish(attach(c));  // 2 exchanges: its one reuse is spent
  EXPECT_EQ(Connection::live_count(), live - 1);
  EXPECT_EQ(pool_->idle_count(), 0u);
}

TEST_F(ConnPoolTest, RecentNeedCapsTheIdleCount) {
  make_pool(HttpReuse::kSafe);
  const size_t cap = srv_.idle_cap();  // no session seen: only the spares
  EXPECT_EQ(cap, size_t(Server::kIdleSpare));
  std::vector<mux::StreamConnector*> scs;
  for (size_t i = 0; i <= cap + 1; ++i) scs.push_back(active());
  const uint64_t live = Connection::live_count();
  for (size_t i = 0; i < cap; ++i) finish(scs[i]);
  EXPECT_EQ(pool_->idle_count(), cap);
  // Past the cap: a client that goes away leaves nothing behind...
  finish(scs[cap], /*reusable=*/true, /*client_keep=*/false);
  EXPECT_EQ(Connection::live_count(), live - 1);
  // ... and a keep-alive client keeps it in its session's slot, for its own
  // next request, instead of paying a connect (the shared lists stay capped).
  Connection* kept = finish(scs[cap + 1]);
  EXPECT_EQ(pool_->idle_count(), cap);
  EXPECT_EQ(Connection::live_count(), live - 1);
  EXPECT_EQ(priv_.conn_for(&srv_), kept);
  EXPECT_EQ(pool_->acquire(req(false), now()), kept);
  kept->mux->destroy();
}

// pool-low-conn sets the spares kept beyond the recent need (HAProxy's
// low_idle_conns in its keep-or-close rule).
TEST_F(ConnPoolTest, PoolLowConnSetsTheSpares) {
  make_pool(HttpReuse::kSafe, {.low_conn = 1});
  srv_.pool_settings.low_conn = 1;
  EXPECT_EQ(srv_.idle_cap(), 1u);
  mux::StreamConnector* a = active();
  mux::StreamConnector* b = active();
  finish(a, /*reusable=*/true, /*client_keep=*/false);
  EXPECT_EQ(pool_->idle_count(), 1u);
  const uint64_t live = Connection::live_count();
  finish(b, /*reusable=*/true, /*client_keep=*/false);  // past the one spare: closed
  EXPECT_EQ(pool_->idle_count(), 1u);
  EXPECT_EQ(Connection::live_count(), live - 1);
  srv_.pool_settings.low_conn = 0;
  EXPECT_EQ(srv_.idle_cap(), 0u);
}

TEST_F(ConnPoolTest, IdleTimeoutExpiresConnections) {
  make_pool(HttpReuse::kSafe, {.idle_timeout_ms = 1000});
  parked(0);
  advance(1001);
  EXPECT_EQ(pool_->acquire(req(false), now()), nullptr);
  EXPECT_EQ(pool_->idle_count(), 0u);
  EXPECT_EQ(srv_.counters.sum(&backend::ServerTallies::stale_idle), 0u);  // expired, not stale
}

// --- tick().

TEST_F(ConnPoolTest, TickClosesEverythingWhenTheServerIsNotServing) {
  make_pool(HttpReuse::kSafe);
  parked(0);
  parked(1);
  EXPECT_EQ(pool_->tick(now(), /*serving=*/false), 2);
  EXPECT_EQ(pool_->idle_count(), 0u);
}

TEST_F(ConnPoolTest, TickPurgesEveryPurgeDelay) {
  make_pool(HttpReuse::kSafe, {.purge_delay_ms = 1000});
  EXPECT_EQ(pool_->tick(now(), true), 0);  // first purge: nothing to trim yet
  parked(0);
  parked(0);
  advance(500);
  EXPECT_EQ(pool_->tick(now(), true), 0);  // not due yet
  advance(500);
  // The interval began with none idle: no surplus was seen yet.
  EXPECT_EQ(pool_->tick(now(), true), 0);
  advance(1000);
  // Both stayed idle through a whole interval: half the surplus is closed.
  EXPECT_EQ(pool_->tick(now(), true), 1);
  EXPECT_EQ(pool_->idle_count(), 1u);
}

TEST_F(ConnPoolTest, DeathWhileIdleIsCountedStale) {
  make_pool(HttpReuse::kSafe);
  parked(0);
  shutdown(peers_[0].get(), SHUT_WR);
  EXPECT_TRUE(run_until([&] { return pool_->idle_count() == 0; }));
  EXPECT_EQ(pool_->stale_caught(), 1u);
}

// --- The private slot alone.

TEST_F(ConnPoolTest, PrivateSlotKeepsTheIdleContract) {
  make_pool(HttpReuse::kNever);
  Connection* c = parked(0);
  loop_.run_once(0);
  EXPECT_EQ(priv_.conn_for(&srv_), c);
  EXPECT_EQ(c->idle_since_ms, now());
  EXPECT_NE(c->recv_sub, nullptr);  // read-subscribed while parked
  EXPECT_EQ(srv_.counters.sum(&backend::ServerTallies::stale_idle), 0u);
}

TEST_F(ConnPoolTest, ServerCloseWhilePrivateEmptiesTheSlotOnce) {
  make_pool(HttpReuse::kNever);
  parked(0);
  advance(300);
  const uint64_t live = Connection::live_count();
  shutdown(peers_[0].get(), SHUT_WR);
  EXPECT_TRUE(run_until([&] { return Connection::live_count() == live - 1; }));
  EXPECT_EQ(priv_.server(), nullptr);
  EXPECT_EQ(priv_.take(), nullptr);
  EXPECT_EQ(srv_.counters.sum(&backend::ServerTallies::stale_idle), 1u);  // once
}

TEST_F(ConnPoolTest, ParkingAnotherPrivateClosesThePrevious) {
  make_pool(HttpReuse::kNever);
  Connection* a = parked(0);
  const uint64_t live = Connection::live_count();
  Connection* b = parked(0);
  EXPECT_EQ(Connection::live_count(), live);  // one more, one less
  EXPECT_EQ(priv_.conn_for(&srv_), b);
  EXPECT_NE(a, b);
  char ch;
  EXPECT_EQ(read(peers_[0].get(), &ch, 1), 0);                            // a's socket was closed
  EXPECT_EQ(srv_.counters.sum(&backend::ServerTallies::stale_idle), 0u);  // a voluntary close
}

TEST_F(ConnPoolTest, PrivateSlotClosesWithItsOwner) {
  make_pool(HttpReuse::kNever);
  const uint64_t live = Connection::live_count();
  auto slot = std::make_unique<PrivateConn>();
  finish(active(), true, true, slot.get());
  EXPECT_EQ(Connection::live_count(), live + 1);
  slot.reset();  // the client connection (its session) is gone
  EXPECT_EQ(Connection::live_count(), live);
  char ch;
  EXPECT_EQ(read(peers_.back().get(), &ch, 1), 0);
  EXPECT_EQ(srv_.counters.sum(&backend::ServerTallies::stale_idle), 0u);
}

// --- Connections that carry several streams at once (HTTP/2, later). No mux
// of that kind exists yet, so a scripted one stands in: N stream slots, the
// idle contract of the others (kept while reusable, destroyed otherwise).

class MultiStreamMux final : public mux::Mux {
 public:
  MultiStreamMux(Connection* c, int slots) : conn_(c), slots_(slots) {}
  const char* name() const override { return "multi"; }
  bool init(Connection*, mux::StreamConnector*, mux::StreamFactory, void*) override { return true; }
  void wake() override {}
  bool attach(mux::StreamConnector* sc) override {
    if (streams_ == slots_) return false;
    ++streams_;
    sc->conn = conn_;
    sc->mux = this;
    return true;
  }
  bool detach(mux::StreamConnector* sc, bool keep_idle) override {
    sc->conn = nullptr;
    sc->mux = nullptr;
    if (--streams_ > 0) return true;
    if (keep_idle && conn_->reusable()) return true;
    destroy();
    return false;
  }
  mux::StreamConnector* first_sc() const override { return nullptr; }
  void shutr(mux::StreamConnector*) override {}
  void shutw(mux::StreamConnector*) override {}
  size_t rcv_buf(mux::StreamConnector*, Buffer&, size_t) override { return 0; }
  size_t snd_buf(mux::StreamConnector*, Buffer&, size_t) override { return 0; }
  void subscribe(mux::StreamConnector*, uint32_t, WaitEvent*) override {}
  void unsubscribe(mux::StreamConnector*, uint32_t, WaitEvent*) override {}
  int avail_streams() const override { return slots_ - streams_; }
  int nb_streams() const override { return streams_; }
  void destroy() override {
    Connection* c = conn_;
    c->unlink_idle();
    c->mux = nullptr;
    c->destroy();
    delete this;
  }
  std::string dump() const override { return "multi"; }

 private:
  Connection* conn_;
  int slots_;
  int streams_ = 0;
};

class ConnPoolSharedTest : public ConnPoolTest {
 protected:
  // A new connection with room for `slots` streams, one of them attached
  // (as ServerSide does once a connection is established).
  mux::StreamConnector* new_shared(int slots) {
    peers_.emplace_back();
    Connection* c =
        test::socket_pair_conn(&loop_, net::kConnConnected | net::kConnOutgoing, &peers_.back());
    c->mux = new MultiStreamMux(c, slots);
    mux::StreamConnector* sc = join(c);
    return sc;
  }
  mux::StreamConnector* join(Connection* c) {
    mux::StreamConnector* sc = mux::StreamConnector::pool().create();
    EXPECT_TRUE(c->mux->attach(sc));
    pool_->note_streams(c);
    return sc;
  }
};

TEST_F(ConnPoolSharedTest, ConnectionWithRoomIsSharedUntilFull) {
  make_pool(HttpReuse::kAlways);
  mux::StreamConnector* a = new_shared(2);
  Connection* c = a->conn;
  EXPECT_EQ(pool_->avail_count(), 1u);
  EXPECT_EQ(pool_->idle_count(), 0u);
  ASSERT_EQ(pool_->acquire(req(false), now()), c);  // joins the connection in use
  mux::StreamConnector* b = join(c);
  EXPECT_EQ(pool_->avail_count(), 0u);  // full now
  EXPECT_EQ(pool_->acquire(req(false), now()), nullptr);
  finish(a);  // one stream left: room again
  EXPECT_EQ(pool_->avail_count(), 1u);
  EXPECT_EQ(pool_->idle_count(), 0u);
  finish(b);  // the last stream left: idle
  EXPECT_EQ(pool_->avail_count(), 0u);
  EXPECT_EQ(pool_->idle_count(), 1u);
  EXPECT_EQ(pool_->acquire(req(false), now()), c);
  c->mux->destroy();
}

TEST_F(ConnPoolSharedTest, PolicyDecidesWhoMayShare) {
  make_pool(HttpReuse::kSafe);
  mux::StreamConnector* a = new_shared(4);
  EXPECT_EQ(pool_->acquire(req(true), now()), nullptr);  // a first request: its own
  EXPECT_EQ(pool_->acquire(req(false), now()), a->conn);
  finish(a);
  make_pool(HttpReuse::kNever);
  mux::StreamConnector* n = new_shared(4);
  EXPECT_EQ(pool_->avail_count(), 1u);
  EXPECT_EQ(pool_->acquire(req(false), now()), nullptr);  // never shared
  finish(n, /*reusable=*/false);
}

TEST_F(ConnPoolSharedTest, SharedConnectionDyingInUseLeavesTheList) {
  make_pool(HttpReuse::kAlways);
  mux::StreamConnector* a = new_shared(2);
  Connection* c = a->conn;
  const uint64_t live = Connection::live_count();
  c->mux->destroy();  // e.g. a reset while a stream still used it
  mux::StreamConnector::pool().destroy(a);
  EXPECT_EQ(Connection::live_count(), live - 1);
  EXPECT_EQ(pool_->avail_count(), 0u);
  EXPECT_EQ(pool_->stale_caught(), 0u);  // not an idle death
}

TEST_F(ConnPoolSharedTest, PoolGoingAwayUnlinksConnectionsInUse) {
  make_pool(HttpReuse::kAlways);
  mux::StreamConnector* a = new_shared(2);
  Connection* c = a->conn;
  pool_.reset();  // a worker stopping while a stream still uses c
  EXPECT_FALSE(c->idle_hook.linked());
  c->mux->destroy();
  mux::StreamConnector::pool().destroy(a);
}

TEST_F(ConnPoolTest, SingleStreamConnectionsAreNeverShared) {
  make_pool(HttpReuse::kAlways);
  mux::StreamConnector* a = active();
  pool_->note_streams(a->conn);  // an h1 connection is full with one stream
  EXPECT_EQ(pool_->avail_count(), 0u);
  EXPECT_EQ(pool_->acquire(req(false), now()), nullptr);
  finish(a);
}

}  // namespace
}  // namespace hearth::backend

namespace hearth::backend {
namespace {

// --- A server that moved (run-time resolution, "set server addr").

net::Address addr(const char* text) {
  std::string err;
  return *net::Address::parse(text, &err);
}

TEST_F(ConnPoolTest, AddressChangeClosesIdleAndRetiresConnectionsInUse) {
  make_pool(HttpReuse::kAlways);
  parked(1);
  mux::StreamConnector* busy = active(1);  // carrying an exchange during the change
  EXPECT_EQ(pool_->idle_count(), 1u);
  srv_.set_address(addr("127.0.0.9:80"));
  EXPECT_EQ(pool_->acquire(req(false), now()), nullptr);  // the former address: closed
  EXPECT_EQ(pool_->idle_count(), 0u);
  finish(busy);  // opened to the former address: closed, not parked
  EXPECT_EQ(pool_->idle_count(), 0u);
  mux::StreamConnector* fresh = active(1);  // opened to the new address
  fresh->conn->addr_gen = srv_.addr_gen();
  Connection* kept = finish(fresh);
  EXPECT_EQ(pool_->idle_count(), 1u);
  EXPECT_EQ(pool_->acquire(req(false), now()), kept);
  close(kept);
}

TEST_F(ConnPoolTest, TickClosesTheIdleConnectionsOfAServerThatMoved) {
  make_pool(HttpReuse::kSafe);
  parked(1);
  parked(0);
  EXPECT_EQ(pool_->tick(now(), true), 0);
  srv_.set_address(addr("[::1]:80"));
  EXPECT_EQ(pool_->tick(now(), true), 2);
  EXPECT_EQ(pool_->idle_count(), 0u);
}

TEST_F(ConnPoolTest, PrivateConnectionOfAFormerAddressIsNotReused) {
  make_pool(HttpReuse::kNever);
  finish(active(1));  // parked in the client's private slot
  ASSERT_NE(priv_.conn_for(&srv_), nullptr);
  srv_.set_address(addr("127.0.0.9:80"));
  EXPECT_EQ(pool_->acquire(req(false), now()), nullptr);
  EXPECT_EQ(priv_.conn_for(&srv_), nullptr);
}

}  // namespace
}  // namespace hearth::backend
