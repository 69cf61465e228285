// HttpStream's response analysers: reading the response, interim heads, the
// response rules, the body (validated, or decoded for an HTTP/1.0 client) and
// the server's early close.
#include "http/framing.h"
#include "http/head_parser.h"
#include "net/connection.h"
#include "stream/head_reader.h"
#include "stream/http_head_writer.h"
#include "stream/http_rules.h"
#include "stream/http_stream.h"

namespace hearth::stream {
bool HttpStream::read_response() {
  if (!scb() || res_.done) return false;
  mux::MuxH1* bm = bmux();
  bool progress = false;
  if (!bm->ibuf().full() && !(scb()->flags & kEnd)) {
    size_t n = bm->fill();
    if (n) {
      res_.from_server += n;
      progress = true;
      exp_.srv = deadline(bs().timeouts.server);
    }
  }
  // The next head is parsed only once the previous one (an interim 1xx) has
  // left res_.out: a run of interim heads must not overflow it.
  while (!res_.head_done && res_.out.empty() && phase_ == Phase::kExchange && parse_response_head())
    progress = true;
  if (phase_ != Phase::kExchange) return false;
  if ((scb()->flags & kEnd) && bm->ibuf().len() == res_.fed) on_server_gone();
  return progress;
}

// Parses one response head from the server's input buffer. Interim (1xx)
// responses are forwarded and parsing goes on. Returns: true if a head was taken.
bool HttpStream::parse_response_head() {
  Buffer& in = bmux()->ibuf();
  http::HeadParser& parser = thread_head_parser(fe_->http.max_headers);
  http::ResponseHead res;
  const BufferedHead head = parse_buffered_response(parser, in, &scan_pos_, &res);
  if (!head.complete) {
    if (in.full()) {
      log_.term = "PH";
      if (try_retry(config::kRetryJunkResponse, false)) return false;
      reply(502, "text/plain", "Bad Gateway\n", true);
    }
    return false;
  }
  const http::ParseResult r = head.result;
  if (r.status == http::ParseStatus::kNeedMore) return false;
  if (r.status == http::ParseStatus::kError) {
    log_.term = "PH";
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
    if (!write_response_head(res, fields, o, res_.out)) {
      log_.term = "PH";  // cannot happen with an empty res_.out and a head that fit in
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
  http::BodyFraming framing = http::response_framing(req_.method, res);
  const bool tunnel = framing.kind == http::BodyFraming::Kind::kTunnel;
  res_.server_keep = !tunnel && http::response_keeps_alive(res, framing) &&
                     conn_mode() == config::HttpConnMode::kKeepAlive;
  if (http::binds_connection_auth(res)) scb()->conn->flags |= net::kConnPrivate;
  // An HTTP/1.0 client cannot decode chunks (RFC 9112 §6.1): it gets the
  // payload, delimited by the end of the connection.
  res_.dechunk = req_.client_minor == 0 && framing.kind == http::BodyFraming::Kind::kChunked;
  res_.client_close =
      !tunnel && (!req_.client_keepalive || conn_mode() == config::HttpConnMode::kClose ||
                  framing.kind == http::BodyFraming::Kind::kCloseDelimited || res_.dechunk ||
                  soft_stopping() || !req_.done);
  if (!write_final_response_head(res)) {
    log_.term = "PH";
    reply(502, "text/plain", "Bad Gateway\n", true);
    return false;
  }
  log_.status = res.status;
  log_.res_head_ms = now();
  in.consume(r.consumed);
  res_.head_done = true;
  res_.body.reset(tunnel ? http::BodyFraming::none() : framing);
  if (ss_.reused()) ss_.server()->keepalive.observe_alive(ss_.idle_ms());
  // The response has begun: a replay is no longer possible.
  req_.replayable = false;
  if (req_.sent > 0) {
    req_.out.consume(req_.sent);
    req_.sent = 0;
  }
  if (tunnel) {
    phase_ = Phase::kTunnel;
    exp_.tun = deadline(bs().timeouts.tunnel ? bs().timeouts.tunnel : fe_->timeouts.client);
  }
  return true;
}

// Response rules in order (the backend's, then the frontend's), then the
// rewritten head into res_.out. Returns: false if it did not fit.
bool HttpStream::write_final_response_head(const http::ResponseHead& res) {
  const bool own = fe_->owns(be_);
  http::HeaderList& fields =
      thread_field_list(res.headers.size() + fields_added_by(bs().response_rules) +
                        (own ? 0 : fields_added_by(fe_->http.response_rules)));
  collect_end_to_end(res.headers, res.connection, res.status == 101, res_.dechunk, fields);
  bool full = false;
  eval_http_rules(bs().response_rules, fields, &full);
  if (!own && !full) eval_http_rules(fe_->http.response_rules, fields, &full);
  if (full) return false;  // cannot happen: room was reserved for every field a rule adds
  ResponseHeadOptions o;
  o.close_client = res_.client_close;
  o.client_version_minor = req_.client_minor;
  return write_response_head(res, fields, o, res_.out);
}

// The server closed (or failed). Before any response byte on a reused
// connection this is the keep-alive race: replay if safe. A close-delimited body
// ends here. Anything else is an error toward the client.
void HttpStream::on_server_gone() {
  if (!res_.head_done) {
    if (res_.from_server == 0) {
      // A reused connection that died before any response byte was closed by
      // the server after ~idle_ms() of idleness: the same evidence as a
      // close noticed while idle, and the only kind a busy client produces
      // (its requests keep finding connections before their FIN does).
      const bool reused = ss_.reused();
      if (reused) ss_.server()->keepalive.observe_close(ss_.idle_ms());
      if (reused && try_retry(0, /*reused_race=*/true)) return;
      if (!reused && try_retry(config::kRetryEmptyResponse, false)) return;
    }
    log_.term = "SH";
    reply(502, "text/plain", "Bad Gateway\n", true);
    return;
  }
  if (res_.body.on_eof()) {
    res_.done = true;
    res_.server_keep = false;
    return;
  }
  log_.term = "SD";  // truncated body: the client must see the connection end
  abort_all();
}

// Accepts as much of the response body as the server's ibuf holds (res_.fed).
// Returns: false if the body framing is invalid (the stream is then aborted).
bool HttpStream::feed_response_body() {
  Buffer& in = bmux()->ibuf();
  if (res_.body.done() || res_.fed >= in.len()) return true;
  http::BodyStatus st;
  res_.fed += res_.body.feed(in.head() + res_.fed, in.len() - res_.fed, &st);
  if (st != http::BodyStatus::kError) return true;
  log_.term = "SD";
  abort_all();
  return false;
}

bool HttpStream::send_response() {
  bool progress = false;
  mux::MuxH1* fm = fmux();
  // A head waiting to go out takes the body bytes already here along, so a small
  // response leaves in one send.
  if (!res_.out.empty() && res_.head_done && scb() && !res_.dechunk && phase_ == Phase::kExchange) {
    if (!feed_response_body()) return false;
    Buffer& in = bmux()->ibuf();
    size_t n = res_.out.append(in.head(), res_.fed);
    in.consume(n);
    res_.fed -= n;
  }
  if (!res_.out.empty()) {
    size_t n = fm->send(res_.out.head(), res_.out.len());
    res_.out.consume(n);
    log_.bytes_out += n;
    progress = n > 0;
    if (n) exp_.cli = deadline(fe_->timeouts.client);
    if (!res_.out.empty()) return progress;
    res_.out.release();
  }
  if (scf_->flags & mux::kScError) {
    log_.term = "CD";
    abort_all();
    return false;
  }
  if (!res_.head_done || !scb() || phase_ != Phase::kExchange) return progress;
  if (res_.dechunk) return send_decoded_body() || progress;
  if (!feed_response_body()) return false;
  Buffer& in = bmux()->ibuf();
  if (res_.fed > 0) {
    size_t n = fm->send(in.head(), res_.fed);
    in.consume(n);
    log_.bytes_out += n;
    res_.fed -= n;
    progress |= n > 0;
    if (n) exp_.cli = deadline(fe_->timeouts.client);
  }
  if (res_.body.done() && res_.fed == 0) res_.done = true;
  return progress;
}

// send_response() for a chunked body sent decoded: the chunk framing is
// consumed from the server's ibuf and only payload runs go to the client.
// res_.fed counts decoded payload bytes at the head of ibuf not yet sent.
bool HttpStream::send_decoded_body() {
  Buffer& in = bmux()->ibuf();
  mux::MuxH1* fm = fmux();
  bool progress = false;
  for (;;) {
    if (res_.fed > 0) {
      size_t n = fm->send(in.head(), res_.fed);
      in.consume(n);
      res_.fed -= n;
      log_.bytes_out += n;
      if (n) {
        progress = true;
        exp_.cli = deadline(fe_->timeouts.client);
      }
      if (res_.fed > 0) break;
    }
    if (res_.body.done() || in.empty()) break;
    http::BodyStatus st;
    std::string_view payload;
    size_t used = res_.body.chunked().decode(in.head(), in.len(), &st, &payload);
    if (st == http::BodyStatus::kError) {
      log_.term = "SD";
      abort_all();
      return false;
    }
    in.consume(used - payload.size());  // the framing before the payload run
    res_.fed = payload.size();
    progress |= used > 0;
    if (used == 0) break;
  }
  if (res_.body.done() && res_.fed == 0) res_.done = true;
  return progress;
}

}  // namespace hearth::stream
