#pragma once
// The server side of a stream, one component for TCP and HTTP: it assigns a
// server (load balancing, the backend's queue), obtains a connection to it (an
// idle one from the server's ConnPool when the HTTP stream allows reuse, else
// a new connect), retries failed connects after a turn-around, redispatches
// the last retry with `option redispatch`, holds the server slot (the
// session count) until released, and attributes failures for the log
// (termination codes). See the state table in docs/architecture.md.
//
// The owning stream wakes it: call step() whenever the owner's tasklet or
// timer runs while state() is kQueued, kConnecting or kTurnAround, and arm the
// owner's timer no later than deadline().
#include <cstdint>
#include <optional>
#include <string_view>

#include "backend/backend.h"
#include "backend/conn_pool.h"
#include "core/tasklet.h"
#include "mux/stream_connector.h"
#include "net/proxy_out.h"
#include "net/tls_transport.h"

namespace hearth::stream {

// What bc_err and ssl_bc_err report, also once the server connection is
// gone: how its TLS handshake failed (kNone: it did not, or plain TCP) and
// the first OpenSSL error of its session.
struct ServerConnError {
  bool seen = false;  // a connection was attempted
  bool tls = false;
  net::TlsFailure failure = net::TlsFailure::kNone;
  unsigned long ssl_error = 0;
};
// Returns: what c says of its errors now.
ServerConnError conn_error_of(const net::Connection* c);

class ServerSide {
 public:
  enum class State {
    kIdle,        // not started, or released
    kQueued,      // every usable server is full: waiting in the backend's queue
    kConnecting,  // a new connection is being established
    kTurnAround,  // a connect failed with an error: waiting before the retry
    kReady,       // connected (or an idle connection attached): scb() carries the exchange
    kFailed,      // no server, queue timeout, or connect retries exhausted: see term()
    kRedirect,    // the server has "redir" and the request may be redirected: answer
                  // a 302 toward server()->redir instead of connecting (slot held)
  };

  // mode: the mux of new server connections ("pt" for TCP; nullptr for HTTP:
  // the server's own http_mux).
  // app / tasklet: the owning stream and its tasklet, woken by the queue, by
  // connect completion and by the connection's events (through `wait`).
  ServerSide(const char* mode, void* app, Tasklet* tasklet, WaitEvent* wait);
  ~ServerSide();
  ServerSide(const ServerSide&) = delete;
  ServerSide& operator=(const ServerSide&) = delete;

  // Starts on backend `be`: retries come from its settings. `req` carries the
  // LB inputs; `reuse` (HTTP) lets the server's pool offer an idle connection
  // before a new one is opened (nullptr: always connect).
  // Returns: the state reached (kReady at once when an idle connection fits).
  State start(backend::Backend* be, const backend::LbRequest& req,
              const backend::ConnRequest* reuse, int64_t now_ms);
  // Advances after a wake-up (queue grant or rejection, connect completion or
  // failure, timers). Returns: the state reached.
  State step(int64_t now_ms);
  // HTTP replay: drops the current connection and connects anew to the same
  // server (never reusing), consuming one retry.
  // reuse_race: the reused connection died before answering (counted apart
  // from the retry-on retries). Returns: false (nothing changed) if no retry is left.
  bool reconnect(int64_t now_ms, bool reuse_race);
  // The connection, ready as far as we knew, was refused by the server before
  // it read anything (net::tls_refused_after_handshake): a connect failure
  // after all, retried as one when `replayable` (the request can go again).
  // Returns: the state reached.
  State refused_after_connect(bool replayable, int64_t now_ms);
  // The exchange is over. With `done` (HTTP), the server's pool keeps or closes
  // the connection; without, it is closed. Then the server slot is released.
  void finish(const backend::ConnRelease* done, int64_t now_ms);
  // The client's connection: a server whose address or port comes from the
  // client connects to this connection's destination (set-dst included).
  // redirectable: a GET or HEAD request, which a server's "redir" answers.
  void set_client(const net::Connection* c, bool redirectable) {
    client_ = c;
    redirectable_ = redirectable;
  }
  // How the owner evaluates a server's "sni" expression for this stream:
  // copies the name into buf (at most cap bytes). Returns: its length; 0 when
  // the expression yields no sample or a longer one (no SNI is sent then).
  using SniEval = size_t (*)(void* app, const expr::SampleExpr& e, char* buf, size_t cap);
  void set_sni_eval(SniEval fn) { sni_eval_ = fn; }
  // How the owner gives its unique id (unique-id-format), for a server's
  // PROXY v2 header with proxy-v2-options unique-id. Returns: "" if none.
  using UniqueIdFn = std::string_view (*)(void* app);
  void set_unique_id_fn(UniqueIdFn fn) { unique_id_fn_ = fn; }
  // Abandons everything: the connection is closed, the queue place or the
  // server slot given back. Idempotent.
  void release() { finish(nullptr, 0); }

