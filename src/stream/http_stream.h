#pragma once
// One HTTP transaction, protocol-neutral: a request head (http::MsgHead) taken
// from the client's HTTP mux, its rules run in order, a backend chosen by
// content switching, the request sent as a neutral message on a connection its
// ServerSide obtained (reused from the server's ConnPool when the policy
// allows, else new), and the response handed back the same way. The muxes
// frame the messages for their protocol (mux_h1: HTTP/1.1); this class never
// sees protocol syntax. When the exchange ends, the ConnPool keeps or closes
// the server connection, and the client connection is detached with keep_idle
// so its mux waits for the next request, which creates the next HttpStream.
// The parts: http_stream.cc (the state machine), http_request.cc,
// http_response.cc, http_txn.cc (the exchange), http_log.cc. See
// docs/architecture.md.
#include <cstdint>
#include <string>

#include "backend/backend.h"
#include "backend/passive_health.h"
#include "core/buffer.h"
#include "core/tasklet.h"
#include "core/timer.h"
#include "http/method.h"
#include "http/msg.h"
#include "mux/http_mux.h"
#include "mux/stream_connector.h"
#include "stick/track.h"
#include "stream/cookie_persist.h"
#include "stream/early_hints.h"
#include "stream/frontend.h"
#include "stream/http_rules.h"
#include "stream/http_txn_state.h"
#include "stream/live_stream.h"
#include "stream/priority.h"
#include "stream/server_side.h"
#include "stream/splice_dir.h"
#include "stream/stats_service.h"
#include "stream/stick_rules.h"
#include "stream/txn_vars.h"

namespace hearth::stream {

struct Session;

// Where the request analysis stands, so that it resumes there once the
// payload it waits for arrived.
struct RequestAnalysis {
  // k*Stats: the proxy's stats page, after its rules (http_stats.cc).
  enum class Stage : uint8_t {
    kFrontend,
    kFrontendStats,
    kSwitch,
    kBackend,
    kBackendStats,
    kFinish
  };
  Stage stage = Stage::kFrontend;
  bool buffered = false;     // this stage's option http-buffer-request was honoured
  RuleCursor rules;          // the next rule of this stage's list
  bool waiting = false;      // a wait for the payload is under way
  int64_t until = kNever;    // ... until then (the wait's time; kNever: none)
  int64_t at_least = 0;      // ... or this many bytes (0: all, or a full buffer)
  size_t wire0 = 0;          // the head's size as received (rewrite_budget.h; 0: not yet)
  bool intercepted = false;  // counted as a stats page request
};

// Where the response analysis stands (http_response_body.cc): the stage of
// the response rules, so that it resumes there once the payload an
// http-response wait-for-body rule waits for arrived.
struct ResponseAnalysis {
  enum class Stage : uint8_t { kBackend, kFrontend, kFinish };
  Stage stage = Stage::kBackend;
  RuleCursor rules;        // the next rule of this stage's list
  bool waiting = false;    // a wait for the payload is under way
  int64_t until = kNever;  // ... until then (kNever: none)
  int64_t at_least = 0;    // ... or this many bytes (0: all, or a full buffer)
  size_t wire0 = 0;        // the head's size as received (measured if rules bound it)
  bool started = false;    // the rules began on this response
  bool may_wait = false;   // its rule lists read the payload (rules_read_body())
};

class HttpStream : public LiveStream {
 public:
  // mux::StreamFactory for incoming HTTP connections; ctx is the Frontend.
  static bool create_incoming(mux::StreamConnector* sc, void* ctx);
  static Pool<HttpStream>& pool();

  HttpStream(Frontend* fe, mux::StreamConnector* scf);
  ~HttpStream() override;

  // LiveStream: "show sess" and "shutdown session(s)".
  std::string describe(int64_t now_ms) const override;
  std::string describe_detail(int64_t now_ms) const override;
  void kill(char cause = 'K') override;
  const backend::Server* current_server() const override { return ss_.server(); }

  enum class Phase {
    kReqHead,     // waiting for / parsing the request head
    kReqBody,     // the request rules wait for the payload (http_request_body.cc)
    kResBody,     // the response rules wait for the payload (http_response_body.cc)
    kTarpit,      // http-request tarpit: holding the request until tarpit_.until (http_tarpit.cc)
    kLocalReply,  // sending a response Hearth made itself
    kConnect,     // the server side is assigning a server and connecting
    kExchange,    // request and response are flowing
    kTunnel,      // after 101 / CONNECT 2xx: raw bytes both ways
    kDone,
  };

