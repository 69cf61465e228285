// HttpStream: the byte paths of one transaction — request head and rules,
// request body, response head, response body, end of exchange, tunnels and
// local replies.
#include <memory>

#include "http/framing.h"
#include "http/head_parser.h"
#include "http/status.h"
#include "net/connection.h"
#include "stream/head_reader.h"
#include "stream/http_head_writer.h"
#include "stream/http_rules.h"
#include "stream/http_stream.h"
#include "stream/session.h"
#include "stream/session_log.h"

namespace hearth::stream {
namespace {

// One parser per thread: heads are parsed only once complete, in one call, and
// everything taken from them is copied into an output buffer before the call
// returns to the loop, so no state survives between streams. The thread owns
// it: it is freed when the thread exits.
http::HeadParser& thread_parser(size_t max_headers) {
  static thread_local std::unique_ptr<http::HeadParser> p;
  if (!p) {
    http::HeadLimits l;
    l.max_headers = max_headers;
    l.max_head_size = Buffer::configured_size();
    p = std::make_unique<http::HeadParser>(l);
  }
  return *p;
}

constexpr uint32_t kEnd = mux::kScEos | mux::kScError;

}  // namespace

void HttpStream::read_request_head() {
  mux::MuxH1* fm = fmux();
  Buffer& in = fm->ibuf();
  if (!in.full() && !(scf_->flags & kEnd)) fm->fill();
  if (req_first_ms_ < 0 && !in.empty()) req_first_ms_ = now();
  http::HeadParser& parser = thread_parser(fe_->http.max_headers);
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
      term_ = "PR";
      int status = r.status == http::ParseStatus::kError ? r.http_status : 431;
      return reply(status, "text/plain", nullptr, true);
    }
    if (scf_->flags & kEnd) {
      term_ = "CR";
      return abort_all();  // the client left before sending a whole request
    }
    return;
  }
  const http::ParseResult r = head.result;
  if (r.status == http::ParseStatus::kNeedMore) return;
  fe_->counters.http_requests.fetch_add(1, std::memory_order_relaxed);
  if (r.status == http::ParseStatus::kError) {
    term_ = "PR";
    return reply(r.http_status, "text/plain", nullptr, true);
  }
  head_ms_ = now();
  if (fe_->log && fe_->log_format == config::LogFormat::kHttp)
    req_line_ = capture_request_line(req.method_str, req.target, req.version_minor);
  method_ = req.method;
  idempotent_ = http::is_idempotent(req.method);
  client_keepalive_ = req.flags.keep_alive;
  client_minor_ = req.version_minor;
  upgrade_req_ = req.flags.upgrade || req.method == http::Method::kConnect;
  req_body_.reset(req.framing.kind == http::BodyFraming::Kind::kTunnel ? http::BodyFraming::none()
                                                                       : req.framing);
  if (!route_request(req, r.consumed)) return;
  in.consume(r.consumed);
  scan_pos_ = 0;
  copy_request_body();
  if (phase_ == Phase::kDone || phase_ == Phase::kLocalReply) return;
  assign_server();
}

// Request rules in order (the frontend's, content switching, the backend's),
// then the rewritten head into req_out_. Returns: false if the stream
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
      term_ = "SC";
      reply(503, "text/plain", "Service Unavailable\n", true);
      return false;
    }
    if (!fe_->owns(be_)) {
      reserve_thread_fields(fields_added_by(bs().request_rules));
      final_rule = eval_http_rules(bs().request_rules, fields, &full);
    }
  }
  if (full) {  // cannot happen: room was reserved for every field a rule adds
    term_ = "PR";
    reply(500, "text/plain", nullptr, true);
    return false;
  }
  if (final_rule) return answer_by_rule(*final_rule, consumed);
  char ip[64];
  if (fe_->http.forwardfor || bs().forwardfor)
    fields.add("x-forwarded-for", scf_->conn->peer().ip_str(ip, sizeof ip));
  RequestHeadOptions opt;
  opt.close_server_side = conn_mode() != config::HttpConnMode::kKeepAlive;
  if (!write_request_head(req, fields, opt, req_out_)) {
    req_out_.release();
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
    term_ = "PR";
    reply(rule.status ? rule.status : 403, ctype, body, true);
    return false;
  }
  fmux()->ibuf().consume(consumed);
  const bool close = !client_keepalive_ || !req_body_.done();
  reply(rule.status, rule.content_type.c_str(), rule.value.c_str(), close);
  return false;
}

