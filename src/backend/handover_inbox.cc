#include "backend/handover_inbox.h"

#include <unistd.h>

namespace hearth::backend {

HandoverInbox::~HandoverInbox() {
  for (const Entry& e : entries_) close(e.fd);
}

void HandoverInbox::push(const Entry& e) {
  std::lock_guard<std::mutex> g(mu_);
  entries_.push_back(e);
  count_.store(int(entries_.size()), std::memory_order_relaxed);
}

std::optional<HandoverInbox::Entry> HandoverInbox::pop() {
  std::lock_guard<std::mutex> g(mu_);
  if (entries_.empty()) return std::nullopt;
  Entry e = entries_.back();
  entries_.pop_back();
  count_.store(int(entries_.size()), std::memory_order_relaxed);
  return e;
}

std::vector<HandoverInbox::Entry> HandoverInbox::take_arrived_before(int64_t before_ms) {
  std::lock_guard<std::mutex> g(mu_);
  std::vector<Entry> out, keep;
  for (const Entry& e : entries_) (e.arrived_ms < before_ms ? out : keep).push_back(e);
  entries_.swap(keep);
  count_.store(int(entries_.size()), std::memory_order_relaxed);
  return out;
}

}  // namespace hearth::backend
