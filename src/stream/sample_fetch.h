#pragma once
// The fetches that read a transaction (HAProxy manual 7.3.3 and 7.3.6): the
// client connection's addresses, the proxies, and the neutral request and
// response heads. One per rule evaluation; nothing here allocates.
#include <cstdint>
#include <string>
#include <string_view>

#include "expr/fetch.h"
#include "expr/sample_expr.h"
#include "http/msg.h"

namespace hearth {
struct TaskProfile;
}
namespace hearth::net {
class Connection;
}
namespace hearth::stick {
struct TrackSlots;
}
namespace hearth::backend {
class Backend;
class Server;
}  // namespace hearth::backend

namespace hearth::stream {

class EarlyHints;
class Frontend;
class TxnVars;
class TxnCaptures;
struct Session;
struct StreamPriority;
struct ServerConnError;

// The last rule that ended a rule list of the stream (an accept, allow,
// deny, reject, redirect, return, ... or a rewrite failing under strict
// mode): last_rule_file and last_rule_line. `file` views the rule's own
// location, which lives as long as the configuration.
struct LastRule {
  const std::string* file = nullptr;  // null: no such rule ran
  int line = 0;
};

// What http-request set-timeout set for one stream, in ms (-1: the
// backend's timeout holds).
struct TimeoutOverride {
  int64_t server = -1;
  int64_t tunnel = -1;
};

class TxnFetch : public expr::FetchContext {
 public:
  // `where` is the rule's FetchUse: request rules see the request, response
  // rules the response (the request's head is gone there, as in HAProxy).
  TxnFetch(uint8_t where, const net::Connection* client, const Frontend* fe,
           const backend::Backend* be, const http::MsgHead* req, const http::MsgHead* res)
      : where_(where), client_(client), fe_(fe), be_(be), req_(req), res_(res) {}
  Session* session() const { return session_; }
  const net::Connection* client() const { return client_; }
  // The server of the response (srv_id, srv_name).
  void set_server(const backend::Server* srv) { srv_ = srv; }
  // The stream's server connection, for ssl_bc* (null: none at this point).
  void set_server_conn(const net::Connection* c) { server_conn_ = c; }
  // The last server connection's error, for bc_err and ssl_bc_err once it
  // is gone (null: no server side).
  void set_server_error(const ServerConnError* e) { srv_err_ = e; }
  // The variables rules may read and set (none without).
  void set_vars(TxnVars* vars, Session* session) {
    vars_ = vars;
    session_ = session;
  }

  // The capture slots and unique id of the transaction (capture.req.hdr,
  // capture.res.hdr, unique-id).
  // `id_read` (may be null) is set when the unique-id fetch reads the id.
  void set_captures(TxnCaptures* caps, const std::string* unique_id, bool has_unique_id,
                    bool* id_read = nullptr) {
    caps_ = caps;
    unique_id_ = has_unique_id ? unique_id : nullptr;
    id_read_ = id_read;
  }
  // The slots capture rules write (null: the frontend declares none).
  TxnCaptures* captures() const { return caps_; }
  // The transaction's access-log level, which set-log-level changes
  // (a config::LogLevel; null: the rules run where no line is logged).
  void set_log_level(int8_t* level) { log_level_ = level; }
  int8_t* log_level() const { return log_level_; }
  // The request's "no retry-on retry" flag, which disable-l7-retry sets
  // (null: not on a request).
  void set_l7_retry_off(bool* off) { l7_retry_off_ = off; }
  bool* l7_retry_off() const { return l7_retry_off_; }
  // Where rules that end their list record themselves (null: nowhere).
  void set_last_rule(LastRule* r) { last_rule_ = r; }
  LastRule* last_rule() const { return last_rule_; }
  // The stream's timeout overrides, which set-timeout writes and
  // cur_server_timeout / cur_tunnel_timeout read (null: none, as in TCP).
  void set_timeouts(TimeoutOverride* t) { tmo_ = t; }
  TimeoutOverride* timeouts() const { return tmo_; }
  // The transaction's queue priority, which set-priority-class and
  // set-priority-offset write and prio_class / prio_offset read (null: none).
  void set_priority(StreamPriority* p) { prio_ = p; }
  StreamPriority* priority() const { return prio_; }
  // The stream's task profile (cpu_calls & co; null: none).
  void set_profile(const TaskProfile* p) { prof_ = p; }
  // Where early-hint rules gather their 103 (null: the client gets none).
  void set_early_hints(EarlyHints* h) { hints_ = h; }
  EarlyHints* early_hints() const { return hints_; }
  // Response rules run here (response slots for capture).
  bool on_response() const { return (where_ & expr::kUseRes) != 0; }

