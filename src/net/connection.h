#pragma once
// A Connection owns one socket: its address, state flags, transport and mux, and
// the link that puts it in an idle pool. It knows nothing about HTTP.
#include <cstdint>

#include "core/event_loop.h"
#include "core/list.h"
#include "core/pool.h"
#include "core/tasklet.h"
#include "net/address.h"
#include "net/socket.h"

namespace hearth::mux {
class Mux;
}

namespace hearth::net {

class Transport;
struct ProxyOut;
struct Socks4Out;

enum ConnFlag : uint32_t {
  kConnError = 1u << 0,       // socket error or reset seen
  kConnRdShut = 1u << 1,      // peer closed its sending side (we read EOF)
  kConnWrShut = 1u << 2,      // we shut our sending side
  kConnConnecting = 1u << 3,  // non-blocking connect in progress
  kConnIdle = 1u << 4,        // parked in an idle pool, no stream
  kConnConnected = 1u << 5,
  kConnRecvReady = 1u << 6,  // the poller (or a speculative guess) says readable
  kConnSendReady = 1u << 7,  // the poller says writable
  kConnRdHup = 1u << 8,      // poller reported the peer's FIN (EPOLLRDHUP)
  kConnOutgoing = 1u << 9,   // server side
  kConnPrivate = 1u << 10,   // server side: bound to one client (NTLM/Negotiate auth)
  // option nolinger: closing resets the connection (SO_LINGER 0) unless the
  // peer's FIN was read or ours was sent first (as HAProxy), so no FIN_WAIT
  // state is left behind.
  kConnNoLinger = 1u << 11,
};

// Where an outgoing connect stands (Connection::connect_status).
enum class ConnectStatus { kPending, kEstablished, kFailed };

class Connection;
// Called when a connection that sits in an idle list must leave it (it died, or is
// taken for reuse). Set by whoever linked it; cleared by the callee.
using IdleUnlinkFn = void (*)(Connection* c);

class Connection final : public FdHandler {
 public:
  // Requires: fd is a connected or connecting non-blocking socket.
  // Returns: a registered connection, or nullptr (fd closed) when the pool or epoll refuse.
  static Connection* create(EventLoop* loop, int fd, const Address& peer, uint32_t flags);
  // Starts a non-blocking connect to addr and registers the socket as an
  // outgoing connection (kConnConnecting) carried by `xprt`.
  // Returns: the connection, or nullptr with *err_no set to the connect error
  // (0 when the socket could not be registered or the transport not started).
  static Connection* connect_to(EventLoop* loop, const Address& addr, Transport* xprt, int* err_no,
                                const ConnectOptions& o = ConnectOptions{},
                                const SockOptions* opts = nullptr);
  // Unregisters and closes the socket and frees the object.
  // Requires: not linked in any idle list, and no mux (the mux's destroy() clears
  // `mux` and then calls this). Both asserted.
  void destroy();

  void on_fd_event(uint32_t events) override;
  const char* fd_kind() const override { return "conn_fd_event"; }

  // Sets the transport and starts it on this connection. Returns: false if
  // the transport refused (the caller destroys the connection).
  bool set_transport(Transport* t);
  // Outgoing side: whether the non-blocking connect completed, the
  // transport's handshake included. The one place where a connection becomes
  // established (kConnConnected set, kConnConnecting cleared) or is found
  // failed (kConnError set).
  ConnectStatus connect_status();
  // The socket error that failed the connect (0 if none was reported).
  int connect_errno() const { return connect_errno_; }
  // While connect_status() is pending on a connected socket: what it waits
  // for (kWakeRecv or kWakeSend; 0: the socket's connect itself).
  uint32_t connect_wants() const;
  // Outgoing through a SOCKS4 proxy: the address the connection is for (the
  // server), as its peer, once the socket connects to the proxy.
  void set_peer(const Address& a) { peer_ = a; }
  // Returns: true if the connection may still carry another exchange: no
  // error, no shutdown either way, no FIN reported by the poller. The one
  // definition of a dead connection, for muxes and pools alike.
  bool reusable() const;

  int fd() const { return fd_; }
  EventLoop* loop() const { return loop_; }
  const Address& peer() const { return peer_; }
  uint32_t flags = 0;
  Transport* xprt = nullptr;
  void* xprt_ctx = nullptr;  // the transport's per-connection state (TLS: its session)
  mux::Mux* mux = nullptr;

  // Transport-level subscriptions (one subscriber per direction).
  WaitEvent* recv_sub = nullptr;
  WaitEvent* send_sub = nullptr;

  // Idle pool linkage.
  ListHook idle_hook;
  IdleUnlinkFn idle_unlink = nullptr;
  void* idle_owner = nullptr;  // the pool-side object that linked it
  int64_t idle_since_ms = 0;
  uint32_t exchanges = 0;  // completed request/response exchanges on it
  // A PROXY header still to send before anything else (outgoing; null: none
  // or sent).
  ProxyOut* pp_out = nullptr;
  // Server side: the key of what ties it to a client (the PROXY header it
  // sent, the address it was opened to when that came from the client); 0:
  // nothing. The pools give it only to requests with the same key (ConnPool).
  uint64_t client_key = 0;
  // A SOCKS4 handshake still to run before the PROXY header (outgoing;
  // null: none or done; kept after a failure for its reason: net/socks4.h).
  Socks4Out* socks4 = nullptr;
  // The server address generation it was opened for (backend::Server::
  // addr_gen): a pool keeps it only while the server's address is that one.
  uint32_t addr_gen = 0;
  // Leaves the idle list it is in (no-op if none).
  void unlink_idle() {
    if (idle_unlink) idle_unlink(this);
    idle_hook.unlink();
    idle_unlink = nullptr;
    flags &= ~kConnIdle;
  }

  // Incoming side: the session (stream layer) this connection carries.
  void* owner = nullptr;

  // Who to tell when destroyed (e.g. a server's connection counter). Optional.
  void (*on_destroy)(Connection* c, void* ctx) = nullptr;
  void* on_destroy_ctx = nullptr;

  static Pool<Connection>& pool();
  static uint64_t live_count();

  Connection(EventLoop* loop, int fd, const Address& peer) : loop_(loop), fd_(fd), peer_(peer) {}
  ~Connection() override = default;

 private:
  EventLoop* loop_;
  int fd_;
  int connect_errno_ = 0;
  Address peer_;
};

}  // namespace hearth::net
