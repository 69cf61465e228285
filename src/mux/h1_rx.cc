// MuxH1's receiving half: HTTP/1.1 heads into neutral heads, body framing
// (Content-Length, chunked, close-delimited) into DATA and an end of message.
#include <atomic>

#include "http/framing.h"
#include "http/head_parser.h"
#include "mux/h1_head_reader.h"
#include "mux/h1_head_writer.h"
#include "mux/mux_h1.h"
#include "net/connection.h"

namespace hearth::mux {
namespace {

constexpr uint32_t kEnd = kScEos | kScError;

std::atomic<size_t> g_max_headers{101};

http::HeadParser& parser() {
  static thread_local http::HeadParser* p = &thread_head_parser(g_max_headers.load());
  return *p;
}

}  // namespace

void MuxH1::set_max_headers(size_t n) { g_max_headers.store(n); }

void MuxH1::start_body(const http::BodyFraming& framing) {
  pending_ = 0;
  trailers_.clear();
  if (framing.kind == http::BodyFraming::Kind::kTunnel) {
    rx_ = Rx::kTunnel;
    return;
  }
  body_.reset(framing);
  rx_ = body_.done() ? Rx::kDone : Rx::kBody;
}

RxHeadResult MuxH1::rcv_head(StreamConnector* sc, http::MsgHead& out, size_t extra_fields,
                             bool borrow) {
  if (rx_ != Rx::kHead) return {RxHead::kMore, 0};
  if (!ibuf_.full() && !(sc->flags & kEnd)) fill();
  // Nothing yet (a stream asks as soon as its request has left): no parse.
  if (ibuf_.empty()) return {(sc->flags & kEnd) ? RxHead::kEnd : RxHead::kMore, 0};
  http::HeadParser& p = parser();
  if (outgoing_) {
    http::ResponseHead res;
    const BufferedHead head = parse_buffered_response(p, ibuf_, &scan_pos_, &res);
    if (!head.complete && !ibuf_.full() && (sc->flags & kEnd)) return {RxHead::kEnd, 0};
    return rcv_response_head(head, res, out, extra_fields, borrow);
  }
  http::RequestHead req;
  const BufferedHead head = parse_buffered_request(p, ibuf_, &scan_pos_, &req);
  if (!head.complete && !ibuf_.full() && (sc->flags & kEnd)) return {RxHead::kEnd, 0};
  return rcv_request_head(p, head, req, out, extra_fields);
}

RxHeadResult MuxH1::rcv_request_head(http::HeadParser& p, const BufferedHead& head,
                                     const http::RequestHead& req, http::MsgHead& out,
                                     size_t extra) {
  if (!head.complete) {
    if (!ibuf_.full()) return {RxHead::kMore, 0};
    // The head can never fit. The parser tells a start line that is already
    // too long (414) from a head that is too large (431).
    p.reset();
    http::RequestHead partial;
    const http::ParseResult r =
        p.parse_request(std::string_view(ibuf_.head(), ibuf_.len()), &partial);
    p.reset();
    const bool err = r.status == http::ParseStatus::kError;
    return {RxHead::kError, err ? r.http_status : 431, std::string_view(ibuf_.head(), ibuf_.len()),
            err ? r.error_at : ibuf_.len(), err ? r.reason : "head too large"};
  }
  const http::ParseResult r = head.result;
  if (r.status == http::ParseStatus::kNeedMore) return {RxHead::kMore, 0};
  if (r.status == http::ParseStatus::kError)
    return {RxHead::kError, r.http_status, std::string_view(ibuf_.head(), ibuf_.len()), r.error_at,
            r.reason};
  // The head's bytes leave the buffer before a server is chosen: an owned copy.
  if (!h1_request_to_msg(req, std::string_view(ibuf_.head(), r.consumed), extra, out))
    return {RxHead::kError, 431, std::string_view(ibuf_.head(), r.consumed), 0,
            "head too large once rewritten"};
  peer_minor_ = req.version_minor;
  start_body(req.framing.kind == http::BodyFraming::Kind::kTunnel ? http::BodyFraming::none()
                                                                  : req.framing);
  ibuf_.consume(r.consumed);
  scan_pos_ = 0;
  return {RxHead::kHead, 0};
}

RxHeadResult MuxH1::rcv_response_head(const BufferedHead& head, const http::ResponseHead& res,
                                      http::MsgHead& out, size_t extra, bool borrow) {
  if (!head.complete) {
    if (!ibuf_.full()) return {RxHead::kMore, 502};
    return {RxHead::kError, 502, std::string_view(ibuf_.head(), ibuf_.len()), ibuf_.len(),
            "head too large"};
  }
  const http::ParseResult r = head.result;
  if (r.status == http::ParseStatus::kNeedMore) return {RxHead::kMore, 0};
  if (r.status == http::ParseStatus::kError)
    return {RxHead::kError, 502, std::string_view(ibuf_.head(), ibuf_.len()), r.error_at, r.reason};
  const http::BodyFraming framing = http::response_framing(req_method_, res);
  // Borrowed: the text stays in ibuf_ (consumed below, but not overwritten
  // before the next fill), which the caller's forwarding precedes.
  const std::string_view text(ibuf_.head(), r.consumed);
  if (!h1_response_to_msg(res, framing, borrow ? std::string_view() : text, extra, out))
    return {RxHead::kError, 502};
  // An interim head is followed by another head.
  if (out.interim())
    rx_ = Rx::kHead;
  else
    start_body(framing);
  if (rx_ == Rx::kTunnel) tx_chunked_ = false;
  ibuf_.consume(r.consumed);
  scan_pos_ = 0;
  return {RxHead::kHead, 0};
}

bool MuxH1::next_payload() {
  while (pending_ == 0 && !body_.done() && !ibuf_.empty()) {
    http::BodyStatus st;
    if (body_.framing().kind != http::BodyFraming::Kind::kChunked) {
      pending_ = body_.feed(ibuf_.head(), ibuf_.len(), &st);
      return st != http::BodyStatus::kError;
    }
    std::string_view payload;
    const size_t used = body_.chunked().decode(ibuf_.head(), ibuf_.len(), &st, &payload);
    if (st == http::BodyStatus::kError) return false;
    ibuf_.consume(used - payload.size());  // the framing before the payload run
    pending_ = payload.size();
    if (used == 0) break;
  }
  return true;
}

RxData MuxH1::rcv_data(StreamConnector* sc) {
  RxData d;
  switch (rx_) {
    case Rx::kHead:
      return d;
    case Rx::kDone:
      d.eom = true;
      return d;
    case Rx::kTunnel:
      if (!ibuf_.full() && !(sc->flags & kEnd)) fill();
      d.data = std::string_view(ibuf_.head(), ibuf_.len());
      d.eof = ibuf_.empty() && (sc->flags & kEnd);
      return d;
    case Rx::kBody:
      break;
  }
  // What the buffer holds first; read only when it holds no payload.
  if (!next_payload()) {
    d.error = true;
    return d;
  }
  if (pending_ == 0 && !body_.done() && !ibuf_.full() && !(sc->flags & kEnd) && fill() &&
      !next_payload()) {
    d.error = true;
    return d;
  }
  d.data = std::string_view(ibuf_.head(), pending_);
  if (body_.done()) {
    d.eom = true;
  } else if (pending_ == 0 && (sc->flags & kEnd) && ibuf_.empty()) {
    // The peer closed: the end of a close-delimited payload, else a cut.
    if (body_.on_eof())
      d.eom = true;
    else
      d.eof = true;
  }
  if (d.eom && pending_ == 0) rx_ = Rx::kDone;
  return d;
}

void MuxH1::consume_data(StreamConnector*, size_t n) {
  ibuf_.consume(n);
  if (rx_ == Rx::kTunnel) return;
  pending_ -= n;
  if (pending_ == 0 && rx_ == Rx::kBody && body_.done()) rx_ = Rx::kDone;
}

bool MuxH1::rcv_trailers(StreamConnector*, http::MsgHead& out) {
  if (trailers_.empty()) return false;
  const bool ok = h1_trailers_to_msg(trailers_, out);
  trailers_.clear();
  return ok;
}

}  // namespace hearth::mux
