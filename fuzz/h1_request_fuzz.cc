// Drives the real HeadParser and BodyReader over a client byte stream, as the
// h1 mux does: parse a head, read its body, repeat for pipelined requests.
// Every message is parsed twice, whole and split at a fuzzer-chosen point, and
// the two verdicts must agree; views must stay inside the input. A head given
// whole takes the parser's one-pass path and one given in two pieces its
// resumable scan, so this also holds the two paths to the same fields.
//
// Each valid head also goes through mux_h1's neutral form and back: it becomes
// an http::MsgHead and is written as HTTP/1.1 again, and what is written must
// parse, name the same request, and frame the payload as the neutral head says.
//
// Input layout: byte 0 picks the split, byte 1 picks the limits, the rest is
// the stream.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "core/buffer.h"
#include "http/body_reader.h"
#include "http/head_parser.h"
#include "http/msg.h"
#include "mux/h1_head_writer.h"

namespace {

using hearth::http::BodyFraming;
using hearth::http::BodyReader;
using hearth::http::BodyStatus;
using hearth::http::HeadLimits;
using hearth::http::HeadParser;
using hearth::http::ParseResult;
using hearth::http::ParseStatus;
using hearth::http::RequestHead;

void check(bool ok) {
  if (!ok) __builtin_trap();
}

bool inside(std::string_view view, std::string_view buf) {
  return view.empty() ||
         (view.data() >= buf.data() && view.data() + view.size() <= buf.data() + buf.size());
}

void check_head(const RequestHead& head, std::string_view buf, const ParseResult& r,
                const HeadLimits& limits) {
  check(r.consumed >= 4 && r.consumed <= buf.size() && r.consumed <= limits.max_head_size);
  check(buf.substr(r.consumed - 4, 4) == "\r\n\r\n");
  check(head.headers.size() <= limits.max_headers);
  check(inside(head.target, buf) && inside(head.method_str, buf) && inside(head.host, buf));
  for (const auto& f : head.headers) check(inside(f.name, buf) && inside(f.value, buf));
  check(!(head.flags.has_content_length && head.flags.transfer_encoding));
  check(head.framing.kind != BodyFraming::Kind::kCloseDelimited);
}

// The head as mux_h1 hands it on and writes it again.
void check_round_trip(const RequestHead& head, std::string_view text) {
  hearth::http::MsgHead msg;
  if (!hearth::mux::h1_request_to_msg(head, text, 1, msg)) return;  // too large to keep
  hearth::Buffer out;
  hearth::mux::H1Written how;
  if (!hearth::mux::h1_write_request(msg, out, &how)) return;  // too large to write
  HeadLimits big;
  big.max_headers = 4096;
  big.max_head_size = hearth::Buffer::configured_size();
  big.max_request_line = big.max_head_size;
  HeadParser parser(big);
  RequestHead again;
  const ParseResult r = parser.parse_request(std::string_view(out.head(), out.len()), &again);
  check(r.status == ParseStatus::kDone && r.consumed == out.len());
  check(again.method_str == head.method_str && again.target == head.target);
  using hearth::http::BodyKind;
  switch (msg.body) {
    case BodyKind::kNone:
      check(head.framing.kind == BodyFraming::Kind::kNone ||
            head.framing.kind == BodyFraming::Kind::kTunnel);
      check(again.framing.kind == head.framing.kind);
      break;
    case BodyKind::kLength:
      check(again.framing == BodyFraming::content_length(msg.length));
      break;
    case BodyKind::kUnknown:
      check(again.framing.kind == BodyFraming::Kind::kChunked &&
            how.framing == hearth::mux::H1Framing::kChunked);
      break;
    case BodyKind::kTunnel:
      check(false);  // a request's tunnel begins with its response
      break;
  }
  // No hop-by-hop option of the client's reaches the server.
  for (size_t i = 0; i < again.connection.size(); ++i) {
    const std::string_view t = again.connection[i];
    check(t == "close" || t == "keep-alive" || t == "upgrade");
  }
}

// Returns: bytes of the body, or npos when the stream stops inside it.
size_t read_body(BodyFraming framing, std::string_view rest, size_t split) {
  BodyReader whole;
  whole.reset(framing);
  BodyStatus st_whole;
  const size_t used_whole = whole.feed(rest.data(), rest.size(), &st_whole);
  check(used_whole <= rest.size());

  BodyReader pieces;
  pieces.reset(framing);
  BodyStatus st = BodyStatus::kMore;
  const size_t first = split < rest.size() ? split : rest.size();
  size_t used = pieces.feed(rest.data(), first, &st);
  if (st == BodyStatus::kMore) used += pieces.feed(rest.data() + used, rest.size() - used, &st);
  check(st == st_whole && used == used_whole);

  if (framing.kind == BodyFraming::Kind::kChunked) {
    // Decode mode must walk the same bytes and see the same payload.
    BodyReader decoder;
    decoder.reset(framing);
    size_t off = 0;
    uint64_t payload = 0;
    BodyStatus ds = BodyStatus::kMore;
    while (ds == BodyStatus::kMore && off < rest.size()) {
      std::string_view piece;
      off += decoder.chunked().decode(rest.data() + off, rest.size() - off, &ds, &piece);
      check(inside(piece, rest));
      payload += piece.size();
    }
    check(ds == st_whole && off == used_whole && payload == whole.chunked().payload_bytes());
  }
  return st_whole == BodyStatus::kDone ? used_whole : std::string_view::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const size_t split = data[0];
  HeadLimits limits;
  if (data[1] & 1) {
    limits.max_headers = 1 + (data[1] >> 4);
    limits.max_head_size = 64 + (data[1] >> 1) * 4;
    limits.max_request_line = 16 + (data[1] >> 2);
  }
  const std::string stream(reinterpret_cast<const char*>(data) + 2, size - 2);
  HeadParser whole_parser(limits);
  HeadParser split_parser(limits);
  std::string_view rest(stream);
  for (int message = 0; message < 8 && !rest.empty(); ++message) {
    RequestHead whole;
    const ParseResult a = whole_parser.parse_request(rest, &whole);
    // The split parse sees a copy of the prefix first, then the whole span.
    const std::string prefix(rest.substr(0, split));
    RequestHead piece;
    ParseResult b = split_parser.parse_request(prefix, &piece);
    if (b.status == ParseStatus::kNeedMore) b = split_parser.parse_request(rest, &piece);
    check(a.status == b.status && a.consumed == b.consumed && a.http_status == b.http_status);
    check(std::strcmp(a.reason, b.reason) == 0);  // the same reason, not only the same status
    if (a.status != ParseStatus::kDone) {
      if (a.status == ParseStatus::kError) check(a.http_status >= 400 && a.http_status <= 505);
      // "show errors" names the same byte however the head arrived, inside it.
      if (a.status == ParseStatus::kError)
        check(a.error_at == b.error_at && a.error_at <= rest.size());
      split_parser.reset();
      break;
    }
    check_head(whole, rest, a, limits);
    check_round_trip(whole, rest.substr(0, a.consumed));
    check(whole.framing == piece.framing && whole.headers.size() == piece.headers.size());
    // The one-pass and the resumable parse must read the same fields.
    check(whole.headers.size() == piece.headers.size());
    for (size_t i = 0; i < whole.headers.size(); ++i) {
      check(whole.headers[i].name == piece.headers[i].name &&
            whole.headers[i].value == piece.headers[i].value);
    }
    rest.remove_prefix(a.consumed);
    const size_t body = read_body(whole.framing, rest, split);
    if (body == std::string_view::npos) break;
    rest.remove_prefix(body);
  }
  return 0;
}
