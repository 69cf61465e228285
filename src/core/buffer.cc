#include "core/buffer.h"

namespace hearth {
namespace detail {
size_t g_buffer_size = 16384;
BlockPool* g_buffer_pool = nullptr;
}  // namespace detail

namespace {
size_t& g_size = detail::g_buffer_size;
// The pool, made on first use (its block size is fixed then).
BlockPool& buffer_pool() {
  BlockPool* p = detail::g_buffer_pool;
  return p ? *p : Buffer::pool();
}
}  // namespace

void Buffer::configure(size_t size) {
  // The pool's block size is fixed when it is first used; a later change would
  // let buffers overrun their blocks.
  if (!detail::g_buffer_pool) g_size = size;
}

BlockPool& Buffer::pool() {
  static BlockPool p("buffer", g_size);
  detail::g_buffer_pool = &p;
  return p;
}

bool Buffer::allocate() {
  if (area_) return true;
  area_ = static_cast<char*>(buffer_pool().get());
  head_ = len_ = 0;
  return area_ != nullptr;
}

void Buffer::release() {
  if (!area_) return;
  buffer_pool().put(area_);
  area_ = nullptr;
  head_ = len_ = 0;
}

char* Buffer::tail() {
  if (head_ + len_ == configured_size()) realign();
  return area_ + head_ + len_;
}

size_t Buffer::contiguous_room() {
  if (!area_) return 0;
  if (len_ == 0) head_ = 0;
  if (head_ + len_ == configured_size() || (head_ > 0 && room() > 2 * (g_size - head_ - len_)))
    realign();
  return configured_size() - head_ - len_;
}

void Buffer::consume(size_t n) {
  if (n >= len_) {
    head_ = len_ = 0;
    return;
  }
  head_ += n;
  len_ -= n;
}

size_t Buffer::append(const char* p, size_t n) {
  if (!allocate()) return 0;
  size_t room = contiguous_room();
  if (n > room) n = room;
  std::memcpy(area_ + head_ + len_, p, n);
  len_ += n;
  return n;
}

void Buffer::realign() {
  if (head_ == 0) return;
  std::memmove(area_, area_ + head_, len_);
  head_ = 0;
}

}  // namespace hearth