// Moves request body bytes from the client's input buffer into req_out_, as far
// as req_out_ has room, validating the framing on the way.
void HttpStream::copy_request_body() {
  Buffer& in = fmux()->ibuf();
  while (!req_body_.done() && !in.empty() && req_out_.room() > 0) {
    size_t take = in.len() < req_out_.room() ? in.len() : req_out_.room();
    http::BodyStatus st;
    size_t n = req_body_.feed(in.head(), take, &st);
    if (st == http::BodyStatus::kError) {
      term_ = "PR";
      // Until a response begins toward the client it still gets a 400; the
      // server connection, which holds a partial request, is closed by reply().
      if (!res_head_done_ && res_out_.empty()) return reply(400, "text/plain", nullptr, true);
      return abort_all();
    }
    req_out_.append(in.head(), n);
    in.consume(n);
    if (n == 0) break;
  }
  req_done_ = req_body_.done();
}

void HttpStream::exchange() {
  while (phase_ == Phase::kExchange && exchange_once()) {
  }
  if (phase_ != Phase::kExchange) return;
  if (res_done_ && req_done_ && res_out_.empty() && res_fed_ == 0 && req_sent_ == req_out_.len())
    return end_transaction();
  update_exchange_deadlines();
}

bool HttpStream::exchange_once() {
  bool progress = false;
  if (!req_done_) {
    mux::MuxH1* fm = fmux();
    if (!fm->ibuf().full() && !(scf_->flags & kEnd) && fm->fill()) {
      progress = true;
      cli_exp_ = deadline(fe_->timeouts.client);
    }
    size_t before = req_out_.len();
    copy_request_body();
    if (phase_ != Phase::kExchange) return false;
    progress |= req_out_.len() != before;
    if (!req_done_ && (scf_->flags & kEnd) && fm->ibuf().empty()) {
      term_ = "CD";  // client aborted mid-request
      abort_all();
      return false;
    }
  }
  progress |= send_request();
  if (phase_ != Phase::kExchange) return false;
  progress |= read_response();
  if (phase_ != Phase::kExchange) return false;
  progress |= send_response();
  return progress && phase_ == Phase::kExchange;
}

// Writes req_out_ from req_sent_ on. Bytes stay in req_out_ (for a replay) until
// the response starts or the buffer is needed for more body.
bool HttpStream::send_request() {
  if (!scb() || (scb()->flags & mux::kScError)) return false;
  bool progress = false;
  if (req_sent_ < req_out_.len()) {
    size_t n = bmux()->send(req_out_.head() + req_sent_, req_out_.len() - req_sent_);
    req_sent_ += n;
    progress = n > 0;
    if (n) srv_exp_ = deadline(bs().timeouts.server);
  }
  if (!req_done_ && req_out_.room() == 0 && req_sent_ > 0) {
    // The body outgrows the buffer: what was sent is gone for good.
    req_out_.consume(req_sent_);
    req_sent_ = 0;
    replayable_ = false;
  }
  return progress;
}

bool HttpStream::read_response() {
  if (!scb() || res_done_) return false;
  mux::MuxH1* bm = bmux();
  bool progress = false;
  if (!bm->ibuf().full() && !(scb()->flags & kEnd)) {
    size_t n = bm->fill();
    if (n) {
      res_bytes_ += n;
      progress = true;
      srv_exp_ = deadline(bs().timeouts.server);
    }
  }
  // The next head is parsed only once the previous one (an interim 1xx) has
  // left res_out_: a run of interim heads must not overflow it.
  while (!res_head_done_ && res_out_.empty() && phase_ == Phase::kExchange && parse_response_head())
    progress = true;
  if (phase_ != Phase::kExchange) return false;
  if ((scb()->flags & kEnd) && bm->ibuf().len() == res_fed_) on_server_gone();
  return progress;
}

