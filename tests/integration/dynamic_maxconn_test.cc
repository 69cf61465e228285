// fullconn with server minconn/maxconn (HAProxy's dynamic maxconn), run
// through hearth and through HAProxy 2.6 on the same configuration: a
// server's limit is minconn at a low backend load and grows in proportion to
// the load up to maxconn once the backend holds fullconn sessions.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "integration/tcp_test_util.h"

namespace hearth::test::tcp {
namespace {

std::string config(uint16_t port, uint16_t srv, const std::string& server_opts) {
  return tcp_config(port, {.defaults = "    timeout connect 2s\n    timeout client 10s\n"
                                       "    timeout server 10s\n    timeout queue 10s\n",
                           .backend = "    fullconn 20\n" + server_line("s", srv, server_opts)});
}

// Opens n sessions, one after another. Returns: their client sockets.
std::vector<UniqueFd> open_sessions(uint16_t port, int n) {
  std::vector<UniqueFd> fds;
  for (int i = 0; i < n; ++i) {
    fds.emplace_back(connect_tcp(port, milliseconds{1000}));
    std::this_thread::sleep_for(milliseconds{20});
  }
  return fds;
}

TEST(DynamicMaxconn, TheLimitFollowsTheBackendLoadBetweenMinconnAndMaxconn) {
  for (const std::string binary : kBinaries) {
    SCOPED_TRACE(name_of(binary));
    NameServer s("s");
    const uint16_t port = free_tcp_port();
    HearthProcess h(config(port, s.port(), "minconn 1 maxconn 4"), options_for(binary, port));
    ASSERT_TRUE(h.ready()) << h.describe();
    // 12 sessions: the first finds the server at minconn (load 1: limit 1);
    // the others queue behind it.
    std::vector<UniqueFd> fds = open_sessions(port, 12);
    std::this_thread::sleep_for(milliseconds{300});
    EXPECT_EQ(s.accepted(), 1u);
    // One ends: at a load of 11 of fullconn 20 the limit is 11 * 4 / 20 = 2,
    // so two queued sessions go.
    fds[0].reset();
    EXPECT_TRUE(s.wait_accepted(3, milliseconds{3000}));
    std::this_thread::sleep_for(milliseconds{300});
    EXPECT_EQ(s.accepted(), 3u);
    EXPECT_EQ(s.active(), 2);
  }
}

TEST(DynamicMaxconn, WithoutMinconnMaxconnIsAStaticLimit) {
  for (const std::string binary : kBinaries) {
    SCOPED_TRACE(name_of(binary));
    NameServer s("s");
    const uint16_t port = free_tcp_port();
    HearthProcess h(config(port, s.port(), "maxconn 4"), options_for(binary, port));
    ASSERT_TRUE(h.ready()) << h.describe();
    std::vector<UniqueFd> fds = open_sessions(port, 12);
    EXPECT_TRUE(s.wait_accepted(4, milliseconds{3000}));
    std::this_thread::sleep_for(milliseconds{300});
    EXPECT_EQ(s.accepted(), 4u);
  }
}

}  // namespace
}  // namespace hearth::test::tcp
