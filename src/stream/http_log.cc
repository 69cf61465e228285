// HttpStream's access log record: the tcplog line or the httplog line.
#include "net/connection.h"
#include "stream/http_stream.h"
#include "stream/log_names.h"
#include "stream/session.h"
#include "stream/session_log.h"

namespace hearth::stream {

void HttpStream::log_end() {
  // option dontlognull, as in TCP mode: a connection on which the client sent
  // nothing (a port probe) is not logged.
  if (fe_->dontlognull && log_.req_first_ms < 0) return;
  if (fe_->log_format == config::LogFormat::kHttp) return log_http();
  // tcplog (or no option): the connection-level shape of TCP mode, one line
  // per transaction.
  SessionLogRecord r;
  fill_session_names(&r, *fe_, be_, ss_.server(), scf_->conn);
  r.t_connect = ss_.slot_ms() >= 0 && ss_.ready_ms() >= 0 ? ss_.ready_ms() - ss_.slot_ms() : -1;
  r.t_total = now() - log_.start_ms;
  r.bytes_out = log_.bytes_out;
  r.termination = log_.term;
  emit_session_log(r);
}

void HttpStream::log_http() {
  const int64_t t = now();
  // Ta and the date start at the first request byte: the wait for it (a new
  // connection's idle time) is not the request's.
  const int64_t first = log_.req_first_ms >= 0 ? log_.req_first_ms : log_.start_ms;
  auto span = [](int64_t from, int64_t to) { return from >= 0 && to >= 0 ? to - from : -1; };
  HttpLogRecord r;
  r.client = scf_->conn ? session()->client_addr(scf_->conn).str() : "-";
  r.date_ms = wall_clock_ms() - (t - first);
  r.frontend = fe_->name;
  r.backend = be_ ? be_->name() : fe_->name;  // as HAProxy: no backend, the frontend
  const backend::Server* srv = ss_.server();
  r.server = srv ? std::string_view(srv->name) : std::string_view("<NOSRV>");
  r.t_request = span(first, log_.head_ms);
  r.t_queue = span(log_.head_ms, ss_.slot_ms());
  r.t_connect = span(ss_.slot_ms(), ss_.ready_ms());
  r.t_response = span(ss_.ready_ms(), log_.res_head_ms);
  r.t_active = t - first;
  r.status = log_.status ? log_.status : -1;
  r.bytes_out = log_.bytes_out;
  r.termination = log_.term;
  r.act_conns = Frontend::global_conns();
  r.fe_conns = fe_->cur_conns.load(std::memory_order_relaxed);
  if (be_)
    for (const auto& s : be_->servers()) r.be_conns += s->cur_sess.load(std::memory_order_relaxed);
  r.srv_conns = srv ? srv->cur_sess.load(std::memory_order_relaxed) : 0;
  r.retries = ss_.retries_done();
  r.redispatched = ss_.redispatched();
  r.be_queue = ss_.queue_pos();
  r.request = log_.req_line;
  emit_http_log(r);
}

}  // namespace hearth::stream