// Parses one response head from the server's input buffer. Interim (1xx)
// responses are forwarded and parsing goes on. Returns: true if a head was taken.
bool HttpStream::parse_response_head() {
  Buffer& in = bmux()->ibuf();
  http::HeadParser& parser = thread_parser(fe_->http.max_headers);
  http::ResponseHead res;
  const BufferedHead head = parse_buffered_response(parser, in, &scan_pos_, &res);
  if (!head.complete) {
    if (in.full()) {
      term_ = "PH";
      if (try_retry(config::kRetryJunkResponse, false)) return false;
      reply(502, "text/plain", "Bad Gateway\n", true);
    }
    return false;
  }
  const http::ParseResult r = head.result;
  if (r.status == http::ParseStatus::kNeedMore) return false;
  if (r.status == http::ParseStatus::kError) {
    term_ = "PH";
    if (try_retry(config::kRetryJunkResponse, false)) return false;
    reply(502, "text/plain", "Bad Gateway\n", true);
    return false;
  }
  scan_pos_ = 0;
  if (res.status >= 100 && res.status < 200 && res.status != 101) {
    http::HeaderList& fields = thread_field_list(res.headers.size());
    collect_end_to_end(res.headers, res.connection, false, false, fields);
    ResponseHeadOptions o;
    o.interim = true;
    if (!write_response_head(res, fields, o, res_out_)) {
      term_ = "PH";  // cannot happen with an empty res_out_ and a head that fit in
      reply(502, "text/plain", "Bad Gateway\n", true);  // a buffer; kept safe
      return false;
    }
    in.consume(r.consumed);
    return true;
  }
  static const struct {
    int status;
    uint32_t bit;
  } kStatusRetry[] = {{404, config::kRetry404}, {408, config::kRetry408}, {425, config::kRetry425},
                      {500, config::kRetry500}, {501, config::kRetry501}, {502, config::kRetry502},
                      {503, config::kRetry503}, {504, config::kRetry504}};
  for (auto& sr : kStatusRetry)
    if (res.status == sr.status && try_retry(sr.bit, false)) return false;
  http::BodyFraming framing = http::response_framing(method_, res);
  const bool tunnel = framing.kind == http::BodyFraming::Kind::kTunnel;
  server_keep_ = !tunnel && http::response_keeps_alive(res, framing) &&
                 conn_mode() == config::HttpConnMode::kKeepAlive;
  if (http::binds_connection_auth(res)) scb()->conn->flags |= net::kConnPrivate;
  // An HTTP/1.0 client cannot decode chunks (RFC 9112 §6.1): it gets the
  // payload, delimited by the end of the connection.
  dechunk_ = client_minor_ == 0 && framing.kind == http::BodyFraming::Kind::kChunked;
  client_close_ = !tunnel && (!client_keepalive_ || conn_mode() == config::HttpConnMode::kClose ||
                              framing.kind == http::BodyFraming::Kind::kCloseDelimited ||
                              dechunk_ || soft_stopping() || !req_done_);
  if (!write_final_response_head(res)) {
    term_ = "PH";
    reply(502, "text/plain", "Bad Gateway\n", true);
    return false;
  }
  status_ = res.status;
  res_head_ms_ = now();
  in.consume(r.consumed);
  res_head_done_ = true;
  res_body_.reset(tunnel ? http::BodyFraming::none() : framing);
  if (ss_.reused()) ss_.server()->keepalive.observe_alive(ss_.idle_ms());
  // The response has begun: a replay is no longer possible.
  replayable_ = false;
  if (req_sent_ > 0) {
    req_out_.consume(req_sent_);
    req_sent_ = 0;
  }
  if (tunnel) {
    phase_ = Phase::kTunnel;
    tun_exp_ = deadline(bs().timeouts.tunnel ? bs().timeouts.tunnel : fe_->timeouts.client);
  }
  return true;
}

// Response rules in order (the backend's, then the frontend's), then the
// rewritten head into res_out_. Returns: false if it did not fit.
bool HttpStream::write_final_response_head(const http::ResponseHead& res) {
  const bool own = fe_->owns(be_);
  http::HeaderList& fields =
      thread_field_list(res.headers.size() + fields_added_by(bs().response_rules) +
                        (own ? 0 : fields_added_by(fe_->http.response_rules)));
  collect_end_to_end(res.headers, res.connection, res.status == 101, dechunk_, fields);
  bool full = false;
  eval_http_rules(bs().response_rules, fields, &full);
  if (!own && !full) eval_http_rules(fe_->http.response_rules, fields, &full);
  if (full) return false;  // cannot happen: room was reserved for every field a rule adds
  ResponseHeadOptions o;
  o.close_client = client_close_;
  o.client_version_minor = client_minor_;
  return write_response_head(res, fields, o, res_out_);
}

