#pragma once
// The mux layer turns a connection's byte stream into streams. One Mux object per
// connection is its context. Muxes register by mode ("pt", "h1") in MuxRegistry.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/buffer.h"
#include "core/tasklet.h"
#include "mux/stream_connector.h"

namespace hearth::net {
class Connection;
struct Pipe;
}  // namespace hearth::net

namespace hearth::mux {

// Creates the stream for a new incoming stream connector. Returns: false if the
// stream could not be created (the mux then destroys the connection).
using StreamFactory = bool (*)(StreamConnector* sc, void* ctx);

class Mux {
 public:
  virtual ~Mux() = default;
  virtual const char* name() const = 0;

  // Incoming side (sc == nullptr): creates a connector and calls the factory.
  // Outgoing side: adopts the stream's connector `sc`. Returns: false on failure.
  virtual bool init(net::Connection* conn, StreamConnector* sc, StreamFactory f, void* f_ctx) = 0;
  // A connection-level event. Must work with no stream attached.
  virtual void wake() = 0;
  // Attaches a stream connector to an idle connection (reuse). Returns: false if
  // the mux cannot take another stream.
  virtual bool attach(StreamConnector* sc) = 0;
  // The stream leaves. keep_idle=false destroys the connection; keep_idle=true
  // keeps it read-subscribed and drains it on readable (see docs/architecture.md),
  // unless it can no longer be reused (an error, a shutdown, bytes past the
  // message), in which case it is destroyed too.
  // Returns: true if the connection stays (idle), false if it was destroyed.
  virtual bool detach(StreamConnector* sc, bool keep_idle) = 0;
  virtual StreamConnector* first_sc() const = 0;
  virtual void shutr(StreamConnector* sc) = 0;
  virtual void shutw(StreamConnector* sc) = 0;
  virtual size_t rcv_buf(StreamConnector* sc, Buffer& buf, size_t max) = 0;
  virtual size_t snd_buf(StreamConnector* sc, Buffer& buf, size_t count) = 0;
  // splice(2) through a pipe, for muxes that pass bytes through unchanged
  // over a transport that can splice. Returns: can_splice: whether rcv_pipe
  // and snd_pipe work; they return bytes moved, with the sc flags updated as
  // rcv_buf / snd_buf do.
  virtual bool can_splice(const StreamConnector*) const { return false; }
  virtual size_t rcv_pipe(StreamConnector*, net::Pipe*, size_t) { return 0; }
  virtual size_t snd_pipe(StreamConnector*, net::Pipe*) { return 0; }
  virtual void subscribe(StreamConnector* sc, uint32_t events, WaitEvent* w) = 0;
  virtual void unsubscribe(StreamConnector* sc, uint32_t events, WaitEvent* w) = 0;
  // Streams the connection can still take, and streams attached now.
  virtual int avail_streams() const = 0;
  virtual int nb_streams() const = 0;
  // Tears down the mux and its connection (unlinking it from any idle list first).
  virtual void destroy() = 0;
  virtual std::string dump() const = 0;
};

struct MuxFactory {
  const char* mode;
  Mux* (*create)();
};

class MuxRegistry {
 public:
  static void register_mux(const MuxFactory& f);
  static const MuxFactory* find(std::string_view mode);
  // Creates and initialises the mux for `mode` on `conn`, setting conn->mux.
  // Returns: the mux, or nullptr (nothing created) on failure.
  // Incoming connections pass the stream factory; outgoing ones their connector.
  static Mux* install(std::string_view mode, net::Connection* conn, StreamConnector* sc,
                      StreamFactory f = nullptr, void* f_ctx = nullptr);
};

// The connection-level half of the idle contract, shared by every mux.
// Ends the departing stream's transport subscriptions (the mux's own stays).
void drop_stream_subscriptions(net::Connection* c, const WaitEvent* own);
// Idle read: drains what is readable. Returns: true if the connection is still
// usable (nothing arrived, no EOF, no error) and was re-subscribed with `own`;
// false if it must be destroyed (close, reset or stray bytes).
bool idle_drain_keeps(net::Connection* c, WaitEvent* own);
// Mirrors the connection's EOF/error into the stream connector's flags.
void sync_sc_flags(const net::Connection* c, StreamConnector* sc);
// Unlinks c from its idle list, ends `own`'s subscription and frees c.
void release_connection(net::Connection* c, WaitEvent* own);

// Registers the built-in muxes. Idempotent.
void register_builtin_muxes();

}  // namespace hearth::mux
