// HttpStream's tarpit: an http-request tarpit rule holds the request without
// reading from the client for the tarpit time, then answers it as a deny
// (500 by default), logged "PT". The wait is the stream's timer; the event
// loop never blocks. As HAProxy, a client that leaves meanwhile is noticed
// only when the answer is sent.
#include "stream/http_stream.h"
#include "stream/session.h"

namespace hearth::stream {

void HttpStream::start_tarpit(const config::HttpRule& rule) {
  // The proxy whose rules hold it: the frontend (a listen too) before
  // switching, the backend after (HAProxy's current backend).
  const int64_t t = req_an_.stage == RequestAnalysis::Stage::kBackend ? bs().timeouts.tarpit
                                                                      : fe_->timeouts.tarpit;
  fe_->count(&FrontendTallies::denied_req, bind_ctrs_);
  log_.term = "PT";
  cookies_for_log();
  tarpit_.rule = &rule;
  tarpit_.until = now() + t;  // 0: no wait, answered at once
  phase_ = Phase::kTarpit;
  resume_tarpit();
}

void HttpStream::resume_tarpit() {
  if (!deadline_reached(tarpit_.until, now())) return;
  log_.tarpit_ms = now();
  // As HAProxy, the reply's formats see no request any more (%[path] is
  // empty then): only the connection and the variables.
  TxnFetch fetch(expr::kUseConn, scf_->conn, fe_, be_, nullptr, nullptr);
  fetch.set_vars(&vars_, session());
  answer_by_rule(*tarpit_.rule, fetch);
}

}  // namespace hearth::stream
