// HttpStream's access log: one line per transaction in the frontend's
// format (option httplog / tcplog / httplog clf / log-format), and the
// unique id.
#include "net/connection.h"
#include "net/transport.h"
#include "stream/access_log.h"
#include "stream/http_stream.h"
#include "stream/sample_fetch.h"
#include "stream/session.h"
#include "stream/session_log.h"

namespace hearth::stream {

void HttpStream::log_end() {
  // option dontlognull: a connection on which the client sent nothing (a
  // port probe) is not logged.
  if (fe_->dontlognull && log_.req_first_ms < 0) return;
  // set-log-level silent, or a level the log does not want: no line (and
  // nothing to compute for it).
  if (log_.level == config::kLogSilent || log_.level > fe_->logs.max_level) return;
  if (fe_->logs.max_level < config::kLogEmerg) return;  // no target
  if (fe_->logs.fmt) log_http();
}

void HttpStream::fill_log_record(expr::LogRecord& r) {
  const int64_t t = now();
  const int64_t first = log_.req_first_ms >= 0 ? log_.req_first_ms : log_.start_ms;
  auto span = [](int64_t from, int64_t to) { return from >= 0 && to >= 0 ? to - from : -1; };
  const int64_t wall = wall_clock_ms();
  const net::Connection* cli = scf_->conn;
  if (cli) {  // set-src / set-dst change what the log shows, as HAProxy
    const int luid = session()->bind ? session()->bind->id : 0;  // a UNIX socket's "port"
    to_log_addr(session()->client_addr(cli).sa(), &r.client, luid);
    if (const auto dst = session()->dst_addr(cli)) to_log_addr(dst->sa(), &r.frontend, luid);
  }
  r.backend_src = log_.be_src;
  const backend::Server* srv = ss_.server();
  if (srv) {
    const net::Address a = srv->address();
    to_log_addr(a.sa(), &r.server);
  }
  r.fe_name = fe_->name;
  r.fe_ssl = cli && cli->xprt && cli->xprt->ssl(cli);
  r.be_name = be_ ? be_->name() : fe_->name;  // as HAProxy: no backend, the frontend
  // A request denied before connecting still names the server its cookie
  // chose, as HAProxy.
  const backend::Server* named = srv ? srv : ck_.direct ? ck_.server : nullptr;
  r.srv_name = named ? std::string_view(named->name) : std::string_view("<NOSRV>");
  // The times start at the accept: the stream began after the handshake.
  r.accept_ms = wall - (t - log_.start_ms) - log_.th;
  r.request_ms = wall - (t - first);
  r.th = log_.th;
  r.ti = first - log_.start_ms;
  r.treq = span(first, log_.req_ready_ms);
  r.tw = span(log_.req_ready_ms, ss_.slot_ms() >= 0 ? ss_.slot_ms() : log_.left_queue_ms);
  if (log_.tarpit_ms >= 0) {  // as HAProxy: the tarpit counts as the wait, from the start
    r.treq = -1;
    r.tw = log_.tarpit_ms - log_.start_ms;
  }
  r.tc = span(ss_.slot_ms(), ss_.ready_ms());
  r.tr = span(ss_.ready_ms(), log_.res_head_ms);
  r.tt = t - log_.start_ms + log_.th;
  r.status = log_.status ? log_.status : -1;
  r.bytes_out = log_.bytes_out;
  r.bytes_in = log_.bytes_in;
  r.term = log_.term;
  r.act_conns = Frontend::global_conns();
  r.fe_conns = fe_->cur_conns.load(std::memory_order_relaxed);
  // As HAProxy's beconn: the streams switched to the backend, with or
  // without a server yet.
  if (be_) r.be_conns = be_->counters.cur_conns.load(std::memory_order_relaxed);
  r.srv_conns = srv ? srv->cur_sess.load(std::memory_order_relaxed) : 0;
  r.retries = ss_.retries_done();
  r.redispatched = ss_.redispatched();
  if (ss_.ready_ms() >= 0) r.reuse = ss_.reused() ? 'R' : ss_.guarded() ? 'G' : 'N';
  r.be_queue = ss_.queue_pos();
  r.req_counter = log_.req_id;
  r.request = log_.req_line;
  r.has_request = !log_.req_line.empty();
  r.unique_id = log_.unique_id;
  r.has_unique_id = log_.has_unique_id;
  log_.caps.fill(&r);
  if (cookie_logged(be_ ? be_ : fe_->own_backend)) {
    r.ck_req = ck_.req;
    r.ck_res = ck_.res;
  }
  r.cookie_req = ck_.captured_req();
  r.has_cookie_req = ck_.cap_req_set;
  r.cookie_res = ck_.captured_res();
  r.has_cookie_res = ck_.cap_res_set;
}

// A rule value's %-variables: the record as the log line would say it now.
const expr::LogRecord* HttpStream::rule_log_record(void* self) {
  static thread_local expr::LogRecord r;
  static thread_local std::string line;
  HttpStream* s = static_cast<HttpStream*>(self);
  r = expr::LogRecord{};
  s->fill_log_record(r);
  // The request line as received, also when the log format does not keep it.
  const http::MsgHead& req = s->req_.head;
  if (!r.has_request && !req.received.empty()) {
    const std::string_view rcv = req.received;
    const size_t sp = rcv.find(' ');
    line = capture_request_line(rcv.substr(0, sp), sp == rcv.npos ? "" : rcv.substr(sp + 1),
                                req.version_major, req.version_minor);
    r.request = line;
    r.has_request = true;
  }
  // As HAProxy, the request's time (%TR, %Tq) and the unique id (%ID) are
  // known once the request rules are over; the id also once the unique-id
  // fetch made it.
  if (!s->log_.req_rules_done) {
    r.treq = -1;
    if (!s->log_.id_read) r.has_unique_id = false;
  }
  // The response rules see the server's response as it stands.
  if (s->res_.from_server && !s->res_.head_done) {
    r.status = s->res_.head.status;
    r.tr = s->ss_.ready_ms() >= 0 ? s->now() - s->ss_.ready_ms() : -1;
    if (!r.backend_src.family && s->scb() && s->scb()->conn)
      local_log_addr(s->scb()->conn->fd(), &r.backend_src);
  }
  return &r;
}

void HttpStream::log_http() {
  expr::LogRecord r;
  fill_log_record(r);
  const net::Connection* cli = scf_->conn;
  const backend::Server* srv = ss_.server();
  const bool head = log_.head_ms >= 0;
  TxnFetch fetch(expr::kUseConn | (head ? expr::kUseReq : 0), cli, fe_, be_,
                 head ? &req_.head : nullptr, nullptr);
  fetch.set_server(srv);
  fetch.set_server_conn(scb() ? scb()->conn : nullptr);
  fetch.set_server_error(&ss_.conn_error());
  fetch.set_vars(&vars_, session());
  fetch.set_stream_trackers(&trk_);
  fetch.set_timeouts(&tmo_);
  fetch.set_priority(&prio_);
  fetch.set_profile(&prof_);
  fetch.set_last_rule(&log_.last_rule);
  fetch.set_captures(&log_.caps, &log_.unique_id, log_.has_unique_id);
  emit_access_log(fe_->logs, &fetch, r, traffic_log_level(fe_->logs, r, log_.level));
}

// unique-id-format, once the request head is known: kept for %ID, the
// unique-id fetch and unique-id-header.
void HttpStream::make_unique_id() {
  if (!fe_->logs.unique_id || log_.has_unique_id) return;
  expr::LogRecord r;
  const net::Connection* cli = scf_->conn;
  const int64_t t = now();
  const int64_t first = log_.req_first_ms >= 0 ? log_.req_first_ms : log_.start_ms;
  if (cli) {  // set-src / set-dst change what the log shows, as HAProxy
    const int luid = session()->bind ? session()->bind->id : 0;  // a UNIX socket's "port"
    to_log_addr(session()->client_addr(cli).sa(), &r.client, luid);
    if (const auto dst = session()->dst_addr(cli)) to_log_addr(dst->sa(), &r.frontend, luid);
  }
  r.fe_name = fe_->name;
  r.fe_ssl = cli && cli->xprt && cli->xprt->ssl(cli);
  r.be_name = fe_->name;
  r.srv_name = "<NOSRV>";
  const int64_t wall = wall_clock_ms();
  r.accept_ms = wall - (t - log_.start_ms) - log_.th;
  r.request_ms = wall - (t - first);
  r.th = log_.th;
  r.ti = first - log_.start_ms;
  r.treq = t - first;
  r.tt = t - log_.start_ms + log_.th;
  r.req_counter = log_.req_id;
  r.act_conns = Frontend::global_conns();
  r.fe_conns = fe_->cur_conns.load(std::memory_order_relaxed);
  r.request = log_.req_line;
  r.has_request = !log_.req_line.empty();
  log_.caps.fill(&r);
  TxnFetch fetch(expr::kUseConn | expr::kUseReq, cli, fe_, nullptr, &req_.head, nullptr);
  fetch.set_vars(&vars_, session());
  log_.unique_id.clear();
  fe_->logs.unique_id->render(&fetch, r, &log_.unique_id);
  log_.has_unique_id = true;
}

}  // namespace hearth::stream
