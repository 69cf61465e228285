// HttpStream's request analysers: the request head, the rules in order,
// content switching, the request body and sending the request.
#include "http/head_parser.h"
#include "net/connection.h"
#include "stream/head_reader.h"
#include "stream/http_head_writer.h"
#include "stream/http_rules.h"
#include "stream/http_stream.h"
#include "stream/session_log.h"

namespace hearth::stream {
void HttpStream::read_request_head() {
  mux::MuxH1* fm = fmux();
  Buffer& in = fm->ibuf();
  if (!in.full() && !(scf_->flags & kEnd)) fm->fill();
  if (log_.req_first_ms < 0 && !in.empty()) log_.req_first_ms = now();
  http::HeadParser& parser = thread_head_parser(fe_->http.max_headers);
  http::RequestHead req;
  const BufferedHead head = parse_buffered_request(parser, in, &scan_pos_, &req);
  if (!head.complete) {
    if (in.full()) {
      // The head can never fit. The parser tells a start line that is already
      // too long (414) from a head that is too large (431).
      parser.reset();
      http::RequestHead partial;
      http::ParseResult r = parser.parse_request(std::string_view(in.head(), in.len()), &partial);
      parser.reset();
      log_.term = "PR";
      int status = r.status == http::ParseStatus::kError ? r.http_status : 431;
      return reply(status, "text/plain", nullptr, true);
    }
    if (scf_->flags & kEnd) {
      log_.term = "CR";
      return abort_all();  // the client left before sending a whole request
    }
    return;
  }
  const http::ParseResult r = head.result;
  if (r.status == http::ParseStatus::kNeedMore) return;
  fe_->counters.http_requests.fetch_add(1, std::memory_order_relaxed);
  if (r.status == http::ParseStatus::kError) {
    log_.term = "PR";
    return reply(r.http_status, "text/plain", nullptr, true);
  }
  log_.head_ms = now();
  if (fe_->log && fe_->log_format == config::LogFormat::kHttp)
    log_.req_line = capture_request_line(req.method_str, req.target, req.version_minor);
  req_.method = req.method;
  req_.idempotent = http::is_idempotent(req.method);
  req_.client_keepalive = req.flags.keep_alive;
  req_.client_minor = req.version_minor;
  req_.upgrade = req.flags.upgrade || req.method == http::Method::kConnect;
  req_.body.reset(req.framing.kind == http::BodyFraming::Kind::kTunnel ? http::BodyFraming::none()
                                                                       : req.framing);
  if (!route_request(req, r.consumed)) return;
  in.consume(r.consumed);
  scan_pos_ = 0;
  copy_request_body();
  if (phase_ == Phase::kDone || phase_ == Phase::kLocalReply) return;
  assign_server();
}

// Request rules in order (the frontend's, content switching, the backend's),
// then the rewritten head into req_.out. Returns: false if the stream
// answered by itself (deny, return, no backend, a head too large); the head
// (`consumed` bytes of the client's buffer) is then consumed only by return.
bool HttpStream::route_request(const http::RequestHead& req, size_t consumed) {
  http::HeaderList& fields =
      thread_field_list(req.headers.size() + fields_added_by(fe_->http.request_rules) + 1);
  collect_end_to_end(req.headers, req.connection, req.flags.upgrade, false, fields);
  bool full = false;
  const config::HttpRule* final_rule = eval_http_rules(fe_->http.request_rules, fields, &full);
  if (!final_rule) {
    be_ = fe_->select_backend();
    if (!be_) {  // as HAProxy: no use_backend matched and no default_backend
      log_.term = "SC";
      reply(503, "text/plain", "Service Unavailable\n", true);
      return false;
    }
    if (!fe_->owns(be_)) {
      reserve_thread_fields(fields_added_by(bs().request_rules));
      final_rule = eval_http_rules(bs().request_rules, fields, &full);
    }
  }
  if (full) {  // cannot happen: room was reserved for every field a rule adds
    log_.term = "PR";
    reply(500, "text/plain", nullptr, true);
    return false;
  }
  if (final_rule) return answer_by_rule(*final_rule, consumed);
  char ip[64];
  if (fe_->http.forwardfor || bs().forwardfor)
    fields.add("x-forwarded-for", scf_->conn->peer().ip_str(ip, sizeof ip));
  RequestHeadOptions opt;
  opt.close_server_side = conn_mode() != config::HttpConnMode::kKeepAlive;
  if (!write_request_head(req, fields, opt, req_.out)) {
    req_.out.release();
    reply(431, "text/plain", "Request Header Fields Too Large\n", true);
    return false;
  }
  return true;
}

// A deny or return rule answers the request. Returns: false (the stream replied).
bool HttpStream::answer_by_rule(const config::HttpRule& rule, size_t consumed) {
  const char* ctype = rule.content_type.empty() ? "text/plain" : rule.content_type.c_str();
  const char* body = rule.value.empty() && rule.content_type.empty() ? nullptr : rule.value.c_str();
  if (rule.action == config::HttpRule::Action::kDeny) {
    log_.term = "PR";
    reply(rule.status ? rule.status : 403, ctype, body, true);
    return false;
  }
  fmux()->ibuf().consume(consumed);
  const bool close = !req_.client_keepalive || !req_.body.done();
  reply(rule.status, rule.content_type.c_str(), rule.value.c_str(), close);
  return false;
}

// Moves request body bytes from the client's input buffer into req_.out, as far
// as req_.out has room, validating the framing on the way.
void HttpStream::copy_request_body() {
  Buffer& in = fmux()->ibuf();
  while (!req_.body.done() && !in.empty() && req_.out.room() > 0) {
    size_t take = in.len() < req_.out.room() ? in.len() : req_.out.room();
    http::BodyStatus st;
    size_t n = req_.body.feed(in.head(), take, &st);
    if (st == http::BodyStatus::kError) {
      log_.term = "PR";
      // Until a response begins toward the client it still gets a 400; the
      // server connection, which holds a partial request, is closed by reply().
      if (!res_.head_done && res_.out.empty()) return reply(400, "text/plain", nullptr, true);
      return abort_all();
    }
    req_.out.append(in.head(), n);
    in.consume(n);
    if (n == 0) break;
  }
  req_.done = req_.body.done();
}

// Writes req_.out from req_.sent on. Bytes stay in req_.out (for a replay) until
// the response starts or the buffer is needed for more body.
bool HttpStream::send_request() {
  if (!scb() || (scb()->flags & mux::kScError)) return false;
  bool progress = false;
  if (req_.sent < req_.out.len()) {
    size_t n = bmux()->send(req_.out.head() + req_.sent, req_.out.len() - req_.sent);
    req_.sent += n;
    progress = n > 0;
    if (n) exp_.srv = deadline(bs().timeouts.server);
  }
  if (!req_.done && req_.out.room() == 0 && req_.sent > 0) {
    // The body outgrows the buffer: what was sent is gone for good.
    req_.out.consume(req_.sent);
    req_.sent = 0;
    req_.replayable = false;
  }
  return progress;
}

}  // namespace hearth::stream