  // The request asks a proxy (option http-use-proxy-header and a target
  // that is not a path): credentials come in Proxy-Authorization.
  void set_proxy_auth(bool proxy) { proxy_auth_ = proxy; }

  // The most bytes the head may take once rewritten (tune.maxrewrite,
  // rewrite_budget.h; SIZE_MAX: no bound but the head's block).
  void set_rewrite_limit(size_t limit) { rewrite_limit_ = limit; }
  size_t rewrite_limit() const { return rewrite_limit_; }
  // Counts a rewrite that failed (the frontend's "wrew"), in both strict modes.
  void count_failed_rewrite() const;

  // The payload received so far (req.body & co on a request, res.body & co
  // on a response, body_fetch.cc), and its announced length (-1: unknown,
  // chunked). *seen is set once a fetch reads it (such a payload is not
  // spliced).
  void set_body(std::string_view data, int64_t declared, bool* seen = nullptr) {
    body_ = data;
    body_declared_ = declared;
    body_seen_ = seen;
  }

  // Stick counters (stick_counters.h): the stream's tracked slots (null in
  // connection and session rules, which track into the session's).
  void set_stream_trackers(stick::TrackSlots* t) { strm_trk_ = t; }
  stick::TrackSlots* stream_trackers() const { return strm_trk_; }
  // The session's slots (null without a session).
  stick::TrackSlots* session_trackers() const;
  // What a tracker starting here counts at once: the request being
  // analysed (http-request), the response status (http-response).
  void set_track_counts(bool request, int status) {
    track_req_ = request;
    track_status_ = status;
  }
  bool track_counts_request() const { return track_req_; }
  int track_status() const { return track_status_; }

  bool fetch(const expr::FetchDef& def, const expr::Arg* args, size_t nargs, expr::FetchIter& it,
             expr::Sample& out) override;
  bool capture(bool response, size_t id, std::string_view v) override;
  // Where a rule value's %-variables find the transaction's state: `fn`
  // fills a record of it when first asked (null: they print "-").
  using RecordFn = const expr::LogRecord* (*)(void* arg);
  void set_log_record(RecordFn fn, void* arg) {
    rec_fn_ = fn;
    rec_arg_ = arg;
  }
  const expr::LogRecord* log_record() override { return rec_fn_ ? rec_fn_(rec_arg_) : nullptr; }
  // The frontend is in mode http (or set_http_mode said so).
  bool http_mode() const override;
  void set_http_mode(bool http) { http_override_ = http ? 1 : 0; }
  // sc_*, src_*, table_* (stick_fetch.cc).
  bool stick(const expr::StickQuery& q, expr::Sample& io) override;
  // req.* variables exist only while the request is analysed, res.* while
  // the response is.
  expr::VarStore* vars(expr::VarScope scope) override;

 protected:
  bool has_request() const { return req_ != nullptr; }
  // A request head found in a TCP stream's bytes (tcp_http_prefetch.cc):
  // the HTTP request fetches read it from now on.
  void adopt_request(const http::MsgHead* req) {
    req_ = req;
    where_ |= expr::kUseReq;
  }