// The server closed (or failed). Before any response byte on a reused
// connection this is the keep-alive race: replay if safe. A close-delimited body
// ends here. Anything else is an error toward the client.
void HttpStream::on_server_gone() {
  if (!res_head_done_) {
    if (res_bytes_ == 0) {
      // A reused connection that died before any response byte was closed by
      // the server after ~idle_ms() of idleness: the same evidence as a
      // close noticed while idle, and the only kind a busy client produces
      // (its requests keep finding connections before their FIN does).
      const bool reused = ss_.reused();
      if (reused) ss_.server()->keepalive.observe_close(ss_.idle_ms());
      if (reused && try_retry(0, /*reused_race=*/true)) return;
      if (!reused && try_retry(config::kRetryEmptyResponse, false)) return;
    }
    term_ = "SH";
    reply(502, "text/plain", "Bad Gateway\n", true);
    return;
  }
  if (res_body_.on_eof()) {
    res_done_ = true;
    server_keep_ = false;
    return;
  }
  term_ = "SD";  // truncated body: the client must see the connection end
  abort_all();
}

// Accepts as much of the response body as the server's ibuf holds (res_fed_).
// Returns: false if the body framing is invalid (the stream is then aborted).
bool HttpStream::feed_response_body() {
  Buffer& in = bmux()->ibuf();
  if (res_body_.done() || res_fed_ >= in.len()) return true;
  http::BodyStatus st;
  res_fed_ += res_body_.feed(in.head() + res_fed_, in.len() - res_fed_, &st);
  if (st != http::BodyStatus::kError) return true;
  term_ = "SD";
  abort_all();
  return false;
}

bool HttpStream::send_response() {
  bool progress = false;
  mux::MuxH1* fm = fmux();
  // A head waiting to go out takes the body bytes already here along, so a small
  // response leaves in one send.
  if (!res_out_.empty() && res_head_done_ && scb() && !dechunk_ && phase_ == Phase::kExchange) {
    if (!feed_response_body()) return false;
    Buffer& in = bmux()->ibuf();
    size_t n = res_out_.append(in.head(), res_fed_);
    in.consume(n);
    res_fed_ -= n;
  }
  if (!res_out_.empty()) {
    size_t n = fm->send(res_out_.head(), res_out_.len());
    res_out_.consume(n);
    bytes_out_ += n;
    progress = n > 0;
    if (n) cli_exp_ = deadline(fe_->timeouts.client);
    if (!res_out_.empty()) return progress;
    res_out_.release();
  }
  if (scf_->flags & mux::kScError) {
    term_ = "CD";
    abort_all();
    return false;
  }
  if (!res_head_done_ || !scb() || phase_ != Phase::kExchange) return progress;
  if (dechunk_) return send_decoded_body() || progress;
  if (!feed_response_body()) return false;
  Buffer& in = bmux()->ibuf();
  if (res_fed_ > 0) {
    size_t n = fm->send(in.head(), res_fed_);
    in.consume(n);
    bytes_out_ += n;
    res_fed_ -= n;
    progress |= n > 0;
    if (n) cli_exp_ = deadline(fe_->timeouts.client);
  }
  if (res_body_.done() && res_fed_ == 0) res_done_ = true;
  return progress;
}

// send_response() for a chunked body sent decoded: the chunk framing is
// consumed from the server's ibuf and only payload runs go to the client.
// res_fed_ counts decoded payload bytes at the head of ibuf not yet sent.
bool HttpStream::send_decoded_body() {
  Buffer& in = bmux()->ibuf();
  mux::MuxH1* fm = fmux();
  bool progress = false;
  for (;;) {
    if (res_fed_ > 0) {
      size_t n = fm->send(in.head(), res_fed_);
      in.consume(n);
      res_fed_ -= n;
      bytes_out_ += n;
      if (n) {
        progress = true;
        cli_exp_ = deadline(fe_->timeouts.client);
      }
      if (res_fed_ > 0) break;
    }
    if (res_body_.done() || in.empty()) break;
    http::BodyStatus st;
    std::string_view payload;
    size_t used = res_body_.chunked().decode(in.head(), in.len(), &st, &payload);
    if (st == http::BodyStatus::kError) {
      term_ = "SD";
      abort_all();
      return false;
    }
    in.consume(used - payload.size());  // the framing before the payload run
    res_fed_ = payload.size();
    progress |= used > 0;
    if (used == 0) break;
  }
  if (res_body_.done() && res_fed_ == 0) res_done_ = true;
  return progress;
}

