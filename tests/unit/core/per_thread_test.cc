#include "core/per_thread.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace hearth {
namespace {

struct Block {
  Tally a, b;
};

// Worker threads write their own blocks with plain stores; a reader sums.
TEST(PerThread, WorkersCountInTheirOwnBlocksAndReadersSum) {
  const int saved = stat_threads();
  set_stat_threads(4);
  PerThread<Block> c;
  std::vector<std::thread> ts;
  for (int i = 0; i < 4; ++i)
    ts.emplace_back([&c, i] {
      set_thread_index(i);
      for (int k = 0; k < 100000; ++k) c.local().a.add();
      c.local().b.add(uint64_t(i));
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(c.sum(&Block::a), 400000u);
  EXPECT_EQ(c.sum(&Block::b), 0u + 1 + 2 + 3);
  int blocks_used = 0;
  c.each([&](const Block& b) { blocks_used += b.a.get() > 0; });
  EXPECT_EQ(blocks_used, 4);  // one block each, the shared one untouched
  set_stat_threads(saved);
}

// Threads that are not workers share one block and must not lose counts.
TEST(PerThread, NonWorkersShareOneBlockWithAtomicAdds) {
  PerThread<Block> c;
  std::vector<std::thread> ts;
  for (int i = 0; i < 4; ++i)
    ts.emplace_back([&c] {
      for (int k = 0; k < 50000; ++k) c.local().a.add();
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(c.sum(&Block::a), 200000u);
}

// A block made before set_stat_threads() grew keeps its size: a worker past
// it falls back on the shared block rather than writing out of bounds.
TEST(PerThread, WorkerBeyondTheBlocksUsesTheSharedOne) {
  const int saved = stat_threads();
  set_stat_threads(1);
  PerThread<Block> c;
  std::thread t([&c] {
    set_thread_index(3);
    c.local().a.add(5);
  });
  t.join();
  EXPECT_EQ(c.sum(&Block::a), 5u);
  c.reset();
  EXPECT_EQ(c.sum(&Block::a), 0u);
  set_stat_threads(saved);
}

}  // namespace
}  // namespace hearth