  State state() const { return state_; }
  // When the current wait ends (queue, connect, turn-around); kNever if none.
  int64_t deadline() const { return exp_; }
  // Requires: state() == kReady.
  mux::StreamConnector* scb() const { return scb_; }
  // True if scb()'s connection came from a pool (idle for idle_ms() before).
  bool reused() const { return reused_; }
  int64_t idle_ms() const { return idle_ms_; }
  // Requests scb()'s connection had served before this one (0: a new one).
  uint32_t served_before() const { return served_before_; }
  // The server's reuse guard sent this request (which cannot be replayed)
  // to a new connection although idle ones were there to reuse.
  bool guarded() const { return guarded_; }
  // The server of the current or last attempt (for the log and counters).
  backend::Server* server() const { return srv_ ? srv_ : last_srv_; }
  backend::Backend* backend() const { return be_; }
  // Termination code once kFailed: "SC" (no server, connect refused), "sC"
  // (connect timeout), "sQ" (queue timeout).
  const char* term() const { return term_; }
  // For the log: when a slot was first granted and the connection became
  // usable (-1: never), retries made, whether it was redispatched, and the
  // requests ahead when it queued.
  int64_t slot_ms() const { return slot_ms_; }
  int64_t ready_ms() const { return ready_ms_; }
  int64_t connect_start_ms() const { return connect_start_ms_; }
  int retries_done() const { return retries_done_; }
  bool redispatched() const { return avoid_ != nullptr; }
  uint32_t queue_pos() const { return queue_pos_; }
  // The last server connection's error (bc_err, ssl_bc_err).
  const ServerConnError& conn_error() const { return conn_err_; }
  int retries_left() const { return retries_left_; }

 private:
  State assign(int64_t now_ms);
  State granted(backend::Server* s, int64_t now_ms);
  State connect(int64_t now_ms);
  State connect_failed(bool timeout, int64_t now_ms);
  State fail(const char* term);
  void drop_connection();
  // Records c's error (or its success) in conn_err_.
  void note_conn_error(const net::Connection* c);
  const backend::BackendSettings& bs() const { return be_->settings; }
  // A connection of srv_ may come from or go to its pool (keyed by what ties
  // it to a client, if anything: settle_client_binding).
  bool pooled() const { return may_reuse_; }
  // Where a new connection of srv_ leads: its address, or the one it takes
  // from the client's connection (the destination, set-dst included).
  net::Address target_address() const;

  // Evaluates srv_'s sni into sni_ (empty: none) and keys reuse_ with it.
  void settle_sni();
  // What ties srv_'s connections to this client, if anything: the PROXY
  // header it sends (what the header describes: the client connection and
  // the addresses the stream sees) and the address it leads to when that
  // comes from the client (client_bound); reuse_.client_key keyed with them.
  void settle_client_binding();
  net::ProxySource proxy_source() const;

  const char* mode_;
  void* app_;
  SniEval sni_eval_ = nullptr;
  UniqueIdFn unique_id_fn_ = nullptr;
  std::optional<net::Address> pp_src_, pp_dst_;  // the PROXY header's addresses
  char sni_buf_[256];  // the SNI of connections to srv_ (a DNS name is at most 253 bytes)
  std::string_view sni_;
  Tasklet* tasklet_;
  WaitEvent* wait_;
  backend::Backend* be_ = nullptr;
  backend::LbRequest lb_;
  backend::ConnRequest reuse_;
  bool may_reuse_ = false;
  const net::Connection* client_ = nullptr;
  bool redirectable_ = false;
  backend::Server* srv_ = nullptr;       // holds a slot on it
  backend::Server* last_srv_ = nullptr;  // released, kept for the log
  backend::Server* avoid_ = nullptr;     // redispatch: the server that failed
  backend::QueueWaiter* waiter_ = nullptr;
  mux::StreamConnector* scb_ = nullptr;
  State state_ = State::kIdle;
  int64_t exp_ = kNever;
  ServerConnError conn_err_;
  int retries_left_ = 0;
  int retries_done_ = 0;
  bool reused_ = false;
  bool guarded_ = false;
  int64_t idle_ms_ = 0;
  uint32_t served_before_ = 0;
  const char* term_ = "--";
  int64_t slot_ms_ = -1, ready_ms_ = -1, connect_start_ms_ = -1;
  uint32_t queue_pos_ = 0;
};

}  // namespace hearth::stream
