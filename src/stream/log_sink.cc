#include "stream/log_sink.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "net/address.h"
#include "stream/log_ring.h"

namespace hearth::stream {

std::atomic<uint64_t> LogSink::dropped_{0};
std::atomic<uint64_t> LogSink::send_errors_{0};

std::unique_ptr<LogSink> LogSink::open(const config::LogTarget& t, bool hostname_set,
                                       std::string* err, std::shared_ptr<LogRing> ring) {
  std::unique_ptr<LogSink> s(new LogSink);
  s->format_ = t.format_set   ? t.format
               : hostname_set ? config::SyslogFormat::kRfc3164
                              : config::SyslogFormat::kLocal;
  s->maxlen_ = t.maxlen;
  s->facility_ = t.facility;
  s->level_ = t.level;
  s->minlevel_ = t.minlevel;
  s->ranges_ = t.sample_ranges;
  s->sample_size_ = t.sample_size;
  const std::string where = t.loc.file + ":" + std::to_string(t.loc.line) + ": 'log': ";
  if (t.kind == config::LogTarget::Kind::kRing || t.kind == config::LogTarget::Kind::kTcp) {
    if (!ring) {
      *err = where + "no ring named '" + t.address + "'";
      return nullptr;
    }
    // As HAProxy: an explicit ring's format replaces the target's.
    if (t.kind == config::LogTarget::Kind::kRing) s->format_ = ring->config().format;
    s->maxlen_ = std::min(t.maxlen, ring->config().maxlen);
    s->ring_ = std::move(ring);
    return s;
  }
  if (t.kind == config::LogTarget::Kind::kFd) {
    s->fd_ = t.fd;
    struct stat st;
    if (fstat(t.fd, &st) != 0) {
      *err = where + "file descriptor " + std::to_string(t.fd) + " is not open";
      return nullptr;
    }
    // A pipe or socket must not stall the loop; a file or terminal accepts
    // writes at once anyway, and stays blocking as other writers expect.
    if (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))
      fcntl(t.fd, F_SETFL, fcntl(t.fd, F_GETFL) | O_NONBLOCK);
    return s;
  }
  s->datagram_ = true;
  if (t.kind == config::LogTarget::Kind::kUnix) {
    sockaddr_un un{};
    un.sun_family = AF_UNIX;
    memcpy(un.sun_path, t.address.data(), t.address.size());
    memcpy(&s->addr_, &un, sizeof un);
    s->addr_len_ = sizeof un;
  } else {
    auto a = net::Address::parse(t.address, err);
    if (!a) {
      *err = where + "'" + t.address + "': " + *err;
      return nullptr;
    }
    memcpy(&s->addr_, a->sa(), a->len);
    s->addr_len_ = a->len;
  }
  s->fd_ = socket(s->addr_.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (s->fd_ < 0) {
    *err = where + "cannot create a socket: " + strerror(errno);
    return nullptr;
  }
  s->own_fd_ = true;
  int zero = 0;  // nothing is ever read from it
  setsockopt(s->fd_, SOL_SOCKET, SO_RCVBUF, &zero, sizeof zero);
  shutdown(s->fd_, SHUT_RD);
  return s;
}

LogSink::~LogSink() {
  if (own_fd_) close(fd_);
}

bool LogSink::sampled() {
  if (!sample_size_) return true;
  const uint64_t n = sample_idx_.fetch_add(1, std::memory_order_relaxed) % uint64_t(sample_size_);
  for (const auto& [lo, hi] : ranges_)
    if (n + 1 >= uint64_t(lo) && n + 1 <= uint64_t(hi)) return true;
  return false;
}

void LogSink::send(int8_t level, const SyslogMeta& meta, std::string_view sd,
                   std::string_view msg) {
  if (level > level_ || !sampled()) return;
  static thread_local std::string line;
  line.clear();
  timeval now;
  gettimeofday(&now, nullptr);
  build_syslog_line(format_, facility_, level < minlevel_ ? minlevel_ : level, meta,
                    format_ == config::SyslogFormat::kRfc5424 ? sd : std::string_view(), msg,
                    maxlen_, !datagram_ && !ring_, now, &line);
  if (ring_) {  // an event is stored without its newline; a full ring counts its drops
    line.pop_back();
    ring_->write(line);
    return;
  }
  const ssize_t n = datagram_ ? sendto(fd_, line.data(), line.size(), MSG_DONTWAIT | MSG_NOSIGNAL,
                                       reinterpret_cast<const sockaddr*>(&addr_), addr_len_)
                              : write(fd_, line.data(), line.size());
  if (n >= 0) return;
  if (errno == EAGAIN || errno == EWOULDBLOCK) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  send_errors_.fetch_add(1, std::memory_order_relaxed);
  if (!error_reported_.exchange(true))  // once per target, as HAProxy
    fprintf(stderr, "[ALERT] log: cannot send to a log target: %s\n", strerror(errno));
}

}  // namespace hearth::stream
