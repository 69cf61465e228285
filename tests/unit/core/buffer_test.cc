#include "core/buffer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hearth {
namespace {

std::string contents(const Buffer& b) { return std::string(b.head(), b.len()); }

TEST(BufferTest, NewBufferHoldsNoStorage) {
  Buffer b;
  EXPECT_FALSE(b.allocated());
  EXPECT_EQ(b.size(), 0u);
  EXPECT_EQ(b.room(), 0u);
  EXPECT_EQ(b.contiguous_room(), 0u);
  EXPECT_TRUE(b.empty());
  EXPECT_FALSE(b.full());
}

TEST(BufferTest, AllocateAndReleaseReturnStorageToPool) {
  const uint64_t used0 = Buffer::pool().stats().used;
  {
    Buffer b;
    ASSERT_TRUE(b.allocate());
    EXPECT_TRUE(b.allocated());
    EXPECT_EQ(b.size(), Buffer::configured_size());
    EXPECT_EQ(Buffer::pool().stats().used, used0 + 1);
    EXPECT_TRUE(b.allocate());  // already held: no second block
    EXPECT_EQ(Buffer::pool().stats().used, used0 + 1);
    b.release();
    EXPECT_FALSE(b.allocated());
    EXPECT_EQ(Buffer::pool().stats().used, used0);
    b.release();  // harmless
    EXPECT_EQ(Buffer::pool().stats().used, used0);

    ASSERT_TRUE(b.allocate());
    EXPECT_EQ(Buffer::pool().stats().used, used0 + 1);
  }
  // The destructor hands it back.
  EXPECT_EQ(Buffer::pool().stats().used, used0);
}

TEST(BufferTest, BlockSizeCoversConfiguredSize) {
  EXPECT_GE(Buffer::pool().block_size(), Buffer::configured_size());
}

TEST(BufferTest, AppendAllocatesAndConsumeAdvances) {
  const uint64_t used0 = Buffer::pool().stats().used;
  Buffer b;
  EXPECT_EQ(b.append("hello world", 11), 11u);
  EXPECT_TRUE(b.allocated());
  EXPECT_EQ(Buffer::pool().stats().used, used0 + 1);
  EXPECT_EQ(b.len(), 11u);
  EXPECT_EQ(contents(b), "hello world");
  EXPECT_EQ(b.room(), Buffer::configured_size() - 11);

  b.consume(6);
  EXPECT_EQ(contents(b), "world");
  EXPECT_EQ(b.append("!", 1), 1u);
  EXPECT_EQ(contents(b), "world!");

  b.consume(100);  // more than held: empties
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(b.len(), 0u);
  EXPECT_TRUE(b.allocated());
}

TEST(BufferTest, AppendStopsWhenFull) {
  const size_t size = Buffer::configured_size();
  Buffer b;
  std::string big(size + 100, 'x');
  big[0] = 'A';
  big[size - 1] = 'Z';
  EXPECT_EQ(b.append(big.data(), big.size()), size);
  EXPECT_TRUE(b.full());
  EXPECT_EQ(b.room(), 0u);
  EXPECT_EQ(b.contiguous_room(), 0u);
  EXPECT_EQ(b.append("y", 1), 0u);
  EXPECT_EQ(b.head()[0], 'A');
  EXPECT_EQ(b.head()[size - 1], 'Z');
}

TEST(BufferTest, ContiguousRoomRealignsWhenTailHitsEnd) {
  const size_t size = Buffer::configured_size();
  Buffer b;
  std::string data(size, 'a');
  for (size_t i = 0; i < size; ++i) data[i] = char('a' + i % 26);
  ASSERT_EQ(b.append(data.data(), size), size);
  b.consume(size - 10);
  EXPECT_FALSE(b.full());
  EXPECT_EQ(b.room(), size - 10);
  // The data sits at the very end: only realigning gives contiguous room.
  EXPECT_EQ(b.contiguous_room(), size - 10);
  EXPECT_EQ(contents(b), data.substr(size - 10));
  EXPECT_EQ(b.append("0123", 4), 4u);
  EXPECT_EQ(contents(b), data.substr(size - 10) + "0123");
}

TEST(BufferTest, ContiguousRoomRealignsWhenMostFreeSpaceIsAtFront) {
  const size_t size = Buffer::configured_size();
  Buffer b;
  std::string data(size - 100, 'q');
  data.back() = 'E';
  ASSERT_EQ(b.append(data.data(), data.size()), data.size());
  b.consume(size - 200);  // 100 bytes left, 100 free at the end, size-200 at the front
  EXPECT_EQ(b.len(), 100u);
  EXPECT_EQ(b.contiguous_room(), size - 100);
  EXPECT_EQ(b.len(), 100u);
  EXPECT_EQ(b.head()[99], 'E');
}

TEST(BufferTest, ContiguousRoomKeepsLayoutWhenTailRoomIsLarge) {
  const size_t size = Buffer::configured_size();
  Buffer b;
  ASSERT_EQ(b.append("abcdefghij", 10), 10u);
  const char* head_before = b.head();
  b.consume(5);
  EXPECT_EQ(b.head(), head_before + 5);
  // Free space at the end (size-10) dwarfs the 5 bytes at the front: no move.
  EXPECT_EQ(b.contiguous_room(), size - 10);
  EXPECT_EQ(b.head(), head_before + 5);
  EXPECT_EQ(contents(b), "fghij");
}

TEST(BufferTest, EmptyBufferRestartsAtFront) {
  const size_t size = Buffer::configured_size();
  Buffer b;
  ASSERT_EQ(b.append("abcdefghij", 10), 10u);
  b.consume(10);
  EXPECT_EQ(b.contiguous_room(), size);
}

TEST(BufferTest, TailAndCommitWriteInPlace) {
  Buffer b;
  ASSERT_TRUE(b.allocate());
  char* t = b.tail();
  std::memcpy(t, "xyz", 3);
  b.commit(3);
  EXPECT_EQ(contents(b), "xyz");
  EXPECT_EQ(b.tail(), t + 3);
  b.clear();
  EXPECT_TRUE(b.empty());
  EXPECT_TRUE(b.allocated());
}

TEST(BufferTest, ReleaseIfEmptyOnlyReleasesEmptyBuffers) {
  const uint64_t used0 = Buffer::pool().stats().used;
  Buffer b;
  ASSERT_EQ(b.append("data", 4), 4u);
  b.release_if_empty();
  EXPECT_TRUE(b.allocated());
  EXPECT_EQ(Buffer::pool().stats().used, used0 + 1);
  b.consume(4);
  b.release_if_empty();
  EXPECT_FALSE(b.allocated());
  EXPECT_EQ(Buffer::pool().stats().used, used0);
  b.release_if_empty();  // no storage: still fine
  EXPECT_FALSE(b.allocated());
}

TEST(BufferTest, ManyBuffersReuseReleasedBlocks) {
  const uint64_t alloc0 = Buffer::pool().stats().allocated;
  const uint64_t used0 = Buffer::pool().stats().used;
  {
    std::vector<Buffer> bufs(8);
    for (auto& b : bufs) ASSERT_TRUE(b.allocate());
    EXPECT_EQ(Buffer::pool().stats().used, used0 + 8);
  }
  EXPECT_EQ(Buffer::pool().stats().used, used0);
  const uint64_t alloc1 = Buffer::pool().stats().allocated;
  EXPECT_GE(alloc1, alloc0);
  {
    std::vector<Buffer> bufs(8);
    for (auto& b : bufs) ASSERT_TRUE(b.allocate());
  }
  // The second round is served from the free list.
  EXPECT_EQ(Buffer::pool().stats().allocated, alloc1);
}

TEST(BufferTest, ExhaustedPoolMakesAllocateFail) {
  Buffer keep;  // makes `used` at least 1, since a limit of 0 means unlimited
  ASSERT_TRUE(keep.allocate());
  const uint64_t used0 = Buffer::pool().stats().used;
  const uint64_t fail0 = Buffer::pool().stats().failures;
  Buffer::pool().set_limit(used0);
  Buffer b;
  EXPECT_FALSE(b.allocate());
  EXPECT_EQ(b.append("x", 1), 0u);
  EXPECT_FALSE(b.allocated());
  Buffer::pool().set_limit(0);
  EXPECT_EQ(Buffer::pool().stats().failures, fail0 + 2);
  EXPECT_TRUE(b.allocate());
}

}  // namespace
}  // namespace hearth
