#pragma once
// A Transport moves bytes for a Connection. Subscribers are woken through their
// WaitEvent's tasklet, never by a direct call from the poller.
#include <cstddef>
#include <cstdint>

#include "core/buffer.h"
#include "core/tasklet.h"

namespace hearth::net {

class Connection;

enum class DrainResult {
  kEmpty,  // nothing readable; the peer is still there
  kData,   // unexpected bytes were read (and discarded)
  kEof,    // the peer closed
  kError,  // reset or other socket error
};

class Transport {
 public:
  virtual ~Transport() = default;
  virtual const char* name() const = 0;
  // Reads up to `max` bytes appended to `buf`. Returns: bytes read. EOF sets
  // kConnRdShut, errors set kConnError; both leave the return at what was read.
  virtual size_t rcv_buf(Connection* c, Buffer& buf, size_t max) = 0;
  // Sends up to `count` bytes from the head of `buf` and consumes what was sent.
  // Returns: bytes sent. Errors set kConnError.
  virtual size_t snd_buf(Connection* c, Buffer& buf, size_t count) = 0;
  // Sends raw bytes (for small generated messages). Returns: bytes sent.
  virtual size_t snd_raw(Connection* c, const char* p, size_t n) = 0;
  // Arms a one-shot wake for `events` (kWakeRecv|kWakeSend). If the connection is
  // already ready for one of them, the tasklet is queued at once.
  virtual void subscribe(Connection* c, uint32_t events, WaitEvent* w) = 0;
  virtual void unsubscribe(Connection* c, uint32_t events, WaitEvent* w) = 0;
  // Reads and discards whatever is readable. Returns what it found.
  virtual DrainResult drain(Connection* c) = 0;
  virtual void shutw(Connection* c) = 0;
};

Transport* raw_transport();

}  // namespace hearth::net
