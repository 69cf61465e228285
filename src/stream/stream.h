#pragma once
// A Stream is one proxied session: two stream connectors, a buffer per
// direction, the timers and the connect/retry logic. TCP mode forwards bytes both
// ways with backpressure and propagates half-closes. See docs/architecture.md for
// its state table.
#include <cstdint>

#include "backend/backend.h"
#include "core/buffer.h"
#include "core/tasklet.h"
#include "core/timer.h"
#include "mux/stream_connector.h"
#include "stick/track.h"
#include "stream/frontend.h"
#include "stream/http_captures.h"
#include "stream/live_stream.h"
#include "stream/priority.h"
#include "stream/server_side.h"
#include "stream/splice_dir.h"
#include "stream/stick_rules.h"
#include "stream/tcp_rules.h"
#include "stream/txn_vars.h"

namespace hearth::stream {

class Stream : public LiveStream {
 public:
  // mux::StreamFactory for incoming connections; ctx is the Frontend.
  static bool create_incoming(mux::StreamConnector* sc, void* ctx);
  // Streams alive on the calling thread.
  static int live_on_thread();
  static Pool<Stream>& pool();

  Stream(Frontend* fe, mux::StreamConnector* scf);
  ~Stream() override;

  // LiveStream: "show sess" and "shutdown session(s)".
  std::string describe(int64_t now_ms) const override;
  std::string describe_detail(int64_t now_ms) const override;
  void kill(char cause = 'K') override;
  const backend::Server* current_server() const override { return ss_.server(); }

  // kInspect: tcp-request content rules (the frontend's, then after
  // switching the backend's) wait for the client's bytes; kConnect: the
  // server side is queueing, connecting or turning around.
  enum class State { kInspect, kAssign, kConnect, kEstablished, kClosed };

 private:
  const char* state_name() const;
  static void process_cb(Tasklet* t, void* ctx, uint32_t state);
  static void timer_cb(Timer* t, void* ctx);
  void process(uint32_t why);
  void inspect();
  bool inspect_phase(bool front, bool* wait);
  TcpFetch request_fetch(const backend::Backend* be);
  // ServerSide::SniEval: a server's "sni" over the connection and its bytes.
  static size_t eval_sni(void* app, const expr::SampleExpr& e, char* buf, size_t cap);
  // ServerSide::UniqueIdFn: the stream's unique id (made on first use).
  static std::string_view unique_id_of(void* app);
  // unique-id-format, rendered once per stream: for a server's PROXY v2
  // unique-id TLV and %ID.
  void make_unique_id();
  void switch_backend();
  bool response_may_go();
  void assign_server();
  void on_server(ServerSide::State st);
  bool client_aborted();
  void set_splice_modes();
  void forward();
  bool forward_once();
  void update_subscriptions();
  void update_timer();
  bool expired(int64_t exp) const;
  // Restart a side's inactivity deadline after bytes moved on it; `sent`:
  // bytes were sent to it, which under option independent-streams restarts
  // only its write deadline.
  void refresh_front(bool sent = false);
  void refresh_back(bool sent = false);
  void settle_write_deadlines();
  void close(const char* why);
  void finish();
  void log_end();
  // The log line's record of the stream as it stands (log_end, and the
  // %-variables of rule values through rule_log_record).
  void fill_log_record(expr::LogRecord& r);
  static const expr::LogRecord* rule_log_record(void* self);

  Frontend* fe_;
  FrontendCounters* bind_ctrs_ = nullptr;  // the bind line's ("option socket-stats")
  backend::Backend* be_;                   // nullptr: the frontend has no backend for it
  backend::BackendHold be_hold_;           // counts this stream in be_'s be_conn
  mux::StreamConnector* scf_;
  State state_ = State::kAssign;
  bool switched_ = false;         // content switching done (after the frontend's rules)
  int64_t inspect_exp_ = kNever;  // end of the current inspect-delay
  TxnVars vars_;                  // txn.* and req.* of tcp rules (pooled on first use)
  StreamPriority prio_;           // tcp-request content set-priority-class / -offset
  stick::TrackSlots trk_;         // stick counters tracked by tcp-request content rules
  StickStores stick_stores_;      // stick on / store-* keys until the server is connected
  TxnCaptures caps_;              // tcp-request content capture slots (sized if declared)
  // tcp-response content: the server's bytes wait until the backend's rules
  // pass (res_passed_), at most until res_inspect_exp_.
  bool res_passed_ = false;
  bool res_reject_ = false;
  bool res_close_ = false;
  int64_t res_inspect_exp_ = kNever;
  Buffer req_;                         // client -> server
  Buffer res_;                         // server -> client
  SpliceDir splice_req_, splice_res_;  // option splice-*: the same directions through pipes
  TaskProfile prof_;                   // the stream's calls and times (cpu_calls & co)
  Tasklet tasklet_;
  WaitEvent wait_f_, wait_b_;
  ServerSide ss_;
  Timer timer_;
  int64_t start_ms_;
  int64_t th_ = 0;  // %Th: the handshake before the stream (accept to its end)
  int64_t front_exp_ = kNever, back_exp_ = kNever;
  // option independent-streams (the frontend's for the client side, the
  // backend's for the server side): sending to a side no longer restarts its
  // deadline above (its read timeout); a write deadline, armed only while
  // output waits for that side, takes over.
  bool indep_front_ = false, indep_back_ = false;
  int64_t front_wexp_ = kNever, back_wexp_ = kNever;
  int64_t connect_ms_ = -1;
  uint64_t req_id_ = 0;    // %rt (drawn only when the frontend logs)
  std::string unique_id_;  // unique-id-format's value, once made
  bool has_unique_id_ = false;
  expr::LogAddr be_src_;   // %bi/%bp (read only when the format prints them)
  bool req_shut_ = false;  // shutw sent to the server
  bool res_shut_ = false;  // shutw sent to the client
  uint64_t bytes_in_ = 0, bytes_out_ = 0;
  const char* end_reason_ = "";
  int8_t log_level_ = config::kLogNotSet;  // set-log-level's, if one ran
  bool logged_ = false;                    // the line went out at the connect
  LastRule last_rule_;                     // the last rule that ended a list
  bool killed_ = false;                    // "shutdown session": end on the next turn
  char kill_cause_ = 'K';                  // the first termination flag it then logs
};

}  // namespace hearth::stream
