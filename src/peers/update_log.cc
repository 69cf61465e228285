#include "peers/update_log.h"

#include <mutex>

#include "core/pool.h"

namespace hearth::peers {

ChangeQueues::ChangeQueues(int threads) {
  for (int i = 0; i <= threads; ++i) queues_.push_back(std::make_unique<Queue>());
}

bool ChangeQueues::push(uint16_t table, std::string_view key) {
  const int t = thread_index();
  Queue& q = *queues_[t >= 0 && size_t(t) + 1 < queues_.size() ? size_t(t) + 1 : 0];
  const size_t n = std::min<size_t>(key.size(), 0xffff);
  const char head[4] = {char(table & 0xff), char(table >> 8), char(n & 0xff), char(n >> 8)};
  {
    std::lock_guard<stick::SpinLock> g(q.mu);
    q.bytes.append(head, 4).append(key.data(), n);
  }
  return !pending_.exchange(true, std::memory_order_acq_rel);
}

uint32_t UpdateLog::add(std::string_view key) {
  std::string k(key);
  auto it = id_of_.find(k);
  if (it != id_of_.end()) {
    by_id_.erase(it->second);
  } else {
    it = id_of_.emplace(k, 0).first;
  }
  it->second = ++head_;
  by_id_.emplace(head_, std::move(k));
  return head_;
}

bool UpdateLog::next(uint32_t after, uint32_t* id, const std::string** key) const {
  auto it = by_id_.upper_bound(after);
  if (it == by_id_.end()) return false;
  *id = it->first;
  *key = &it->second;
  return true;
}

void UpdateLog::drop(uint32_t id) {
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return;
  id_of_.erase(it->second);
  by_id_.erase(it);
}

}  // namespace hearth::peers
