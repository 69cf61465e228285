#pragma once
// Typed memory pools. Every object that lives per connection or per stream comes
// from a Pool<T>: freed objects go to a free list of the freeing thread and are
// reused by the next allocation on that thread. Each pool keeps counters that
// `show pools` reports: objects allocated from the system, objects in use, and
// failed allocations (system refusal or the pool's configured limit).
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>
#include <string>
#include <utility>
#include <vector>

namespace hearth {

constexpr int kMaxThreads = 64;

// The calling thread's index in [0, kMaxThreads). Loops set it at start.
int thread_index();
void set_thread_index(int i);

struct PoolStats {
  std::string name;
  size_t object_size;
  uint64_t allocated;  // blocks obtained from the system and not yet returned
  uint64_t used;       // blocks handed out
  uint64_t failures;
};

// Untyped fixed-size block pool; Pool<T> and the buffer pool sit on it.
class BlockPool {
 public:
  BlockPool(std::string name, size_t block_size);
  ~BlockPool();
  BlockPool(const BlockPool&) = delete;
  BlockPool& operator=(const BlockPool&) = delete;

  // Returns: a block of block_size() bytes, or nullptr (counted as a failure) when
  // the system refuses or `used` would exceed the limit.
  void* get();
  void put(void* p);
  // 0 = unlimited. Used to make exhaustion refuse new work instead of crashing.
  void set_limit(uint64_t max_used) { limit_ = max_used; }
  size_t block_size() const { return size_; }
  // Frees every cached block of the calling thread back to the system.
  void trim_local();
  PoolStats stats() const;

  static std::vector<PoolStats> all_stats();

  // -m: every pool together takes at most `bytes` from the system (0: no
  // bound); past it, get() refuses (a failure, as for a pool's own limit)
  // until blocks go back to the system. Call before any thread allocates.
  static void set_budget(uint64_t bytes);
  // Returns: the bytes all pools hold from the system now.
  static uint64_t system_bytes();

  // -dM: every block get() hands out is first filled with `byte` (0-255);
  // -1 turns this off. Call before any thread allocates.
  static void set_poison(int byte);
  // Returns: the poison byte, or -1.
  static int poison();

 private:
  // Counts a refused allocation (process-wide and on the calling loop).
  void note_failure();
  // A block from the system: the budget's accounting around malloc/free.
  void* sys_alloc();
  void sys_free(void* p);
  struct FreeBlock {
    FreeBlock* next;
  };
  // Counters are per thread: each is written only by its thread (relaxed store,
  // no locked instruction on the hot path) and summed by stats().
  struct alignas(64) LocalList {
    FreeBlock* head = nullptr;
    uint32_t count = 0;
    std::atomic<int64_t> used{0};
    std::atomic<int64_t> allocated{0};
  };
  static void bump(std::atomic<int64_t>& c, int64_t d) {
    c.store(c.load(std::memory_order_relaxed) + d, std::memory_order_relaxed);
  }
  uint64_t used_total() const;
  static constexpr uint32_t kLocalCacheMax = 4096;

  std::string name_;
  size_t size_;
  uint64_t limit_ = 0;
  std::atomic<uint64_t> failures_{0};
  LocalList local_[kMaxThreads];
};

template <class T>
class Pool {
 public:
  explicit Pool(std::string name) : blocks_(std::move(name), sizeof(T) < 16 ? 16 : sizeof(T)) {}

  // Returns: a constructed T, or nullptr if the pool could not supply memory.
  template <class... Args>
  T* create(Args&&... args) {
    void* p = blocks_.get();
    if (!p) return nullptr;
    return new (p) T(std::forward<Args>(args)...);
  }
  void destroy(T* t) {
    if (!t) return;
    t->~T();
    blocks_.put(t);
  }
  BlockPool& blocks() { return blocks_; }

 private:
  BlockPool blocks_;
};

}  // namespace hearth
