#include "core/pool.h"

#include <cstdlib>
#include <cstring>
#include <mutex>

#include "core/loop_activity.h"
#include "core/per_thread.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
// A block on a free list is poisoned: a pointer kept to a freed object is
// reported by ASan at its first use, as for malloc'ed memory.
#define HEARTH_POISON_BLOCK(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define HEARTH_UNPOISON_BLOCK(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define HEARTH_POISON_BLOCK(p, n) ((void)(p), (void)(n))
#define HEARTH_UNPOISON_BLOCK(p, n) ((void)(p), (void)(n))
#endif

namespace hearth {
namespace {

thread_local int t_thread_index = 0;
// -dM: the byte every block is filled with when handed out; -1: none. Set
// once at startup, before any thread runs.
int g_poison_byte = -1;
// -m: the bytes the pools may hold from the system (0: no bound), and what
// they hold now (every pool, every thread).
uint64_t g_budget = 0;
std::atomic<uint64_t> g_sys_bytes{0};

std::mutex& registry_mutex() {
  static std::mutex m;
  return m;
}
std::vector<BlockPool*>& registry() {
  static std::vector<BlockPool*> r;
  return r;
}

}  // namespace

int thread_index() { return t_thread_index; }

void BlockPool::set_poison(int byte) { g_poison_byte = byte; }
int BlockPool::poison() { return g_poison_byte; }
void BlockPool::set_budget(uint64_t bytes) { g_budget = bytes; }
uint64_t BlockPool::system_bytes() { return g_sys_bytes.load(std::memory_order_relaxed); }

void* BlockPool::sys_alloc() {
  const uint64_t before = g_sys_bytes.fetch_add(size_, std::memory_order_relaxed);
  void* p = g_budget && before + size_ > g_budget ? nullptr : std::malloc(size_);
  if (!p) g_sys_bytes.fetch_sub(size_, std::memory_order_relaxed);
  return p;
}

void BlockPool::sys_free(void* p) {
  std::free(p);
  g_sys_bytes.fetch_sub(size_, std::memory_order_relaxed);
}

void set_thread_index(int i) {
  t_thread_index = i % kMaxThreads;
  detail::t_stat_owner = t_thread_index;  // a worker: the owner of its counter blocks
}

BlockPool::BlockPool(std::string name, size_t block_size)
    : name_(std::move(name)), size_((block_size + 15) & ~size_t(15)) {
  std::lock_guard<std::mutex> g(registry_mutex());
  registry().push_back(this);
}

BlockPool::~BlockPool() {
  {
    std::lock_guard<std::mutex> g(registry_mutex());
    auto& r = registry();
    for (size_t i = 0; i < r.size(); ++i)
      if (r[i] == this) {
        r.erase(r.begin() + i);
        break;
      }
  }
  for (auto& l : local_) {
    while (l.head) {
      FreeBlock* b = l.head;
      HEARTH_UNPOISON_BLOCK(b, size_);
      l.head = b->next;
      sys_free(b);
    }
  }
}

uint64_t BlockPool::used_total() const {
  int64_t n = 0;
  for (const auto& l : local_) n += l.used.load(std::memory_order_relaxed);
  return n < 0 ? 0 : uint64_t(n);
}

void BlockPool::note_failure() {
  failures_.fetch_add(1, std::memory_order_relaxed);
  if (LoopActivity* a = current_activity()) a->pool_fail.add();
}

void* BlockPool::get() {
  if (limit_ && used_total() >= limit_) {
    note_failure();
    return nullptr;
  }
  LocalList& l = local_[thread_index()];
  void* p;
  if (l.head) {
    FreeBlock* b = l.head;
    HEARTH_UNPOISON_BLOCK(b, size_);
    l.head = b->next;
    --l.count;
    p = b;
  } else {
    p = sys_alloc();
    if (!p) {
      note_failure();
      return nullptr;
    }
    bump(l.allocated, 1);
  }
  bump(l.used, 1);
  // A fresh or recycled block must not look initialised: code that reads a
  // field it never wrote sees the pattern, not a lucky zero.
  if (g_poison_byte >= 0) std::memset(p, g_poison_byte, size_);
  return p;
}

void BlockPool::put(void* p) {
  LocalList& l = local_[thread_index()];
  bump(l.used, -1);
  if (l.count >= kLocalCacheMax) {
    sys_free(p);
    bump(l.allocated, -1);
    return;
  }
  FreeBlock* b = static_cast<FreeBlock*>(p);
  b->next = l.head;
  l.head = b;
  ++l.count;
  HEARTH_POISON_BLOCK(b, size_);
}

void BlockPool::trim_local() {
  LocalList& l = local_[thread_index()];
  while (l.head) {
    FreeBlock* b = l.head;
    HEARTH_UNPOISON_BLOCK(b, size_);
    l.head = b->next;
    sys_free(b);
    bump(l.allocated, -1);
  }
  l.count = 0;
}

PoolStats BlockPool::stats() const {
  int64_t allocated = 0;
  for (const auto& l : local_) allocated += l.allocated.load(std::memory_order_relaxed);
  return PoolStats{name_, size_, allocated < 0 ? 0 : uint64_t(allocated), used_total(),
                   failures_.load()};
}

std::vector<PoolStats> BlockPool::all_stats() {
  std::lock_guard<std::mutex> g(registry_mutex());
  std::vector<PoolStats> out;
  for (BlockPool* p : registry()) out.push_back(p->stats());
  return out;
}

}  // namespace hearth
