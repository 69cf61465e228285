// Drives the real HeadParser, response_framing and BodyReader over a server
// byte stream, as the h1 mux does on the server side: interim responses,
// then a final one and its body, possibly followed by more responses.
// Every head is parsed whole and split at a fuzzer-chosen point; the verdicts
// must agree (the one-pass and the resumable path, field by field), and
// every response error must be a 502. Each valid head also
// goes through mux_h1's neutral form and is written again for an HTTP/1.1
// and an HTTP/1.0 client: what is written must parse, carry the same status,
// and frame the payload as the neutral head says.
//
// Input layout: byte 0 picks the split, byte 1 the request method and limits,
// the rest is the stream.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "core/buffer.h"
#include "http/body_reader.h"
#include "http/framing.h"
#include "http/head_parser.h"
#include "http/msg.h"
#include "mux/h1_head_writer.h"

namespace {

using hearth::http::BodyFraming;
using hearth::http::BodyReader;
using hearth::http::BodyStatus;
using hearth::http::HeadLimits;
using hearth::http::HeadParser;
using hearth::http::Method;
using hearth::http::ParseResult;
using hearth::http::ParseStatus;
using hearth::http::ResponseHead;

void check(bool ok) {
  if (!ok) __builtin_trap();
}

bool inside(std::string_view view, std::string_view buf) {
  return view.empty() ||
         (view.data() >= buf.data() && view.data() + view.size() <= buf.data() + buf.size());
}

constexpr Method kMethods[] = {Method::kGet, Method::kHead, Method::kConnect, Method::kPost};

void check_round_trip(const ResponseHead& head, Method method, std::string_view text, bool borrow) {
  using hearth::http::BodyKind;
  const BodyFraming framing = response_framing(method, head);
  hearth::http::MsgHead msg;
  if (!hearth::mux::h1_response_to_msg(head, framing, borrow ? std::string_view() : text, 0, msg))
    return;  // too large to keep
  check(msg.status == head.status);
  for (int peer_minor = 0; peer_minor <= 1; ++peer_minor) {
    hearth::Buffer out;
    hearth::mux::H1Written how;
    if (!hearth::mux::h1_write_response(msg, peer_minor, out, &how)) return;
    HeadLimits big;
    big.max_headers = 4096;
    big.max_head_size = hearth::Buffer::configured_size();
    HeadParser parser(big);
    ResponseHead again;
    const ParseResult r = parser.parse_response(std::string_view(out.head(), out.len()), &again);
    check(r.status == ParseStatus::kDone && r.consumed == out.len());
    check(again.status == head.status);
    const BodyFraming f = response_framing(method, again);
    switch (msg.body) {
      case BodyKind::kNone:
        check(f.kind == BodyFraming::Kind::kNone);
        break;
      case BodyKind::kLength:
        check(f == BodyFraming::content_length(msg.length));
        break;
      case BodyKind::kUnknown:
        // Chunked to an HTTP/1.1 client unless the server ends it with the close.
        check(f.kind == (how.framing == hearth::mux::H1Framing::kChunked
                             ? BodyFraming::Kind::kChunked
                             : BodyFraming::Kind::kCloseDelimited));
        check(how.framing == hearth::mux::H1Framing::kChunked || how.close);
        if (peer_minor == 0) check(how.framing != hearth::mux::H1Framing::kChunked);
        break;
      case BodyKind::kTunnel:
        check(f.kind == BodyFraming::Kind::kTunnel);
        break;
    }
  }
}

// Returns: bytes of the body, or npos when the stream stops inside it (or it
// runs to EOF).
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

  if (st_whole == BodyStatus::kMore) {
    const bool clean = whole.on_eof();
    const bool eof_framed = framing.kind == BodyFraming::Kind::kCloseDelimited ||
                            framing.kind == BodyFraming::Kind::kTunnel;
    check(clean == eof_framed);
    if (eof_framed) check(used_whole == rest.size());
  }
  return st_whole == BodyStatus::kDone ? used_whole : std::string_view::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const size_t split = data[0];
  const Method method = kMethods[data[1] & 3];
  HeadLimits limits;
  if (data[1] & 4) {
    limits.max_headers = 1 + (data[1] >> 4);
    limits.max_head_size = 64 + (data[1] >> 3) * 4;
  }
  const std::string stream(reinterpret_cast<const char*>(data) + 2, size - 2);
  HeadParser whole_parser(limits);
  HeadParser split_parser(limits);
  std::string_view rest(stream);
  for (int message = 0; message < 8 && !rest.empty(); ++message) {
    ResponseHead whole;
    const ParseResult a = whole_parser.parse_response(rest, &whole);
    const std::string prefix(rest.substr(0, split));
    ResponseHead piece;
    ParseResult b = split_parser.parse_response(prefix, &piece);
    if (b.status == ParseStatus::kNeedMore) b = split_parser.parse_response(rest, &piece);
    check(a.status == b.status && a.consumed == b.consumed && a.http_status == b.http_status);
    check(std::strcmp(a.reason, b.reason) == 0);  // the same reason, not only the same status
    if (a.status == ParseStatus::kError) check(a.http_status == 502);
    // "show errors" names the same byte however the head arrived, inside it.
    if (a.status == ParseStatus::kError)
      check(a.error_at == b.error_at && a.error_at <= rest.size());
    if (a.status != ParseStatus::kDone) break;
    check(a.consumed <= rest.size() && a.consumed <= limits.max_head_size);
    check(rest.substr(a.consumed - 4, 4) == "\r\n\r\n");
    check(whole.status >= 100 && whole.status <= 599 && whole.status == piece.status);
    check(inside(whole.reason, rest) && whole.headers.size() <= limits.max_headers);
    for (const auto& f : whole.headers) check(inside(f.name, rest) && inside(f.value, rest));
    // The one-pass and the resumable parse must read the same fields.
    check(whole.headers.size() == piece.headers.size());
    for (size_t i = 0; i < whole.headers.size(); ++i) {
      check(whole.headers[i].name == piece.headers[i].name &&
            whole.headers[i].value == piece.headers[i].value);
    }
    const BodyFraming framing = response_framing(method, whole);
    check(framing == response_framing(method, piece));
    check_round_trip(whole, method, rest.substr(0, a.consumed), split & 1);
    rest.remove_prefix(a.consumed);
    const size_t body = read_body(framing, rest, split);
    if (body == std::string_view::npos) break;
    rest.remove_prefix(body);
  }
  return 0;
}
