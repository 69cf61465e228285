#include "core/pool.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace hearth {
namespace {

struct Widget {
  int a;
  double b;
  char pad[40];
  static inline int live = 0;
  Widget(int x, double y) : a(x), b(y) { ++live; }
  ~Widget() { --live; }
};

const PoolStats* find_stats(const std::vector<PoolStats>& all, const std::string& name) {
  for (const auto& s : all)
    if (s.name == name) return &s;
  return nullptr;
}

TEST(PoolTest, CreateConstructsAndDestroyDestructs) {
  Pool<Widget> pool("test_widget_ctor");
  Widget* w = pool.create(7, 2.5);
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->a, 7);
  EXPECT_EQ(w->b, 2.5);
  EXPECT_EQ(Widget::live, 1);
  pool.destroy(w);
  EXPECT_EQ(Widget::live, 0);
  pool.destroy(nullptr);  // harmless
  EXPECT_EQ(pool.blocks().stats().used, 0u);
}

TEST(PoolTest, DestroyThenCreateReusesSameAddressOnSameThread) {
  Pool<Widget> pool("test_widget_reuse");
  Widget* w1 = pool.create(1, 1.0);
  ASSERT_NE(w1, nullptr);
  pool.destroy(w1);
  Widget* w2 = pool.create(2, 2.0);
  EXPECT_EQ(w2, w1);
  EXPECT_EQ(w2->a, 2);
  EXPECT_EQ(pool.blocks().stats().allocated, 1u);
  pool.destroy(w2);
}

TEST(PoolTest, CountersTrackAllocatedAndUsed) {
  Pool<Widget> pool("test_widget_counters");
  PoolStats s = pool.blocks().stats();
  EXPECT_EQ(s.name, "test_widget_counters");
  EXPECT_GE(s.object_size, sizeof(Widget));
  EXPECT_EQ(s.object_size % 16, 0u);
  EXPECT_EQ(s.allocated, 0u);
  EXPECT_EQ(s.used, 0u);
  EXPECT_EQ(s.failures, 0u);

  std::vector<Widget*> ws;
  for (int i = 0; i < 5; ++i) ws.push_back(pool.create(i, 0.0));
  s = pool.blocks().stats();
  EXPECT_EQ(s.allocated, 5u);
  EXPECT_EQ(s.used, 5u);

  pool.destroy(ws[0]);
  pool.destroy(ws[1]);
  s = pool.blocks().stats();
  EXPECT_EQ(s.allocated, 5u);  // cached on the free list, not returned
  EXPECT_EQ(s.used, 3u);

  ws[0] = pool.create(9, 0.0);
  s = pool.blocks().stats();
  EXPECT_EQ(s.allocated, 5u);
  EXPECT_EQ(s.used, 4u);

  pool.destroy(ws[0]);
  for (int i = 2; i < 5; ++i) pool.destroy(ws[i]);
  pool.blocks().trim_local();
  s = pool.blocks().stats();
  EXPECT_EQ(s.used, 0u);
  EXPECT_EQ(s.allocated, 0u);
  EXPECT_EQ(s.failures, 0u);
}

TEST(PoolTest, SmallTypesGetAtLeastSixteenBytes) {
  Pool<char> pool("test_tiny");
  EXPECT_EQ(pool.blocks().block_size(), 16u);
}

// -m: all pools together hold at most the budget from the system; blocks
// cached on a free list stay counted (they are still the process's), and a
// block given back to the system makes room again.
TEST(PoolTest, BudgetBoundsWhatAllPoolsTakeFromTheSystem) {
  BlockPool a("test_budget_a", 1000), b("test_budget_b", 3000);
  const uint64_t base = BlockPool::system_bytes();
  BlockPool::set_budget(base + 8192);
  void* a1 = a.get();  // 1008 (rounded to 16)
  void* b1 = b.get();  // 3008
  void* b2 = b.get();  // 3008: 7024 in all
  ASSERT_NE(a1, nullptr);
  ASSERT_NE(b1, nullptr);
  ASSERT_NE(b2, nullptr);
  EXPECT_EQ(b.get(), nullptr) << "7024 + 3008 is past 8192";
  void* a2 = a.get();  // 8032: still within
  EXPECT_NE(a2, nullptr);
  EXPECT_EQ(a.get(), nullptr);
  EXPECT_EQ(a.stats().failures, 1u);
  EXPECT_EQ(b.stats().failures, 1u);
  EXPECT_EQ(BlockPool::system_bytes() - base, 8032u);
  b.put(b1);  // cached: still counted, and reused by the next get
  EXPECT_EQ(b.get(), b1);
  b.put(b1);
  b.trim_local();  // back to the system: room for one more of a's
  EXPECT_EQ(BlockPool::system_bytes() - base, 5024u);
  void* a3 = a.get();
  EXPECT_NE(a3, nullptr);
  BlockPool::set_budget(0);
  for (void* p : {a1, a2, a3}) a.put(p);
  b.put(b2);
  a.trim_local();
  b.trim_local();
  EXPECT_EQ(BlockPool::system_bytes(), base);
}