 private:
  // A connector's input ended (EOF) or failed.
  static constexpr uint32_t kEnd = mux::kScEos | mux::kScError;

  static void process_cb(Tasklet* t, void* ctx, uint32_t state);
  static void timer_cb(Timer* t, void* ctx);
  void process(uint32_t why);
  void check_timeouts();

  // Request analysers (http_request.cc).
  void read_request_head();
  bool answer_monitor();
  bool analyse_request();
  // `redirects`: the proxy's legacy redirect rules, run after `rules` and
  // its option http-restrict-req-hdr-names (`names`).
  bool run_stage(const std::vector<config::HttpRule>& rules,
                 const std::vector<config::HttpRule>& redirects, bool buffer,
                 config::HdrNamePolicy names, const config::HttpRule** final_rule, bool* full);
  TxnFetch request_fetch();
  // ServerSide::SniEval: a server's "sni" over the request.
  static size_t eval_sni(void* app, const expr::SampleExpr& e, char* buf, size_t cap);
  // The transaction's unique id, made now if not yet (a server's PROXY v2
  // unique-id option). Returns: "" without unique-id-format.
  static std::string_view unique_id_of(void* app);
  void to_server();
  // Waiting for the request payload (http_request_body.cc). wait_body:
  // Returns: true if the payload is there or cannot come; false if the
  // stream waits for it (phase kReqBody) or answered.
  bool wait_body(int64_t timeout, int64_t at_least);
  bool body_ready(int64_t at_least) const;
  void resume_request();
  void send_continue();
  bool add_forward_headers(http::MsgHead& req);
  // tcp-request content rules (HTTP mode: once per request, before the
  // http-request rules). Returns: false if one rejected (stream aborted).
  bool pass_tcp_content(const std::vector<config::TcpRule>& rules, const backend::Backend* be);
  // A request denied (or tarpitted) by a rule: its cookies are still read
  // for the log, as HAProxy (the cookie's server, %tsc, %CC), by the proxy
  // whose rules run (cookie_persist.h).
  void cookies_for_log();
  bool answer_by_rule(const config::HttpRule& rule, expr::FetchContext& ctx);
  // http-request tarpit (http_tarpit.cc): start_tarpit holds the request
  // for the tarpit time of the proxy whose rule it is (answering at once
  // when that is 0); resume_tarpit answers it as a deny once the time is up.
  void start_tarpit(const config::HttpRule& rule);
  void resume_tarpit();
  // Returns: true if a local reply (a rule's, or an error's: 502, 503, 504)
  // must close the client connection: it does not keep alive, or its request
  // payload was left unread.
  bool rule_reply_closes() const;
  void answer_redirect(const config::HttpRule& rule, expr::FetchContext& ctx, bool close);
  void answer_server_redirect(std::string_view prefix);
  void answer_auth(const config::HttpRule& rule, bool close);  // http_auth_reply.cc
  void send_auth_challenge(std::string_view realm, bool close);
  // The stats page (http_stats.cc). stats_wanted: Returns: true if `st` is
  // enabled and the request is for it. answer_stats: applies its access
  // rules, waits for a POST's form, and answers (page, CSV, 303 after an
  // admin action, 401 or 403).
  bool stats_wanted(const config::StatsPageConfig* st) const;
  void answer_stats(const config::StatsPageConfig& st, bool backend_side);
  bool stats_access(const config::StatsPageConfig& st, TxnFetch& fetch);
  // Sends a built answer (the stats page's or a service's) as a local reply.
  void send_built_answer(StatsPageAnswer& a);
  // http-request use-service NAME (http_service_action.cc): the service answers.
  void answer_service(const config::HttpRule& rule);
  void read_request_body();
  bool send_request();
  // Server side (the shared ServerSide does the work).
  void assign_server();
  void on_server(ServerSide::State st);
  bool try_retry(uint32_t condition, bool reused_race);
  // Forgets what was sent of the request and read of the response, so that
  // the request goes again whole on the next connection.
  void rewind_for_resend();
  // Response analysers (http_response.cc).
  bool read_response();
  bool take_response_head();
  // The head passed every rule and went to the client's mux: the exchange
  // goes on with the payload (or a tunnel).
  void response_head_sent();
  bool run_response_rules();
  TxnFetch response_fetch();
  // Waiting for the response payload (http_response_body.cc).
  // rules_read_body: a response or after-response rule list of this
  // transaction has a wait-for-body rule or a rule reading res.body & co
  // (the head is then not borrowed, and the payload at hand is pulled in
  // before the rules run). pull_response_body: moves
  // what the server's mux holds into res_.data, up to the buffer's limit.
  // wait_response_body: Returns: true if the payload is there (or cannot
  // come); false if the stream waits for it (phase kResBody).
  bool rules_read_body() const;
  void set_response_body(TxnFetch& fetch) const;
  void pull_response_body();
  size_t response_body_limit() const;
  bool response_body_ready() const;
  bool wait_response_body(int64_t timeout, int64_t at_least);
  void resume_response();
  // Sends what res_.data holds to the client's mux. Returns: progress.
  bool forward_pulled_body();
  // The backend's tcp-response content rules, once per response, final (the
  // mux owns the bytes, as for the request). Returns: false if they rejected
  // the response (the client connection is closed, nothing sent).
  bool pass_tcp_response();
  bool run_after_response_rules(http::MsgHead& res);
  size_t fields_added_after() const;
  bool forward_response_body();
  void on_server_gone();
  // Reports an event of the server's traffic to its passive health.
  void note_passive(backend::PassiveEvent e);
  // Keeps an invalid head for "show errors" (error_capture.h).
  void capture_invalid(const mux::RxHeadResult& r, bool response);
  // Splicing payload (http_splice.cc): the modes once the backend is known;
  // one round of each direction through its pipe. Returns: true while the
  // pipe carries the payload (the buffered path waits); *progress is set if
  // bytes moved.
  void set_splice_modes();
  bool splice_request(bool* progress);
  bool splice_response(bool* progress);
  // A tunnel's direction `sp`: true while its pipe carries it.
  bool splice_tunnel(SpliceDir& sp, mux::StreamConnector* from, mux::StreamConnector* to,
                     bool* progress);
  // Counts bytes a pipe took in and gave out for the request (else the
  // response) in the frontend's and backend's h1_spliced_bytes_*.
  void count_spliced(size_t in, size_t out, bool request);
  // Exchange (http_txn.cc).
  void exchange();
  bool exchange_once();
  void end_transaction();
  void tunnel();
  // Replies and teardown.
  void reply(int status, bool close);
  void reply_plain(int status, bool close);
  // Error messages (http_error_reply.cc): the one for `status` (backend,
  // frontend, built-in; null for a code without one), sending one, and the
  // answer to an error of the client's mux.
  const config::HttpReply* error_reply(int status) const;
  void send_reply(const config::HttpReply& r, int status, bool close);
  void reply_mux_error(int status);
  // Takes storage for a local reply with `fields` fields (and room for the
  // http-after-response rules). Returns: false if it cannot.
  bool init_local_head(http::MsgHead& h, size_t fields) const;
  // Sends `h` (fields and payload kept in it, `ok` if they all fitted) as
  // the local response with `status` (and `reason`, else one set in `h`,
  // else the standard one), after the http-after-response rules.
  void send_local(http::MsgHead& h, int status, std::string_view payload, bool ok, bool close,
                  std::string_view reason = {});
  void flush_local_reply();
  void abort_all();
  // A reject or silent-drop rule (http or tcp content): counted as a denied
  // request, logged "PR", the client connection closed without an answer;
  // `silent`: prepared first so the client is not told (net/socket.h).
  // `term`: "PR" even on the response for http-response silent-drop, as
  // HAProxy's; "PD" for tcp-response content rules.
  void drop_client(bool silent, const char* term = "PR");
  // Logs the transaction and hands the client connection back to its mux,
  // kept for the next request or closed.
  void leave_client(bool keep);
  void update_subscriptions();
  void update_exchange_deadlines();
  // Bytes went to the client (server): restarts its deadline, or only its
  // write deadline under option independent-streams.
  void sent_to_client();
  void sent_to_server();
  bool indep_client() const;
  // option abortonclose of the backend: while the request waits for a
  // server, the client side is read so that its close is seen.
  bool abort_on_close() const;
  // With it, in the exchange: the client is watched until the response head
  // (watching_client_close), and its close before then ends the stream
  // (client_left_before_response reads what it sent to see it).
  bool watching_client_close() const;
  bool client_left_before_response();
  bool indep_server() const;
  void update_timer();
  void log_end();
  void log_http();
  // The access log's record of this transaction as it stands now.
  void fill_log_record(expr::LogRecord& r);
  // TxnFetch's RecordFn for rule values' %-variables (`self`: the stream).
  static const expr::LogRecord* rule_log_record(void* self);
  void count_transaction();
  void make_unique_id();