 private:
  bool fetch_l4(const expr::FetchDef& def, const expr::Arg* args, size_t nargs, expr::Sample& out);
  // The backend a fetch's optional first argument names, else the current one.
  backend::Backend* backend_arg(const expr::Arg* args, size_t nargs) const;
  // The server a "[backend/]server" argument names (checked at load), and
  // its backend in *be when be is not null. Returns: nullptr if none.
  const backend::Server* server_arg(const expr::Arg& a, backend::Backend** be) const;
  bool fetch_request(const expr::FetchDef& def, const expr::Arg* args, size_t nargs,
                     expr::FetchIter& it, expr::Sample& out);
  bool fetch_captured(const expr::FetchDef& def, expr::Sample& out);
  int64_t timeout_of(expr::FetchId id) const;
  bool fetch_body(const expr::FetchDef& def, const expr::Arg* args, size_t nargs,
                  expr::FetchIter& it, expr::Sample& out);
  bool fetch_auth(const expr::FetchDef& def, const expr::Arg* args, expr::Sample& out);
  bool fetch_response(const expr::FetchDef& def, const expr::Arg* args, size_t nargs,
                      expr::FetchIter& it, expr::Sample& out);
  // kFcSrc .. kStopping (sample_fetch_more.cc).
  bool fetch_more(const expr::FetchDef& def, const expr::Arg* args, size_t nargs,
                  expr::FetchIter& it, expr::Sample& out);
  bool fetch_request_more(const expr::FetchDef& def, const expr::Arg* args, size_t nargs,
                          expr::FetchIter& it, expr::Sample& out);
  bool fetch_server_state(const expr::FetchDef& def, const expr::Arg* args, expr::Sample& out);
  // kBcSrc .. kStopping (sample_fetch_conn.cc).
  bool fetch_conn_side(const expr::FetchDef& def, expr::Sample& out);
  // kPrioClass .. kBcErrStr: the stream's own state (sample_fetch_stream.cc).
  bool fetch_stream(const expr::FetchDef& def, expr::Sample& out);
  bool server_error(expr::FetchId id, expr::Sample& out) const;
  // fe_req_rate, fe_sess_rate, be_sess_rate, srv_sess_rate (sample_fetch_conn.cc).
  bool fetch_rate(const expr::FetchDef& def, const expr::Arg* args, size_t nargs,
                  expr::Sample& out);

  uint8_t where_;
  const net::Connection* client_;
  const net::Connection* server_conn_ = nullptr;
  const Frontend* fe_;
  const backend::Backend* be_;
  const http::MsgHead* req_;
  const http::MsgHead* res_;
  const backend::Server* srv_ = nullptr;
  TxnVars* vars_ = nullptr;
  Session* session_ = nullptr;
  bool proxy_auth_ = false;
  TxnCaptures* caps_ = nullptr;
  int8_t* log_level_ = nullptr;
  bool* l7_retry_off_ = nullptr;
  size_t rewrite_limit_ = SIZE_MAX;
  TimeoutOverride* tmo_ = nullptr;
  LastRule* last_rule_ = nullptr;
  EarlyHints* hints_ = nullptr;
  StreamPriority* prio_ = nullptr;
  const TaskProfile* prof_ = nullptr;
  int8_t http_override_ = -1;  // -1: the frontend's mode decides
  RecordFn rec_fn_ = nullptr;
  void* rec_arg_ = nullptr;
  const ServerConnError* srv_err_ = nullptr;
  const std::string* unique_id_ = nullptr;
  bool* id_read_ = nullptr;
  std::string_view body_;
  int64_t body_declared_ = -1;
  bool* body_seen_ = nullptr;
  stick::TrackSlots* strm_trk_ = nullptr;
  bool track_req_ = false;
  int track_status_ = 0;
};

// The value of parameter `name` (any when empty; each in turn when `it`
// iterates) in "a=1&b=2": parameters end at '&', ';' or `delim`.
// Returns: false if there is none.
bool find_param(std::string_view params, std::string_view name, char delim, expr::FetchIter& it,
                std::string_view* out);

// Process-wide lookup of backends by name, for nbsrv(NAME). Set by the
// runtime when it builds the proxies.
// Written only while the runtime is built, before any worker runs; read
// without a lock afterwards.
void register_backend(backend::Backend* be);
void clear_backend_registry();
// Returns: the backend (or listen) section called `name`, or nullptr.
backend::Backend* find_registered_backend(std::string_view name);

// Evaluates `e` in `ctx` and copies its text into buf (at most cap bytes).
// Returns: its length; 0 when there is no sample, it does not fit, or it
// cannot be cast to a string (for a server's "sni").
size_t eval_to_buffer(const expr::SampleExpr& e, expr::FetchContext& ctx, char* buf, size_t cap);

}  // namespace hearth::stream