TEST(PoolTest, LimitMakesCreateFailAndCountsFailures) {
  Pool<Widget> pool("test_widget_limit");
  pool.blocks().set_limit(2);
  Widget* a = pool.create(1, 0.0);
  Widget* b = pool.create(2, 0.0);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(pool.create(3, 0.0), nullptr);
  EXPECT_EQ(pool.create(4, 0.0), nullptr);
  PoolStats s = pool.blocks().stats();
  EXPECT_EQ(s.failures, 2u);
  EXPECT_EQ(s.used, 2u);
  EXPECT_EQ(Widget::live, 2);  // nothing constructed for the refused ones

  pool.destroy(a);
  Widget* c = pool.create(5, 0.0);
  EXPECT_NE(c, nullptr);  // room again below the limit

  pool.blocks().set_limit(0);  // unlimited
  Widget* d = pool.create(6, 0.0);
  EXPECT_NE(d, nullptr);
  EXPECT_EQ(pool.blocks().stats().failures, 2u);
  pool.destroy(b);
  pool.destroy(c);
  pool.destroy(d);
}

TEST(PoolTest, AllStatsListsNamedPoolUntilDestroyed) {
  {
    Pool<Widget> pool("test_widget_listed");
    Widget* w = pool.create(1, 0.0);
    const auto all = BlockPool::all_stats();
    const PoolStats* s = find_stats(all, "test_widget_listed");
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->used, 1u);
    EXPECT_EQ(s->allocated, 1u);
    pool.destroy(w);
  }
  EXPECT_EQ(find_stats(BlockPool::all_stats(), "test_widget_listed"), nullptr);
}

TEST(PoolTest, FreeListsArePerThread) {
  Pool<Widget> pool("test_widget_threads");
  set_thread_index(0);
  Widget* main_w = pool.create(1, 0.0);
  pool.destroy(main_w);  // cached on thread 0's list

  Widget* other_first = nullptr;
  Widget* other_second = nullptr;
  std::thread t([&] {
    set_thread_index(1);
    EXPECT_EQ(thread_index(), 1);
    // Thread 1's list is empty: it must not take thread 0's cached block.
    other_first = pool.create(2, 0.0);
    pool.destroy(other_first);
    // ... but it reuses its own.
    other_second = pool.create(3, 0.0);
  });
  t.join();
  EXPECT_NE(other_first, main_w);
  EXPECT_EQ(other_second, other_first);
  EXPECT_EQ(pool.blocks().stats().allocated, 2u);

  // Thread 0 still finds its own cached block.
  Widget* again = pool.create(4, 0.0);
  EXPECT_EQ(again, main_w);

  // A block freed on thread 0 (though allocated on thread 1) joins thread 0's list.
  pool.destroy(other_second);
  pool.destroy(again);
  Widget* x = pool.create(5, 0.0);
  Widget* y = pool.create(6, 0.0);
  EXPECT_EQ(x, main_w);  // LIFO: last freed first
  EXPECT_EQ(y, other_second);
  EXPECT_EQ(pool.blocks().stats().allocated, 2u);
  EXPECT_EQ(pool.blocks().stats().used, 2u);
  pool.destroy(x);
  pool.destroy(y);
}

TEST(PoolTest, ThreadIndexWrapsAtMax) {
  std::thread t([] {
    set_thread_index(kMaxThreads + 3);
    EXPECT_EQ(thread_index(), 3);
  });
  t.join();
}

}  // namespace
}  // namespace hearth

namespace hearth {
namespace {

// -dM: a block handed out is filled with the poison byte, both when it comes
// from malloc and when it is recycled from the free list (where it still holds
// what its last user wrote).
TEST(PoolPoisonTest, BlocksAreFilledWithThePoisonByteWhenHandedOut) {
  BlockPool pool("poison-test", 64);
  BlockPool::set_poison(0x50);
  auto* fresh = static_cast<unsigned char*>(pool.get());
  ASSERT_NE(fresh, nullptr);
  for (size_t i = 0; i < pool.block_size(); ++i) ASSERT_EQ(fresh[i], 0x50) << "byte " << i;
  std::memset(fresh, 0xAB, pool.block_size());
  pool.put(fresh);
  BlockPool::set_poison(0);  // -dM0: blocks come out zeroed
  auto* recycled = static_cast<unsigned char*>(pool.get());
  ASSERT_EQ(recycled, fresh);  // the same block, reused from the free list
  for (size_t i = 0; i < pool.block_size(); ++i) ASSERT_EQ(recycled[i], 0) << "byte " << i;
  std::memset(recycled, 0xAB, pool.block_size());
  pool.put(recycled);
  BlockPool::set_poison(-1);  // off: the block keeps what it held, except the free-list link
  auto* plain = static_cast<unsigned char*>(pool.get());
  ASSERT_EQ(plain, fresh);
  EXPECT_EQ(plain[pool.block_size() - 1], 0xAB);
  pool.put(plain);
}

}  // namespace
}  // namespace hearth
