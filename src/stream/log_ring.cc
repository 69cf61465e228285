#include "stream/log_ring.h"

#include <algorithm>
#include <cstring>

#include "core/event_loop.h"
#include "stream/log_sink.h"

namespace hearth::stream {
namespace {

constexpr size_t kLenBytes = 4;

std::vector<std::shared_ptr<LogRing>>& registry() {
  static std::vector<std::shared_ptr<LogRing>> rings;
  return rings;
}

}  // namespace

// The buffer is not initialised: a large ring that stays empty (buf0)
// costs address space, not memory.
LogRing::LogRing(const config::RingConfig& cfg)
    : cfg_(cfg), cap_(std::max<size_t>(cfg.size, 64)), buf_(new char[cap_]) {
  for (size_t i = 0; i < cfg.servers.size(); ++i) readers_.push_back(std::make_unique<Reader>());
}

const std::string& LogRing::description() const {
  return cfg_.description.empty() ? cfg_.name : cfg_.description;
}

void LogRing::copy_in(size_t off, const char* src, size_t n) {
  const size_t first = std::min(n, cap_ - off);
  memcpy(buf_.get() + off, src, first);
  memcpy(buf_.get(), src + first, n - first);
}

void LogRing::copy_out(size_t off, char* dst, size_t n) const {
  const size_t first = std::min(n, cap_ - off);
  memcpy(dst, buf_.get() + off, first);
  memcpy(dst + first, buf_.get(), n - first);
}

uint32_t LogRing::len_at(size_t off) const {
  uint32_t n;
  copy_out(off, reinterpret_cast<char*>(&n), kLenBytes);
  return n;
}

bool LogRing::evict_oldest() {
  for (const auto& r : readers_)
    if (r->connected && r->next == first_) return false;
  const size_t size = kLenBytes + len_at(head_);
  bool lost = false;
  const size_t next_head = (head_ + size) % cap_;
  for (const auto& r : readers_) {
    if (r->next != first_) continue;
    r->next = first_ + 1;  // a reader away from its server loses the event
    r->off = next_head;
    lost = true;
  }
  if (lost) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    LogSink::add_dropped(1);
  }
  head_ = next_head;
  used_ -= size;
  ++first_;
  return true;
}

bool LogRing::write(std::string_view event) {
  event = event.substr(0, cap_ - kLenBytes);
  const size_t need = kLenBytes + event.size();
  {
    std::lock_guard<std::mutex> lock(mu_);
    while (cap_ - used_ < need) {
      if (!evict_oldest()) {
        dropped_.fetch_add(1, std::memory_order_relaxed);
        LogSink::add_dropped(1);
        return false;
      }
    }
    const size_t tail = (head_ + used_) % cap_;
    const uint32_t n = uint32_t(event.size());
    copy_in(tail, reinterpret_cast<const char*>(&n), kLenBytes);
    copy_in((tail + kLenBytes) % cap_, event.data(), event.size());
    for (const auto& r : readers_)
      if (r->next == end_) r->off = tail;  // it waits for exactly this event
    used_ += need;
    ++end_;
  }
  // One post per wait: a reader clears `waiting` before it takes events.
  for (const auto& r : readers_)
    if (r->waiting.exchange(false)) r->loop->post(r->wake, r->ctx);  // set after `loop`
  return true;
}

size_t LogRing::take(Reader& r, std::string* out, size_t limit,
                     void (*frame)(std::string_view event, std::string* out)) {
  static thread_local std::string event;
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = 0;
  if (r.next < first_) r.next = first_, r.off = head_;
  while (r.next < end_ && out->size() < limit) {
    const uint32_t len = len_at(r.off);
    event.resize(len);
    copy_out((r.off + kLenBytes) % cap_, event.data(), len);
    frame(event, out);
    r.off = (r.off + kLenBytes + len) % cap_;
    ++r.next;
    ++n;
  }
  return n;
}

void LogRing::set_connected(Reader& r, bool connected) {
  std::lock_guard<std::mutex> lock(mu_);
  r.connected = connected;
  if (r.next < first_) r.next = first_, r.off = head_;
}

void LogRing::dump(std::string* out) const {
  std::lock_guard<std::mutex> lock(mu_);
  size_t off = head_;
  for (uint64_t s = first_; s < end_; ++s) {
    const uint32_t len = len_at(off);
    const size_t at = out->size();
    out->resize(at + len);
    copy_out((off + kLenBytes) % cap_, out->data() + at, len);
    out->push_back('\n');
    off = (off + kLenBytes + len) % cap_;
  }
}

void register_ring(std::shared_ptr<LogRing> ring) { registry().push_back(std::move(ring)); }

std::shared_ptr<LogRing> find_ring(std::string_view name) {
  for (const auto& r : registry())
    if (r->name() == name) return r;
  return nullptr;
}

const std::vector<std::shared_ptr<LogRing>>& all_rings() { return registry(); }

void clear_rings() { registry().clear(); }

}  // namespace hearth::stream
