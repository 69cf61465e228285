#pragma once
// One HTTP/1.1 transaction: a request read from the client's mux_h1, its rules
// run in order, a backend chosen by content switching, the request sent on a
// connection its ServerSide obtained (reused from the server's ConnPool when
// the policy allows, else new), and the response sent back. When the exchange
// ends, the ConnPool keeps or closes the server connection, and the client
// connection is detached with keep_idle so its mux waits for the next request,
// which creates the next HttpStream. The parts: http_stream.cc (the state
// machine), http_request.cc, http_response.cc, http_txn.cc (the exchange),
// http_log.cc. See docs/architecture.md.
#include <cstdint>
#include <string>

#include "backend/backend.h"
#include "core/buffer.h"
#include "core/tasklet.h"
#include "core/timer.h"
#include "http/body_reader.h"
#include "http/message.h"
#include "http/method.h"
#include "mux/mux_h1.h"
#include "mux/stream_connector.h"
#include "stream/frontend.h"
#include "stream/http_txn_state.h"
#include "stream/server_side.h"

namespace hearth::stream {

struct Session;

class HttpStream {
 public:
  // mux::StreamFactory for incoming HTTP connections; ctx is the Frontend.
  static bool create_incoming(mux::StreamConnector* sc, void* ctx);
  static Pool<HttpStream>& pool();

  HttpStream(Frontend* fe, mux::StreamConnector* scf);
  ~HttpStream();

  enum class Phase {
    kReqHead,     // waiting for / parsing the request head
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

  // Request head and rules (http_txn.cc).
  void read_request_head();
  bool route_request(const http::RequestHead& req, size_t consumed);
  bool answer_by_rule(const config::HttpRule& rule, size_t consumed);
  bool write_final_response_head(const http::ResponseHead& res);
  void copy_request_body();
  // Server side (the shared ServerSide does the work).
  void assign_server();
  void on_server(ServerSide::State st);
  bool try_retry(uint32_t condition, bool reused_race);
  // Exchange (http_txn.cc).
  void exchange();
  bool exchange_once();
  bool send_request();
  bool read_response();
  bool parse_response_head();
  bool send_response();
  bool feed_response_body();
  bool send_decoded_body();
  void on_server_gone();
  void end_transaction();
  void tunnel();
  // Replies and teardown.
  void reply(int status, const char* ctype, const char* body, bool close);
  void flush_local_reply();
  void abort_all();
  void update_subscriptions();
  void update_exchange_deadlines();
  void update_timer();
  void log_end();
  void log_http();

  Session* session() const;
  mux::MuxH1* fmux() const { return static_cast<mux::MuxH1*>(scf_->mux); }
  mux::StreamConnector* scb() const { return ss_.scb(); }
  mux::MuxH1* bmux() const { return scb() ? static_cast<mux::MuxH1*>(scb()->mux) : nullptr; }
  int64_t now() const;
  // Returns: now() + timeout, or kNever when timeout is 0 (none).
  int64_t deadline(int64_t timeout) const;
  // The backend's settings. Requires: a backend was chosen (be_).
  const backend::BackendSettings& bs() const { return be_->settings; }
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
  // The backend this request goes to: chosen by content switching once the
  // frontend's request rules ran; nullptr before (and if none matched).
  backend::Backend* be_ = nullptr;
  mux::StreamConnector* scf_;
  Phase phase_ = Phase::kReqHead;

  size_t scan_pos_ = 0;  // where the search for the end of a head resumes
  HttpRequestState req_;
  HttpResponseState res_;
  HttpLogState log_;
  HttpDeadlines exp_;

  Tasklet tasklet_;
  WaitEvent wait_f_, wait_b_;
  ServerSide ss_;
  Timer timer_;
};

// Streams (TCP and HTTP) alive on the calling thread; a graceful stop waits for 0.
int& live_streams_on_thread();
// Set once a graceful stop began: HTTP answers "connection: close" from then on.
void set_soft_stop();
bool soft_stopping();

}  // namespace hearth::stream
