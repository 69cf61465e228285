#include "core/per_thread.h"

namespace hearth {
namespace {
std::atomic<int> g_stat_threads{1};
}  // namespace

namespace detail {
thread_local int t_stat_owner = -1;
}  // namespace detail

void set_stat_threads(int n) {
  g_stat_threads.store(n > 0 && n <= kMaxThreads ? n : kMaxThreads, std::memory_order_relaxed);
}
int stat_threads() { return g_stat_threads.load(std::memory_order_relaxed); }

}  // namespace hearth
