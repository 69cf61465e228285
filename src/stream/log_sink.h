#pragma once
// Where log lines go: one "log" line of the configuration opened at startup
// (a UDP socket, a unix datagram socket, an inherited file descriptor, or a
// ring: "ring@NAME", or the implicit ring of "tcp@ADDR").
// Sending never blocks: a datagram socket is non-blocking, and so is a pipe
// or a socket given as stdout/stderr/fd@N; a line that does not fit in the
// kernel buffer is dropped and counted (DroppedLogs in "show info").
#include <sys/socket.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "config/model.h"
#include "stream/syslog_line.h"

namespace hearth::stream {

class LogRing;

class LogSink {
 public:
  // Opens the target. `hostname_set`: log-send-hostname is set, which makes
  // rfc3164 the format of a target that names none.
  // `ring`: the ring of a kRing or kTcp target (its format and maxlen
  // apply, the shorter of the two lengths wins).
  // Returns: null with *err set when the socket cannot be made or the
  // address is not valid.
  static std::unique_ptr<LogSink> open(const config::LogTarget& t, bool hostname_set,
                                       std::string* err, std::shared_ptr<LogRing> ring = nullptr);
  ~LogSink();
  LogSink(const LogSink&) = delete;
  LogSink& operator=(const LogSink&) = delete;

  int8_t level() const { return level_; }
  config::SyslogFormat format() const { return format_; }

  // Sends `msg` (and `sd` for rfc5424) at `level` when the target takes that
  // level and the sampling picks the line: one send per line.
  void send(int8_t level, const SyslogMeta& meta, std::string_view sd, std::string_view msg);

  // Lines dropped because a target's buffer was full (HAProxy's DroppedLogs).
  static uint64_t dropped() { return dropped_.load(std::memory_order_relaxed); }
  // Lines lost to another send error (no listener on a unix socket, ...).
  static uint64_t send_errors() { return send_errors_.load(std::memory_order_relaxed); }
  // Counts lines a ring had to drop.
  static void add_dropped(uint64_t n) { dropped_.fetch_add(n, std::memory_order_relaxed); }

 private:
  LogSink() = default;
  bool sampled();

  int fd_ = -1;
  std::shared_ptr<LogRing> ring_;
  bool own_fd_ = false;
  bool datagram_ = false;
  sockaddr_storage addr_{};
  socklen_t addr_len_ = 0;
  config::SyslogFormat format_ = config::SyslogFormat::kLocal;
  int maxlen_ = 1024;
  int8_t facility_ = 0;
  int8_t level_ = config::kLogDebug;
  int8_t minlevel_ = config::kLogEmerg;
  std::vector<std::pair<int, int>> ranges_;
  int sample_size_ = 0;
  std::atomic<uint64_t> sample_idx_{0};
  std::atomic<bool> error_reported_{false};
  static std::atomic<uint64_t> dropped_, send_errors_;
};

}  // namespace hearth::stream