// Both messages are complete: park or close the server connection, then hand
// the client connection back to its mux (keep-alive) or close it.
void HttpStream::end_transaction() {
  const bool client_keep = !client_close_ && !(scf_->flags & kEnd);
  // The server's pool keeps the connection idle if it can carry another
  // exchange (in its lists, or private to this client) or closes it.
  const backend::ConnRelease done{server_keep_, client_keep, &session()->priv};
  ss_.finish(&done, now());
  if (fe_->log) log_end();
  mux::MuxH1* fm = fmux();
  if (client_keep)
    ++session()->transactions;
  else
    fm->shutw(scf_);
  fm->set_idle_timeout(keep_alive_timeout());
  fm->detach(scf_, client_keep);
  mux::StreamConnector::pool().destroy(scf_);
  phase_ = Phase::kDone;
}

// After 101 / CONNECT 2xx: bytes both ways until both sides closed.
void HttpStream::tunnel() {
  mux::MuxH1* fm = fmux();
  mux::MuxH1* bm = bmux();
  bool progress = true, moved = false;
  while (progress) {
    progress = false;
    if (!res_out_.empty()) {
      size_t n = fm->send(res_out_.head(), res_out_.len());
      res_out_.consume(n);
      bytes_out_ += n;
      moved |= n > 0;
      if (!res_out_.empty()) break;
    }
    auto pump = [&](mux::MuxH1* from, mux::StreamConnector* from_sc, mux::MuxH1* to,
                    uint64_t* count) {
      if (!from->ibuf().full() && !(from_sc->flags & kEnd)) progress |= from->fill() > 0;
      if (!from->ibuf().empty()) {
        size_t n = to->send(from->ibuf().head(), from->ibuf().len());
        from->ibuf().consume(n);
        if (count) *count += n;
        progress |= n > 0;
      }
    };
    pump(fm, scf_, bm, nullptr);
    pump(bm, scb(), fm, &bytes_out_);
    moved |= progress;
  }
  if ((scf_->flags | scb()->flags) & mux::kScError) return abort_all();
  // Only traffic pushes the inactivity deadline (a wake-up without bytes,
  // such as the timer's own, must not).
  if (moved)
    tun_exp_ = deadline(bs().timeouts.tunnel ? bs().timeouts.tunnel : fe_->timeouts.client);
  if ((scf_->flags & mux::kScEos) && fm->ibuf().empty() && !(scb()->flags & mux::kScShutW))
    bm->shutw(scb());
  if ((scb()->flags & mux::kScEos) && bm->ibuf().empty() && res_out_.empty() &&
      !(scf_->flags & mux::kScShutW))
    fm->shutw(scf_);
  if ((scf_->flags & mux::kScShutW) && (scb()->flags & mux::kScShutW)) abort_all();
}

void HttpStream::reply(int status, const char* ctype, const char* body, bool close) {
  status_ = status;
  if (status >= 400) fe_->counters.http_errors.fetch_add(1, std::memory_order_relaxed);
  ss_.release();
  res_out_.release();
  std::string def;
  if (!body) def = std::string(http::reason_phrase(status)) + "\n";
  if (!write_local_response(status, ctype, body ? body : def.c_str(), close, res_out_)) {
    res_out_.release();
    write_local_response(status, "", "", true, res_out_);
  }
  local_close_ = close || soft_stopping();
  client_close_ = local_close_;
  phase_ = Phase::kLocalReply;
  cli_exp_ = deadline(fe_->timeouts.client);
  flush_local_reply();
}

void HttpStream::flush_local_reply() {
  mux::MuxH1* fm = fmux();
  if (!res_out_.empty() && !(scf_->flags & mux::kScError)) {
    size_t n = fm->send(res_out_.head(), res_out_.len());
    res_out_.consume(n);
    bytes_out_ += n;
  }
  if (!res_out_.empty() && !(scf_->flags & mux::kScError)) return;
  res_out_.release();
  if (fe_->log) log_end();
  bool keep = !local_close_ && !(scf_->flags & kEnd);
  if (keep)
    ++session()->transactions;
  else
    fm->shutw(scf_);
  fm->set_idle_timeout(keep_alive_timeout());
  fm->detach(scf_, keep);
  mux::StreamConnector::pool().destroy(scf_);
  phase_ = Phase::kDone;
}

