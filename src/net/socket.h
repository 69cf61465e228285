#pragma once
// Thin wrappers over the socket system calls used by listeners and connectors.
#include <string>

#include "net/address.h"
#include "net/unix_listener.h"

namespace hearth::net {

bool set_nonblock(int fd);
void set_nodelay(int fd);
// The socket options of a listening socket (a bind line's options).
struct ListenOptions {
  int backlog = 1024;
  bool reuseport = true;
  int v6only = -1;  // IPV6_V6ONLY on an IPv6 socket: -1 the system's default
  bool tfo = false;
  bool defer_accept = false;
  bool transparent = false;
  std::string interface;  // SO_BINDTODEVICE
  int mss = 0;            // TCP_MAXSEG: > 0 the value, < 0 the default reduced by it
  int tcp_ut_ms = 0;      // TCP_USER_TIMEOUT, inherited by accepted sockets
  // TCP_QUICKACK off on the listening socket (option tcp-smart-accept): the
  // ACK of a request is left to ride with the response.
  bool delay_ack = false;
  UnixPerms unix_perms;  // a UNIX socket's mode and owner (bind mode/uid/gid)
};

// The socket options of an outgoing (server) socket, set before connect(2).
struct ConnectOptions {
  bool has_source = false;
  Address source;    // with has_source: bind here first (port 0: any)
  bool tfo = false;  // TCP_FASTOPEN_CONNECT
  int sndbuf = 0;    // SO_SNDBUF when > 0 (tune.sndbuf.server)
  int rcvbuf = 0;    // SO_RCVBUF when > 0 (tune.rcvbuf.server)
};

// Sets SO_SNDBUF / SO_RCVBUF on fd for each value above 0 (the kernel
// doubles what it is given, as for any socket).
void set_buffers(int fd, int sndbuf, int rcvbuf);

// Options of one side's connected sockets (a frontend's clients, a backend's
// servers), set once when the socket is accepted or opened.
struct SockOptions {
  bool keepalive = false;  // SO_KEEPALIVE, with the three below when not 0
  int ka_idle_s = 0, ka_intvl_s = 0, ka_cnt = 0;
  bool nolinger = false;   // option nolinger (see Connection's kConnNoLinger)
  bool delay_ack = false;  // TCP_QUICKACK off before connecting (tcp-smart-connect)
};

// Sets `o` on a socket. Best effort, as HAProxy: a refused option leaves
// the system's default. Returns: nothing; errors are not reported.
void apply_sock_options(int fd, const SockOptions& o);

// Returns: a listening, non-blocking socket, or -1 with *err naming the
// failure. A UNIX address is bound by make_unix_listener (only the backlog
// and unix_perms of `o` apply to it).
int make_listener(const Address& a, const ListenOptions& o, std::string* err);
// Starts a non-blocking connect with the server's options `o` and, when given,
// its side's options `so` set first. Toward a UNIX socket, the TCP options
// and the source address do not apply and are left out. Returns: fd (connection in progress or
// done), or -1 with *err_no set (binding the source included).
int start_connect(const Address& a, int* err_no, const ConnectOptions& o = ConnectOptions{},
                  const SockOptions* so = nullptr);
// Returns: the pending socket error (SO_ERROR), 0 when connected.
int socket_error(int fd);
// Closes with an RST instead of a FIN.
void close_with_reset(int fd);
// Prepares a client socket for a "silent-drop" rule, so that closing it tells
// the client nothing: TCP_REPAIR when the process may set it (the close then
// emits no segment at all), else a TTL / hop limit of 1 so the reset dies at
// the first router; the close resets rather than sending a FIN either way.
// Delayed ACKs are turned back on so the client's last bytes are not
// acknowledged at once. The caller closes the socket as usual afterwards.
void prepare_silent_drop(int fd);

}  // namespace hearth::net
