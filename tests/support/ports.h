#pragma once
// Loopback ports for tests: finding free ones, listening, waiting for a listener.
#include <chrono>
#include <cstdint>

namespace hearth::test {

// Returns: a TCP port on 127.0.0.1 that was free a moment ago, taken below the
// kernel's ephemeral range so that no outgoing connection can take it before
// the caller binds it. Another test process may still pick the same one;
// ports are spread to make that rare. Aborts if loopback cannot be bound.
uint16_t free_tcp_port();

// Returns: a UDP port on 127.0.0.1 that was free a moment ago (as free_tcp_port).
uint16_t free_udp_port();

// Opens a listening TCP socket on 127.0.0.1:port (0 = ephemeral) with
// SO_REUSEADDR and FD_CLOEXEC; stores the bound port in *bound if non-null.
// Returns: the fd, or -1 with errno set.
int listen_loopback(uint16_t port, uint16_t* bound, int backlog = 1024);

// Tries to connect to 127.0.0.1:port until it succeeds or timeout passes.
// Each attempt is a real connection that the listener accepts; to wait for a
// proxy without disturbing its backends' counters, use wait_for_listen.
bool wait_for_port(uint16_t port, std::chrono::milliseconds timeout);

// Returns: true if a socket of this network namespace is in LISTEN state on
// TCP port `port` (any address, IPv4 or IPv6). Reads /proc/net/tcp{,6}; opens
// no connection.
bool port_listening(uint16_t port);

// Waits until port_listening(port) or timeout. Returns: whether it listens.
bool wait_for_listen(uint16_t port, std::chrono::milliseconds timeout);

}  // namespace hearth::test