void HttpStream::update_subscriptions() {
  mux::MuxH1* fm = fmux();
  mux::MuxH1* bm = bmux();
  auto sub = [](mux::MuxH1* m, mux::StreamConnector* sc, WaitEvent* w, bool r, bool s) {
    uint32_t ev = (r ? uint32_t(kWakeRecv) : 0u) | (s ? uint32_t(kWakeSend) : 0u);
    ev &= ~w->events;
    if (ev) m->subscribe(sc, ev, w);
  };
  const bool f_open = !(scf_->flags & kEnd) && !fm->ibuf().full();
  bool f_recv = false, f_send = false, b_recv = false, b_send = false;
  const bool b_open = scb() && !(scb()->flags & kEnd) && !bm->ibuf().full();
  switch (phase_) {
    case Phase::kReqHead:
      f_recv = f_open;
      break;
    case Phase::kLocalReply:
      f_send = !res_out_.empty();
      break;
    case Phase::kExchange:
      f_recv = f_open && !req_done_ && req_out_.room() > 0;
      f_send = !res_out_.empty() || res_fed_ > 0;
      b_recv = b_open && !res_done_ && res_fed_ == 0;
      b_send = scb() && req_sent_ < req_out_.len();
      break;
    case Phase::kTunnel:
      f_recv = f_open;
      b_recv = b_open;
      f_send = !res_out_.empty() || (bm && !bm->ibuf().empty());
      b_send = !fm->ibuf().empty();
      break;
    default:
      break;
  }
  if (f_recv || f_send) sub(fm, scf_, &wait_f_, f_recv, f_send);
  if (scb() && (b_recv || b_send)) sub(bm, scb(), &wait_b_, b_recv, b_send);
}

void HttpStream::log_end() {
  // option dontlognull, as in TCP mode: a connection on which the client sent
  // nothing (a port probe) is not logged.
  if (fe_->dontlognull && req_first_ms_ < 0) return;
  if (fe_->log_format == config::LogFormat::kHttp) return log_http();
  // tcplog (or no option): the connection-level shape of TCP mode, one line
  // per transaction.
  SessionLogRecord r;
  r.client = scf_->conn ? scf_->conn->peer().str() : "-";
  r.frontend = fe_->name;
  r.backend = be_ ? be_->name() : fe_->name;  // as HAProxy: no backend, the frontend
  const backend::Server* srv = ss_.server();
  r.server = srv ? srv->name : "<NOSRV>";
  r.t_connect = ss_.slot_ms() >= 0 && ss_.ready_ms() >= 0 ? ss_.ready_ms() - ss_.slot_ms() : -1;
  r.t_total = now() - start_ms_;
  r.bytes_out = bytes_out_;
  r.termination = term_;
  r.fe_conns = fe_->cur_conns.load(std::memory_order_relaxed);
  r.srv_conns = srv ? srv->cur_sess.load(std::memory_order_relaxed) : 0;
  emit_session_log(r);
}

void HttpStream::log_http() {
  const int64_t t = now();
  // Ta and the date start at the first request byte: the wait for it (a new
  // connection's idle time) is not the request's.
  const int64_t first = req_first_ms_ >= 0 ? req_first_ms_ : start_ms_;
  auto span = [](int64_t from, int64_t to) { return from >= 0 && to >= 0 ? to - from : -1; };
  HttpLogRecord r;
  r.client = scf_->conn ? scf_->conn->peer().str() : "-";
  r.date_ms = wall_clock_ms() - (t - first);
  r.frontend = fe_->name;
  r.backend = be_ ? be_->name() : fe_->name;  // as HAProxy: no backend, the frontend
  const backend::Server* srv = ss_.server();
  r.server = srv ? std::string_view(srv->name) : std::string_view("<NOSRV>");
  r.t_request = span(first, head_ms_);
  r.t_queue = span(head_ms_, ss_.slot_ms());
  r.t_connect = span(ss_.slot_ms(), ss_.ready_ms());
  r.t_response = span(ss_.ready_ms(), res_head_ms_);
  r.t_active = t - first;
  r.status = status_ ? status_ : -1;
  r.bytes_out = bytes_out_;
  r.termination = term_;
  r.act_conns = Frontend::global_conns();
  r.fe_conns = fe_->cur_conns.load(std::memory_order_relaxed);
  if (be_)
    for (const auto& s : be_->servers()) r.be_conns += s->cur_sess.load(std::memory_order_relaxed);
  r.srv_conns = srv ? srv->cur_sess.load(std::memory_order_relaxed) : 0;
  r.retries = ss_.retries_done();
  r.redispatched = ss_.redispatched();
  r.be_queue = ss_.queue_pos();
  r.request = req_line_;
  emit_http_log(r);
}

}  // namespace hearth::stream
