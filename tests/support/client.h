#pragma once
// Blocking client helpers with deadlines, for talking to hearth or to a fake
// backend over real loopback sockets. All I/O uses MSG_NOSIGNAL (no SIGPIPE)
// and MSG_DONTWAIT + poll, so it works whether the fd is blocking or not.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/command.h"
#include "support/sha256.h"
#include "support/unique_fd.h"

namespace hearth::test {

inline constexpr std::chrono::milliseconds kIoTimeout{10000};

// Connects to 127.0.0.1:port. Returns: a connected, blocking, CLOEXEC fd that
// the caller must close, or -1 on refusal, error or timeout.
int connect_tcp(uint16_t port, std::chrono::milliseconds timeout = kIoTimeout);

// Sends all of data. Returns: false on error (EPIPE, ECONNRESET, ...) or if
// the whole of data could not be sent before timeout.
bool send_all(int fd, std::string_view data, std::chrono::milliseconds timeout = kIoTimeout);

// Reads until EOF, error (e.g. reset) or timeout. If closed is non-null it is
// set to true when the read ended by EOF or error, false on timeout.
// Returns: everything read.
std::string recv_until_eof(int fd, std::chrono::milliseconds timeout = kIoTimeout,
                           bool* closed = nullptr);

// Reads one line. Never reads past the '\n', so later reads see the rest.
// Returns: the line without its '\n', or nullopt if EOF, error or timeout came
// first (the partial line is then consumed and lost).
std::optional<std::string> recv_line(int fd, std::chrono::milliseconds timeout = kIoTimeout);

// Reads exactly n bytes. Returns: what was read; shorter than n on EOF,
// error or timeout.
std::string recv_n(int fd, size_t n, std::chrono::milliseconds timeout = kIoTimeout);

// Waits for the peer to close: EOF (FIN) or a reset. Data arriving meanwhile
// is read and discarded. Returns: true if closed within timeout.
bool peer_closed(int fd, std::chrono::milliseconds timeout = kIoTimeout);

// Half-closes fd: sends FIN, reading goes on. Returns: false on error.
bool shutdown_write(int fd);

// Closes fd so that the peer sees a reset (RST) instead of a FIN.
void close_with_reset(int fd);

// Sends a minimal "GET path HTTP/1.1" to 127.0.0.1:port with a Host header,
// the given extra header lines ("Name: value") and "Connection: close" unless
// a Connection header is given, then reads until EOF.
// Returns: the raw response bytes ("" if the connection failed).
std::string http_get(uint16_t port, std::string_view path,
                     const std::vector<std::string>& headers = {},
                     std::chrono::milliseconds timeout = kIoTimeout);

// Returns: the status code of a raw "HTTP/1.x NNN ..." response, or 0.
int http_status(std::string_view raw_response);

}  // namespace hearth::test
