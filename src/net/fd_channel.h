#pragma once
// A message channel between two processes of one host (the master and one
// worker): an AF_UNIX SOCK_SEQPACKET socket pair, so every send is one whole
// message, and every message may carry descriptors (SCM_RIGHTS). It carries
// the worker's "ready", the master's "leave", and the warm reload's server
// states and idle server connections (docs/architecture.md, "Warm reload").
#include <string>
#include <string_view>
#include <vector>

namespace hearth::net {

// The largest message, and the most descriptors one message carries.
constexpr size_t kChannelMaxMessage = 16384;
constexpr size_t kChannelMaxFds = 64;

// Returns: false with *err; else fds[0] and fds[1], both close-on-exec.
bool channel_pair(int fds[2], std::string* err);

// Sends one message (not empty: an empty one would read as the close) and `nfds` descriptors
// (duplicated into the receiver). Blocks until the message is queued. Returns: false on error
// (errno set).
bool channel_send(int sock, std::string_view msg, const int* fds = nullptr, size_t nfds = 0);

struct ChannelMessage {
  std::string text;
  std::vector<int> fds;  // the receiver owns them (close-on-exec)
};

enum class ChannelRead { kMessage, kClosed, kAgain, kError };

// Reads one message. kAgain only on a non-blocking socket with nothing to
// read; kClosed when the peer closed its end. A message cut short (longer
// than kChannelMaxMessage, or with more than kChannelMaxFds descriptors) is
// kError, its descriptors closed.
// nonblock: kAgain instead of waiting when nothing is queued.
ChannelRead channel_recv(int sock, ChannelMessage* out, bool nonblock = false);

}  // namespace hearth::net
