#include "mux/h1_head_writer.h"

#include <cstdio>

#include "http/connection.h"
#include "http/framing.h"
#include "http/headers.h"

namespace hearth::mux {
namespace {

using http::BodyKind;
using http::MsgHead;

// A Transfer-Encoding value without its final "chunked" coding (the framing,
// which the next hop chooses for itself): "" when chunked was all of it.
std::string_view codings_before_chunked(std::string_view value) {
  size_t end = value.size();
  while (end > 0 && (value[end - 1] == ' ' || value[end - 1] == '\t')) --end;
  if (end < 7 || !http::iequals(value.substr(end - 7, 7), "chunked")) return value;
  end -= 7;
  // A whole list element only ("xchunked" is another coding).
  if (end > 0 && value[end - 1] != ',' && value[end - 1] != ' ' && value[end - 1] != '\t')
    return value;
  while (end > 0 && (value[end - 1] == ' ' || value[end - 1] == '\t' || value[end - 1] == ','))
    --end;
  return value.substr(0, end);
}

// The end-to-end fields of a received head: all but the hop-by-hop ones
// (RFC 9110 §7.6.1; Upgrade kept when the message switches protocols) and the
// final chunked coding (`has_te`: the head is chunked, its framing; codings
// of a body that is not chunked stay as they are).
void collect_fields(const http::Headers& hdrs, const http::ConnectionTokens& conn,
                    bool keep_upgrade, bool has_te, http::HeaderList& out) {
  for (const http::HeaderField& f : hdrs) {
    const http::FieldName known = http::known_name(f);
    if (http::hop_by_hop(f, conn) && !(keep_upgrade && known == http::FieldName::kUpgrade))
      continue;
    if (has_te && known == http::FieldName::kTransferEncoding) {
      const std::string_view rest = codings_before_chunked(f.value);
      if (!rest.empty()) out.add(f.name, rest);
      continue;
    }
    out.add(f.name, f.value);
  }
}

BodyKind kind_of(const http::BodyFraming& f) {
  switch (f.kind) {
    case http::BodyFraming::Kind::kNone:
      return BodyKind::kNone;
    case http::BodyFraming::Kind::kContentLength:
      return BodyKind::kLength;
    case http::BodyFraming::Kind::kTunnel:
      return BodyKind::kTunnel;
    default:
      return BodyKind::kUnknown;
  }
}

// Writes a 3-digit status code at out[0..2]. Requires: 100 <= status <= 999.
void format_status(int status, char* out) {
  out[0] = char('0' + status / 100);
  out[1] = char('0' + status / 10 % 10);
  out[2] = char('0' + status % 10);
}

// The framing fields a payload of `head.body` needs, after the head's own.
void put_framing(HeadWriter& w, const MsgHead& head, bool chunked) {
  if (head.body == BodyKind::kLength && !(head.flags & http::kMsgLengthField) &&
      !head.fields().find("content-length")) {
    char digits[24];
    snprintf(digits, sizeof digits, "%llu", static_cast<unsigned long long>(head.length));
    w.field("content-length", digits);
  } else if (chunked) {
    w.field("transfer-encoding", "chunked");
  }
}

void put_fields(HeadWriter& w, const http::HeaderList& fields) {
  for (const http::HeaderField& f : fields) w.field(f.name, f.value);
}

// Ends a head (the blank line). Returns: false if it did not fit, with `out`
// back to its first `before` bytes.
bool end_head(HeadWriter& w, Buffer& out, size_t before) {
  w.put("\r\n");
  if (w.ok()) return true;
  out.truncate(before);
  return false;
}

}  // namespace

bool h1_request_to_msg(const http::RequestHead& req, std::string_view text, size_t extra,
                       MsgHead& out) {
  if (!out.init(req.headers.size() + extra)) return false;
  out.flags = http::kMsgRequest;
  out.method = req.method;
  out.method_str = req.method_str;
  out.target = req.target;
  out.version_minor = uint8_t(req.version_minor);
  // A CONNECT's tunnel starts with the response; until then it has no payload.
  out.body =
      req.framing.kind == http::BodyFraming::Kind::kTunnel ? BodyKind::kNone : kind_of(req.framing);
  out.length = req.framing.length;
  if (!req.flags.keep_alive) out.flags |= http::kMsgClose;
  if (req.flags.upgrade) out.flags |= http::kMsgUpgrade;
  if (req.flags.expect_continue) out.flags |= http::kMsgExpectContinue;
  if (req.flags.has_content_length) out.flags |= http::kMsgLengthField;
  collect_fields(req.headers, req.connection, req.flags.upgrade, req.flags.chunked, out.fields());
  return out.adopt_text(text);
}

bool h1_response_to_msg(const http::ResponseHead& res, const http::BodyFraming& framing,
                        std::string_view text, size_t extra, MsgHead& out) {
  const size_t fields = res.headers.size() + extra;
  if (!(text.empty() ? out.init_borrowed(fields) : out.init(fields))) return false;
  out.status = res.status;
  out.reason = res.reason;
  out.version_minor = uint8_t(res.version_minor);
  out.body = kind_of(framing);
  out.length = framing.length;
  const bool interim = res.status < 200 && res.status != 101;
  if (!interim && !http::response_keeps_alive(res, framing)) out.flags |= http::kMsgClose;
  if (framing.kind == http::BodyFraming::Kind::kCloseDelimited)
    out.flags |= http::kMsgEndsWithClose;
  if (res.status == 101) out.flags |= http::kMsgUpgrade;
  if (http::binds_connection_auth(res)) out.flags |= http::kMsgBindsConnection;
  if (res.flags.has_content_length) out.flags |= http::kMsgLengthField;
  collect_fields(res.headers, res.connection, res.status == 101,
                 res.flags.chunked && framing.kind == http::BodyFraming::Kind::kChunked,
                 out.fields());
  return text.empty() || out.adopt_text(text);
}

bool h1_write_request(const MsgHead& head, Buffer& out, H1Written* how) {
  const size_t before = out.len();
  const bool chunked = head.body == BodyKind::kUnknown;
  HeadWriter w(out);
  w.put(head.method_str.empty() ? http::method_name(head.method) : head.method_str);
  w.put(" ").put(head.target);
  // A payload of unknown length needs chunked framing, hence HTTP/1.1.
  w.put(head.version_minor == 0 && !chunked ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n");
  put_fields(w, head.fields());
  put_framing(w, head, chunked);
  if (head.flags & http::kMsgUpgrade)
    w.field("connection", "upgrade");
  else if (head.flags & http::kMsgClose)
    w.field("connection", "close");
  else if (head.version_minor == 0 && !chunked)
    w.field("connection", "keep-alive");
  if (!end_head(w, out, before)) return false;
  how->framing = chunked ? H1Framing::kChunked : H1Framing::kRaw;
  how->close = (head.flags & http::kMsgClose) != 0;
  return true;
}

bool h1_write_response(const MsgHead& head, int peer_minor, Buffer& out, H1Written* how) {
  const size_t before = out.len();
  // A payload of unknown length goes chunked to an HTTP/1.1 client, unless its
  // sender ends it with the close (then so does this hop, as HAProxy); an
  // HTTP/1.0 client cannot decode chunks (RFC 9112 §6.1) and reads it up to
  // the close.
  const bool unknown = head.body == BodyKind::kUnknown;
  const bool chunked = unknown && peer_minor > 0 && !(head.flags & http::kMsgEndsWithClose);
  const bool close = (head.flags & http::kMsgClose) || (unknown && !chunked);
  HeadWriter w(out);
  char status_line[16] = "HTTP/1.1 000 ";
  format_status(head.status, status_line + 9);
  w.put(status_line).put(head.reason).put("\r\n");
  put_fields(w, head.fields());
  if (!head.interim()) put_framing(w, head, chunked);
  if (head.status == 101)
    w.field("connection", "upgrade");
  else if (head.interim()) {
  } else if (close)
    w.field("connection", "close");
  else if (peer_minor == 0)
    w.field("connection", "keep-alive");
  if (!end_head(w, out, before)) return false;
  how->framing = chunked ? H1Framing::kChunked : H1Framing::kRaw;
  how->close = close && !head.interim();
  return true;
}

bool h1_write_last_chunk(const MsgHead* trailers, Buffer& out) {
  const size_t before = out.len();
  HeadWriter w(out);
  w.put("0\r\n");
  if (trailers) put_fields(w, trailers->fields());
  return end_head(w, out, before);
}

bool h1_trailers_to_msg(std::string_view lines, MsgHead& out) {
  size_t n = 0;
  for (char c : lines) n += c == '\n';
  if (n == 0 || !out.init(n)) return false;
  std::string_view rest;
  if (!out.keep(lines, &rest)) return false;
  while (!rest.empty()) {
    const size_t eol = rest.find('\n');
    std::string_view line = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    out.fields().add(line.substr(0, colon), value);
  }
  return !out.fields().empty();
}

}  // namespace hearth::mux
