#include "core/pool.h"

#include <cstdlib>
#include <mutex>

namespace hearth {
namespace {

thread_local int t_thread_index = 0;

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
void set_thread_index(int i) { t_thread_index = i % kMaxThreads; }

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
      l.head = b->next;
      std::free(b);
    }
  }
}

void* BlockPool::get() {
  if (limit_ && used_.load(std::memory_order_relaxed) >= limit_) {
    failures_.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  LocalList& l = local_[thread_index()];
  void* p;
  if (l.head) {
    FreeBlock* b = l.head;
    l.head = b->next;
    --l.count;
    p = b;
  } else {
    p = std::malloc(size_);
    if (!p) {
      failures_.fetch_add(1, std::memory_order_relaxed);
      return nullptr;
    }
    allocated_.fetch_add(1, std::memory_order_relaxed);
  }
  used_.fetch_add(1, std::memory_order_relaxed);
  return p;
}

void BlockPool::put(void* p) {
  used_.fetch_sub(1, std::memory_order_relaxed);
  LocalList& l = local_[thread_index()];
  if (l.count >= kLocalCacheMax) {
    std::free(p);
    allocated_.fetch_sub(1, std::memory_order_relaxed);
    return;
  }
  FreeBlock* b = static_cast<FreeBlock*>(p);
  b->next = l.head;
  l.head = b;
  ++l.count;
}

void BlockPool::trim_local() {
  LocalList& l = local_[thread_index()];
  while (l.head) {
    FreeBlock* b = l.head;
    l.head = b->next;
    std::free(b);
    allocated_.fetch_sub(1, std::memory_order_relaxed);
  }
  l.count = 0;
}

PoolStats BlockPool::stats() const {
  return PoolStats{name_, size_, allocated_.load(), used_.load(), failures_.load()};
}

std::vector<PoolStats> BlockPool::all_stats() {
  std::lock_guard<std::mutex> g(registry_mutex());
  std::vector<PoolStats> out;
  for (BlockPool* p : registry()) out.push_back(p->stats());
  return out;
}

}  // namespace hearth