  Session* session() const;
  mux::HttpMux* fmux() const { return mux::http_mux(scf_); }
  mux::StreamConnector* scb() const { return ss_.scb(); }
  mux::HttpMux* bmux() const { return scb() ? mux::http_mux(scb()) : nullptr; }
  int64_t now() const;
  // Returns: now() + timeout, or kNever when timeout is 0 (none).
  int64_t deadline(int64_t timeout) const;
  // The request payload buffer can take more (it is released while empty).
  bool req_room() const { return !req_.data.allocated() || req_.data.room() > 0; }
  // The backend's settings. Requires: a backend was chosen (be_).
  const backend::BackendSettings& bs() const { return be_->settings; }
  // timeout server / tunnel for this stream: the backend's unless an
  // http-request set-timeout rule changed it. Requires: be_.
  int64_t server_timeout() const { return tmo_.server >= 0 ? tmo_.server : bs().timeouts.server; }
  int64_t tunnel_timeout() const { return tmo_.tunnel >= 0 ? tmo_.tunnel : bs().timeouts.tunnel; }
  // http-keep-alive / server-close / httpclose: the frontend's and the
  // backend's combined (the backend's counts once it is chosen).
  config::HttpConnMode conn_mode() const;
  // How long the client connection may wait for its next request.
  int64_t keep_alive_timeout() const {
    const FrontendTimeouts& t = fe_->timeouts;
    const int64_t ka = t.keep_alive ? t.keep_alive : t.http_request;
    return ka ? ka : t.client;
  }

