#pragma once
// A ring of log events (a "ring" section, or the implicit ring of a
// "log tcp@ADDR" target): a fixed-size byte buffer that any thread appends
// events to, that "show events" reads, and that each of its TCP servers
// (RingForwarder) reads at its own pace.
//
// Bounded, never blocking: an event is stored as a 4-byte length and its
// bytes. To make room the oldest events go, unless a connected reader has
// not sent them yet: then the new event is dropped instead (a slow server
// holds the ring, as in HAProxy). An event a disconnected reader had not
// sent when it went is lost for that reader. Both are counted as dropped
// events (the ring's own count and the process's DroppedLogs). A ring
// without servers simply keeps the latest events.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "config/model.h"

namespace hearth {
class EventLoop;
}

namespace hearth::stream {

class LogRing {
 public:
  // One reader's place: the sequence number of the next event it sends.
  struct Reader {
    uint64_t next = 0;
    size_t off = 0;          // where event `next` starts (when it is held)
    bool connected = false;  // its unsent events may not be overwritten
    // Woken (posted to `loop`) when events arrive while it waits for them.
    EventLoop* loop = nullptr;
    void (*wake)(void*) = nullptr;
    void* ctx = nullptr;
    std::atomic<bool> waiting{false};
  };

  explicit LogRing(const config::RingConfig& cfg);
  LogRing(const LogRing&) = delete;
  LogRing& operator=(const LogRing&) = delete;

  const config::RingConfig& config() const { return cfg_; }
  const std::string& name() const { return cfg_.name; }
  // Returns: the description "show events" prints (the name by default).
  const std::string& description() const;

  // Any thread: appends one event (cut to the buffer's capacity). Returns:
  // false if it was dropped.
  bool write(std::string_view event);

  // The reader of each configured server, in order (readers() [i] is server i).
  Reader& reader(size_t i) { return *readers_[i]; }
  size_t reader_count() const { return readers_.size(); }

  // Any thread: appends to `out` the events reader `r` has not sent, from
  // its place on, each framed by `frame` (the event, its framing into
  // `out`), as long as `out` stays below `limit` bytes; the reader moves
  // past what was taken. Returns: the number of events taken.
  size_t take(Reader& r, std::string* out, size_t limit,
              void (*frame)(std::string_view event, std::string* out));
  // Any thread: the reader connected (it holds its unsent events from now
  // on) or went away.
  void set_connected(Reader& r, bool connected);

  // Any thread: every event held, oldest first, each followed by '\n'.
  void dump(std::string* out) const;

  uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }

 private:
  // Requires: mu_ held. Removes the oldest event. Returns: false if a
  // connected reader still needs it.
  bool evict_oldest();
  void copy_out(size_t off, char* dst, size_t n) const;
  void copy_in(size_t off, const char* src, size_t n);
  uint32_t len_at(size_t off) const;

  config::RingConfig cfg_;
  size_t cap_;
  std::unique_ptr<char[]> buf_;
  mutable std::mutex mu_;
  size_t head_ = 0;     // offset of the oldest event
  size_t used_ = 0;     // bytes held
  uint64_t first_ = 0;  // sequence number of the oldest event
  uint64_t end_ = 0;    // sequence number of the next event written
  std::vector<std::unique_ptr<Reader>> readers_;
  std::atomic<uint64_t> dropped_{0};
};

// The rings of the running configuration, by name (set at startup, read by
// log targets and "show events").
void register_ring(std::shared_ptr<LogRing> ring);
std::shared_ptr<LogRing> find_ring(std::string_view name);
const std::vector<std::shared_ptr<LogRing>>& all_rings();
void clear_rings();

}  // namespace hearth::stream
