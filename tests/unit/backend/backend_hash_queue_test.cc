// A hashing algorithm's key designates one server: when that server is full,
// the session waits for it (as HAProxy queues it on that server) instead of
// moving to another that has room; it goes elsewhere only if that server
// goes down meanwhile, or its queue is full and redispatch is on.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "backend/backend.h"
#include "core/event_loop.h"

namespace hearth::backend {
namespace {

struct Waker {
  Tasklet t{&Waker::run, this};
  int runs = 0;
  static void run(Tasklet*, void* ctx, uint32_t) { ++static_cast<Waker*>(ctx)->runs; }
};

class HashQueueTest : public ::testing::TestWithParam<config::HashMethod> {
 protected:
  HashQueueTest() : be_("b", LbKind::kUri, 2) {
    be_.settings.hash_type.method = GetParam();
    for (int i = 0; i < 3; ++i) {
      auto s = std::make_unique<Server>();
      s->name = "s" + std::to_string(i + 1);
      s->maxconn = 1;
      be_.add_server(std::move(s));
    }
    be_.finalize();
  }

  static LbRequest keyed(uint32_t key) {
    LbRequest r;
    r.key = key;
    r.has_key = true;
    return r;
  }

  // Runs the wake-ups grants posted (each holds a reference to its waiter).
  void deliver() {
    for (int i = 0; i < 3; ++i) loop_.run_once(0);
  }

  EventLoop loop_;
  Backend be_;
};

TEST_P(HashQueueTest, FullKeyServerIsWaitedFor) {
  const LbRequest r = keyed(0x12345678);
  Server* home = nullptr;
  QueueWaiter* w = nullptr;
  Waker a, b;
  ASSERT_EQ(be_.take(r, &home, &loop_, &a.t, &w), TakeResult::kAssigned);
  Server* got = nullptr;
  ASSERT_EQ(be_.take(r, &got, &loop_, &b.t, &w), TakeResult::kQueued)
      << "others have room, but the key leads to a full server";
  EXPECT_EQ(be_.server_queue_length(home), 1u);
  // A keyless session is not held back by it.
  Server* other = nullptr;
  QueueWaiter* none = nullptr;
  Waker c;
  ASSERT_EQ(be_.take({}, &other, &loop_, &c.t, &none), TakeResult::kAssigned);
  EXPECT_NE(other, home);
  be_.release(home);  // the waiter gets its server
  EXPECT_EQ(be_.cancel_wait(w), home);
  deliver();
  be_.release(home);
  be_.release(other);
}

TEST_P(HashQueueTest, WaiterMovesOnWhenItsServerGoesDown) {
  const LbRequest r = keyed(0x9abcdef0);
  Server* home = nullptr;
  QueueWaiter* w = nullptr;
  Waker a, b;
  ASSERT_EQ(be_.take(r, &home, &loop_, &a.t, &w), TakeResult::kAssigned);
  Server* got = nullptr;
  ASSERT_EQ(be_.take(r, &got, &loop_, &b.t, &w), TakeResult::kQueued);
  home->up.store(false);
  be_.servers_changed();
  Server* moved = be_.cancel_wait(w);
  deliver();
  ASSERT_NE(moved, nullptr);
  EXPECT_NE(moved, home);
  be_.release(moved);
  be_.release(home);
}

TEST_P(HashQueueTest, FullQueueWithRedispatchTakesAnotherServer) {
  for (auto& s : be_.servers()) s->maxqueue = 1;
  be_.settings.redispatch = true;
  const LbRequest r = keyed(0x0badcafe);
  Server* home = nullptr;
  QueueWaiter* w1 = nullptr;
  QueueWaiter* w2 = nullptr;
  Waker a, b, c;
  ASSERT_EQ(be_.take(r, &home, &loop_, &a.t, &w1), TakeResult::kAssigned);
  Server* got = nullptr;
  ASSERT_EQ(be_.take(r, &got, &loop_, &b.t, &w1), TakeResult::kQueued);
  ASSERT_EQ(be_.take(r, &got, &loop_, &c.t, &w2), TakeResult::kAssigned);
  EXPECT_NE(got, home);
  EXPECT_EQ(be_.cancel_wait(w1), nullptr);
  be_.release(got);
  be_.release(home);
}

INSTANTIATE_TEST_SUITE_P(
    Methods, HashQueueTest,
    ::testing::Values(config::HashMethod::kMapBased, config::HashMethod::kConsistent),
    [](const ::testing::TestParamInfo<config::HashMethod>& i) {
      return std::string(i.param == config::HashMethod::kMapBased ? "MapBased" : "Consistent");
    });

}  // namespace
}  // namespace hearth::backend
