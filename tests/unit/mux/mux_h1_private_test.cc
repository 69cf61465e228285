// The private server connection slot of an incoming mux_h1 (`http-reuse
// never`): a parked server connection keeps the idle contract (read-subscribed,
// retired on EOF), its death empties the slot and is reported once, a voluntary
// take or close is not a death, and the slot dies with the client connection.
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "core/event_loop.h"
#include "mux/mux.h"
#include "mux/mux_h1.h"
#include "mux/stream_connector.h"
#include "net/connection.h"
#include "net/transport.h"
#include "support/unique_fd.h"

namespace hearth::mux {
namespace {

using net::Connection;
using test::UniqueFd;

struct DeathRecord {
  int calls = 0;
  Connection* conn = nullptr;
  void* owner = nullptr;
};
DeathRecord g_dead;

void on_dead(Connection* c, void* owner) {
  ++g_dead.calls;
  g_dead.conn = c;
  g_dead.owner = owner;
}

StreamConnector* g_incoming_sc = nullptr;
bool accept_stream(StreamConnector* sc, void*) {
  g_incoming_sc = sc;
  return true;
}

int g_server_a = 0, g_server_b = 0;  // owners: their addresses stand for servers

class MuxH1PrivateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    register_builtin_muxes();
    g_dead = DeathRecord{};
    g_incoming_sc = nullptr;
    live0_ = Connection::live_count();
    // The client connection, with its stream attached.
    client_ = pair(&client_peer_, 0);
    ASSERT_NE(MuxRegistry::install("h1", client_, nullptr, &accept_stream, nullptr), nullptr);
    ASSERT_NE(g_incoming_sc, nullptr);
    cmux_ = static_cast<MuxH1*>(client_->mux);
  }

  void TearDown() override {
    if (cmux_) {
      cmux_->detach(g_incoming_sc, false);  // destroys the client connection
      StreamConnector::pool().destroy(g_incoming_sc);
    }
    EXPECT_EQ(Connection::live_count(), live0_);
  }

  Connection* pair(UniqueFd* peer, uint32_t flags) {
    int sv[2];
    EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
    peer->reset(sv[1]);
    Connection* c = Connection::create(&loop_, sv[0], net::Address{}, flags | net::kConnConnected);
    c->xprt = net::raw_transport();
    return c;
  }

  // A server connection that finished an exchange and was detached with
  // keep_idle, ready to be parked.
  Connection* idle_server_conn(UniqueFd* peer) {
    Connection* c = pair(peer, net::kConnOutgoing);
    StreamConnector* sc = StreamConnector::pool().create();
    EXPECT_NE(MuxRegistry::install("h1", c, sc), nullptr);
    c->mux->detach(sc, true);
    StreamConnector::pool().destroy(sc);
    return c;
  }

  void run_loop(int n) {
    for (int i = 0; i < n; ++i) loop_.run_once(10);
  }

  EventLoop loop_;
  UniqueFd client_peer_;
  Connection* client_ = nullptr;
  MuxH1* cmux_ = nullptr;
  uint64_t live0_ = 0;
};

TEST_F(MuxH1PrivateTest, ParkedConnectionStaysIdleAndSubscribed) {
  UniqueFd peer;
  Connection* s = idle_server_conn(&peer);
  cmux_->park_private(s, &g_server_a, &on_dead, 42);
  run_loop(3);
  EXPECT_EQ(cmux_->private_conn(&g_server_a), s);
  EXPECT_EQ(cmux_->private_conn(&g_server_b), nullptr);
  EXPECT_EQ(cmux_->private_owner(), &g_server_a);
  EXPECT_TRUE(s->flags & net::kConnIdle);
  EXPECT_EQ(s->idle_since_ms, 42);
  EXPECT_NE(s->recv_sub, nullptr);
  EXPECT_EQ(g_dead.calls, 0);
}

TEST_F(MuxH1PrivateTest, ServerCloseWhileIdleEmptiesTheSlotOnce) {
  UniqueFd peer;
  Connection* s = idle_server_conn(&peer);
  cmux_->park_private(s, &g_server_a, &on_dead, 0);
  const uint64_t live = Connection::live_count();
  shutdown(peer.get(), SHUT_WR);
  for (int i = 0; i < 100 && Connection::live_count() == live; ++i) loop_.run_once(10);
  EXPECT_EQ(Connection::live_count(), live - 1);
  EXPECT_EQ(g_dead.calls, 1);
  EXPECT_EQ(g_dead.conn, s);
  EXPECT_EQ(g_dead.owner, &g_server_a);
  EXPECT_EQ(cmux_->private_owner(), nullptr);
  EXPECT_EQ(cmux_->take_private(), nullptr);
}

TEST_F(MuxH1PrivateTest, TakeHandsItOverWithoutADeath) {
  UniqueFd peer;
  Connection* s = idle_server_conn(&peer);
  cmux_->park_private(s, &g_server_a, &on_dead, 0);
  Connection* got = cmux_->take_private();
  ASSERT_EQ(got, s);
  EXPECT_FALSE(s->flags & net::kConnIdle);
  EXPECT_EQ(s->idle_unlink, nullptr);
  EXPECT_EQ(cmux_->private_owner(), nullptr);
  StreamConnector* sc = StreamConnector::pool().create();
  ASSERT_TRUE(s->mux->attach(sc));
  s->mux->detach(sc, false);  // closes it: a voluntary close, not a death
  StreamConnector::pool().destroy(sc);
  EXPECT_EQ(g_dead.calls, 0);
}

TEST_F(MuxH1PrivateTest, ParkingAnotherClosesThePrevious) {
  UniqueFd pa, pb;
  Connection* a = idle_server_conn(&pa);
  Connection* b = idle_server_conn(&pb);
  const uint64_t live = Connection::live_count();
  cmux_->park_private(a, &g_server_a, &on_dead, 0);
  cmux_->park_private(b, &g_server_b, &on_dead, 0);
  EXPECT_EQ(Connection::live_count(), live - 1);
  EXPECT_EQ(cmux_->private_conn(&g_server_b), b);
  EXPECT_EQ(g_dead.calls, 0);
  char ch;
  EXPECT_EQ(read(pa.get(), &ch, 1), 0);  // a's socket was closed
}

TEST_F(MuxH1PrivateTest, ClosesWithTheClientConnection) {
  UniqueFd peer;
  Connection* s = idle_server_conn(&peer);
  cmux_->park_private(s, &g_server_a, &on_dead, 0);
  cmux_->detach(g_incoming_sc, false);
  StreamConnector::pool().destroy(g_incoming_sc);
  cmux_ = nullptr;
  EXPECT_EQ(Connection::live_count(), live0_);
  EXPECT_EQ(g_dead.calls, 0);
  char ch;
  EXPECT_EQ(read(peer.get(), &ch, 1), 0);
}

}  // namespace
}  // namespace hearth::mux
