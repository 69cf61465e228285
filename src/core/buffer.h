#pragma once
// Fixed-size byte buffers whose storage comes from a shared block pool. A Buffer
// object itself is two pointers and two counters; its storage is taken when data
// must be held and handed back as soon as it is empty (`release_if_empty`), so an
// idle connection holds no buffer memory.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "core/pool.h"

namespace hearth {

namespace detail {
extern size_t g_buffer_size;      // tune.bufsize
extern BlockPool* g_buffer_pool;  // set by Buffer::pool() on first use
}  // namespace detail

class Buffer {
 public:
  Buffer() = default;
  ~Buffer() { release(); }
  Buffer(const Buffer&) = delete;
  Buffer& operator=(const Buffer&) = delete;

  // Sets the size of every buffer (tune.bufsize). Call once before any allocation.
  static void configure(size_t size);
  static size_t configured_size() { return detail::g_buffer_size; }
  static BlockPool& pool();

  // Returns: true if storage is held (taking it from the pool if needed).
  bool allocate();
  bool allocated() const { return area_ != nullptr; }
  void release();
  void release_if_empty() {
    if (len_ == 0) release();
  }

  size_t size() const { return area_ ? configured_size() : 0; }
  size_t len() const { return len_; }
  bool empty() const { return len_ == 0; }
  bool full() const { return area_ && len_ == configured_size(); }
  size_t room() const { return area_ ? configured_size() - len_ : 0; }

  const char* head() const { return area_ + head_; }
  char* head() { return area_ + head_; }
  // Contiguous free space after the data; realigns first if that helps.
  char* tail();
  size_t contiguous_room();

  void commit(size_t n) { len_ += n; }
  void consume(size_t n);
  // Appends up to `n` bytes. Returns: bytes copied.
  size_t append(const char* p, size_t n);
  void clear() { head_ = len_ = 0; }
  // Drops the data past the first `n` bytes. Requires: n <= len().
  void truncate(size_t n) { len_ = uint32_t(n); }

 private:
  void realign();
  char* area_ = nullptr;
  uint32_t head_ = 0;
  uint32_t len_ = 0;
};

}  // namespace hearth
