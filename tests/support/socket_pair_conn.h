#pragma once
// For unit tests of the connection layer: a real Connection on one end of a
// non-blocking AF_UNIX socketpair, registered with `loop` and carried by the
// raw transport, the test keeping the other end; and running a loop until a
// condition holds. Header-only, so the support
// library does not link Hearth's libraries.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include "core/event_loop.h"
#include "net/connection.h"
#include "net/transport.h"
#include "support/unique_fd.h"

namespace hearth::test {

// Returns: the connection (flags as given), its peer end in *peer.
inline net::Connection* socket_pair_conn(EventLoop* loop, uint32_t flags, UniqueFd* peer) {
  int sv[2];
  EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
  peer->reset(sv[1]);
  net::Connection* c = net::Connection::create(loop, sv[0], net::Address{}, flags);
  EXPECT_NE(c, nullptr);
  if (c) c->xprt = net::raw_transport();
  return c;
}

// Runs the loop in 10 ms steps until pred() holds, at most 100 steps.
// Returns: pred() at the end.
template <class P>
bool run_loop_until(EventLoop& loop, P pred) {
  for (int i = 0; i < 100 && !pred(); ++i) loop.run_once(10);
  return pred();
}

}  // namespace hearth::test