  Frontend* fe_;
  // The client's bind line's counters ("option socket-stats"; null: none).
  FrontendCounters* bind_ctrs_ = nullptr;
  // The backend this request goes to: chosen by content switching once the
  // frontend's request rules ran; nullptr before (and if none matched).
  backend::Backend* be_ = nullptr;
  backend::BackendHold be_hold_;  // counts this transaction in be_'s be_conn
  mux::StreamConnector* scf_;
  Phase phase_ = Phase::kReqHead;

  HttpRequestState req_;
  RequestAnalysis req_an_;
  std::string stats_page_;  // the stats page being sent (res_.local points into it)
  HttpResponseState res_;
  ResponseAnalysis res_an_;
  TxnVars vars_;  // txn/req/res variables of set-var
  HttpLogState log_;
  CookieState ck_;  // cookie persistence and captures (cookie_persist.h)
  HttpDeadlines exp_;
  // The tarpit rule that holds the request, and until when (phase kTarpit).
  struct Tarpit {
    const config::HttpRule* rule = nullptr;
    int64_t until = kNever;
  } tarpit_;
  TimeoutOverride tmo_;  // set-timeout server / tunnel
  StreamPriority prio_;  // set-priority-class / set-priority-offset
  // Stick counters tracked by this transaction's rules (tcp-request content,
  // http-request, http-response), released when it ends.
  stick::TrackSlots trk_;
  StickStores stick_stores_;  // stick on / store-* keys until the server answers
  stick::TrackSlots* session_trackers() const;
  void end_stick_counters();
  // An event of this transaction for every entry it sees. As HAProxy 2.6
  // counts them: the request; http_err for a 4xx from the server, a request
  // denied (deny, tarpit, auth) or invalid; http_fail for a 5xx from the
  // server other than 501 and 505, an invalid response (502) or a server
  // timeout (504). Replies made by return, redirect and http-response
  // deny, and a 503 for want of a server, count nothing.
  void count_stick_event(stick::Event ev);
  EarlyHints hints_;  // early-hint rules' 103
  // option http-use-proxy-header and a target that is not a path: the
  // client talks to a proxy (Proxy-Authorization, 407).
  bool use_px_conn_ = false;
  bool killed_ = false;    // "shutdown session": end on the next turn
  char kill_cause_ = 'K';  // the first termination flag it then logs
  // Counted in streams_before_server_on_thread() until it asks for a server.
  bool before_server_ = true;
  void leave_before_server();

  TaskProfile prof_;  // this transaction's calls and times (cpu_calls & co)
  Tasklet tasklet_;
  WaitEvent wait_f_, wait_b_;
  SpliceDir splice_req_, splice_res_;  // option splice-*: payload through pipes
  ServerSide ss_;
  Timer timer_;
};

// Streams (TCP and HTTP) alive on the calling thread; a graceful stop waits for 0.
int& live_streams_on_thread();
// HTTP streams on the calling thread that have not asked for a server yet
// (their request is being read or analysed). A worker that hands its idle
// server connections over at a reload keeps as many: they are about to ask.
int& streams_before_server_on_thread();
// Set once a graceful stop began: HTTP answers "connection: close" from then on.
void set_soft_stop();
bool soft_stopping();

}  // namespace hearth::stream
