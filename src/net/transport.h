#pragma once
// A Transport moves bytes for a Connection: the seam between the socket and the
// mux. Events flow poller -> Connection (readiness flags) -> Transport::wake ->
// subscribers, each woken through its WaitEvent's tasklet, never by a direct
// call from the poller. A transport may have a handshake phase (TLS) before it
// carries data; a connection is established only once it completed. One
// transport object serves many connections; per-connection state, if any,
// hangs off the connection (see start/close). Transports are chosen per
// listener and per server, by name (find_transport).
#include <cstddef>
#include <cstdint>

struct ssl_st;  // OpenSSL's SSL

#include "core/buffer.h"
#include "core/tasklet.h"

namespace hearth::net {

struct Pipe;

class Connection;

enum class DrainResult {
  kEmpty,  // nothing readable; the peer is still there
  kData,   // unexpected bytes were read (and discarded)
  kEof,    // the peer closed
  kError,  // reset or other socket error
};

enum class HandshakeStatus { kDone, kPending, kFailed };

class Transport {
 public:
  virtual ~Transport() = default;
  virtual const char* name() const = 0;
  // Sets up per-connection state for c (outgoing: once the socket exists;
  // incoming: at accept). Returns: false if it could not (c is destroyed).
  virtual bool start(Connection* c) = 0;
  // Frees c's per-connection state. Called by Connection::destroy.
  virtual void close(Connection* c) = 0;
  // Advances the handshake, if the transport has one. kPending: c stays
  // subscribed and the caller is woken again. Connection::connect_status()
  // (outgoing) asks it once the socket is connected.
  virtual HandshakeStatus handshake(Connection* c) = 0;
  // After handshake() returned kPending: the events (kWakeRecv|kWakeSend) it
  // waits for, to subscribe to. Returns: 0 for a transport without handshake.
  virtual uint32_t handshake_wants(const Connection*) const { return 0; }
  // Returns: the connection's TLS session, or nullptr when not TLS.
  virtual ssl_st* ssl(const Connection*) const { return nullptr; }
  // The poller reported `events` (kWakeRecv|kWakeSend) on c, whose readiness
  // flags are already updated: wake the subscribers (after whatever the
  // transport itself must do first, e.g. TLS records).
  virtual void wake(Connection* c, uint32_t events) = 0;
  // Reads up to `max` bytes appended to `buf`. Returns: bytes read. EOF sets
  // kConnRdShut, errors set kConnError; both leave the return at what was read.
  virtual size_t rcv_buf(Connection* c, Buffer& buf, size_t max) = 0;
  // Sends up to `count` bytes from the head of `buf` and consumes what was sent.
  // Returns: bytes sent. Errors set kConnError.
  virtual size_t snd_buf(Connection* c, Buffer& buf, size_t count) = 0;
  // Sends raw bytes (for small generated messages). Returns: bytes sent.
  virtual size_t snd_raw(Connection* c, const char* p, size_t n) = 0;
  // Returns: true if the bytes on the socket are the payload itself, so that
  // rcv_pipe/snd_pipe may move them with splice(2) (not under TLS).
  virtual bool can_splice() const { return false; }
  // Moves up to `max` bytes from the socket into `p` (p->data grows).
  // Returns: bytes moved. EOF and errors as rcv_buf.
  virtual size_t rcv_pipe(Connection*, Pipe*, size_t) { return 0; }
  // Moves what `p` holds to the socket. Returns: bytes moved. Errors as snd_buf.
  virtual size_t snd_pipe(Connection*, Pipe*) { return 0; }
  // Arms a one-shot wake for `events` (kWakeRecv|kWakeSend). If the connection is
  // already ready for one of them, the tasklet is queued at once.
  virtual void subscribe(Connection* c, uint32_t events, WaitEvent* w) = 0;
  virtual void unsubscribe(Connection* c, uint32_t events, WaitEvent* w) = 0;
  // Reads and discards whatever is readable. Returns what it found.
  virtual DrainResult drain(Connection* c) = 0;
  virtual void shutw(Connection* c) = 0;
  // Stops reading: the peer's further data is discarded by the kernel.
  virtual void shutr(Connection* c) = 0;
};

// The plain-socket transport.
Transport* raw_transport();

// "tune.recv_enough N": a read that returns less than it asked for but, with
// the reads before it in the same call, fewer than N bytes does not yet mean
// the socket is drained: the transport reads again at once (a few times at
// most), catching bytes that arrived meanwhile instead of waiting for the
// poller. 0 (Hearth's default; HAProxy's is 10136): any short read means
// drained, which saves the extra read that usually finds nothing. Set before
// the worker threads start.
void set_recv_enough(size_t n);
// Returns: the tune.recv_enough setting (0 unless set).
size_t recv_enough();

// Returns: whether a short read leaves the socket drained, given `total`
// bytes read by this call so far, the `retries` already made after short
// reads, and recv_enough `n`.
bool short_read_drains(size_t total, int retries, size_t n);
// Returns: the transport registered as `name` ("raw"), or nullptr.
Transport* find_transport(const char* name);

}  // namespace hearth::net
