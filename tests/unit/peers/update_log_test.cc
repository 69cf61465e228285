// The per-table log of local updates, and the per-thread change queues.
#include "peers/update_log.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/pool.h"

namespace hearth::peers {
namespace {

TEST(UpdateLog, OneRecordPerKeyWithItsNewestId) {
  UpdateLog log;
  EXPECT_EQ(log.add("a"), 1u);
  EXPECT_EQ(log.add("b"), 2u);
  EXPECT_EQ(log.add("a"), 3u);  // moves after b
  EXPECT_EQ(log.size(), 2u);
  uint32_t id;
  const std::string* key;
  ASSERT_TRUE(log.next(0, &id, &key));
  EXPECT_EQ(id, 2u);
  EXPECT_EQ(*key, "b");
  ASSERT_TRUE(log.next(2, &id, &key));
  EXPECT_EQ(*key, "a");
  EXPECT_FALSE(log.next(3, &id, &key));
  log.drop(2);
  ASSERT_TRUE(log.next(0, &id, &key));
  EXPECT_EQ(*key, "a");
  EXPECT_EQ(log.add("b"), 4u);  // a dropped key comes back as new
}

TEST(UpdateLog, SweepDropsGoneKeysAroundACircle) {
  UpdateLog log;
  for (int i = 0; i < 10; ++i) log.add("k" + std::to_string(i));
  std::set<std::string> gone = {"k1", "k5", "k9"};
  auto is_gone = [&](const std::string& k) { return gone.count(k) > 0; };
  EXPECT_EQ(log.sweep(4, is_gone), 1u);  // k0..k3
  EXPECT_EQ(log.sweep(4, is_gone), 1u);  // k4..k7
  EXPECT_EQ(log.sweep(4, is_gone), 1u);  // k8, k9, then around: k0, k2
  EXPECT_EQ(log.size(), 7u);
  EXPECT_EQ(log.sweep(100, is_gone), 0u);
}

TEST(ChangeQueues, EveryThreadsRecordsArriveAndTheFirstWakes) {
  ChangeQueues q(4);
  EXPECT_TRUE(q.push(1, "x"));   // the first since the last drain: wake
  EXPECT_FALSE(q.push(2, "y"));  // already pending
  std::vector<std::thread> ts;
  for (int t = 0; t < 4; ++t)
    ts.emplace_back([&q, t] {
      set_thread_index(t);
      for (int i = 0; i < 1000; ++i)
        q.push(uint16_t(t), "t" + std::to_string(t) + "-" + std::to_string(i));
    });
  for (auto& t : ts) t.join();
  size_t n = 0;
  std::set<std::string> seen;
  q.drain([&](uint16_t table, std::string_view key) {
    ++n;
    seen.insert(std::to_string(table) + ":" + std::string(key));
  });
  EXPECT_EQ(n, 4002u);
  EXPECT_EQ(seen.size(), 4002u);
  EXPECT_TRUE(seen.count("3:t3-999"));
  EXPECT_TRUE(q.push(0, "again"));  // drained: the next push wakes again
}

}  // namespace
}  // namespace hearth::peers
