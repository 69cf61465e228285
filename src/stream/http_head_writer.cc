#include "stream/http_head_writer.h"

#include <cstdio>

#include "http/connection.h"
#include "http/headers.h"
#include "http/method.h"
#include "http/status.h"

namespace hearth::stream {
namespace {

// Writes a 3-digit status code at out[0..2]. Requires: 100 <= status <= 999.
void format_status(int status, char* out) {
  out[0] = char('0' + status / 100);
  out[1] = char('0' + status / 10 % 10);
  out[2] = char('0' + status % 10);
}

}  // namespace

void collect_end_to_end(const http::Headers& hdrs, const http::ConnectionTokens& conn,
                        bool keep_upgrade, bool drop_te, http::HeaderList& out) {
  for (const http::HeaderField& f : hdrs) {
    if (http::hop_by_hop(f.name, conn) && !(keep_upgrade && http::iequals(f.name, "upgrade")))
      continue;
    if (drop_te && http::iequals(f.name, "transfer-encoding")) continue;
    out.add(f.name, f.value);
  }
}

namespace {
void put_fields(HeadWriter& w, const http::HeaderList& fields) {
  for (const http::HeaderField& f : fields) w.field(f.name, f.value);
}
}  // namespace

bool write_request_head(const http::RequestHead& req, const http::HeaderList& fields,
                        const RequestHeadOptions& opt, Buffer& out) {
  HeadWriter w(out);
  w.put(req.method_str).put(" ").put(req.target);
  w.put(req.version_minor == 0 ? " HTTP/1.0\r\n" : " HTTP/1.1\r\n");
  put_fields(w, fields);
  if (req.flags.upgrade)
    w.field("connection", "upgrade");
  else if (opt.close_server_side)
    w.field("connection", "close");
  else if (req.version_minor == 0)
    w.field("connection", "keep-alive");
  w.put("\r\n");
  return w.ok();
}

bool write_response_head(const http::ResponseHead& res, const http::HeaderList& fields,
                         const ResponseHeadOptions& opt, Buffer& out) {
  HeadWriter w(out);
  char status_line[16] = "HTTP/1.1 000 ";
  format_status(res.status, status_line + 9);
  w.put(status_line).put(res.reason).put("\r\n");
  put_fields(w, fields);
  if (res.status == 101)
    w.field("connection", "upgrade");
  else if (opt.interim) {
  } else if (opt.close_client)
    w.field("connection", "close");
  else if (opt.client_version_minor == 0)
    w.field("connection", "keep-alive");
  w.put("\r\n");
  return w.ok();
}

bool write_local_response(int status, std::string_view content_type, std::string_view body,
                          bool close, Buffer& out) {
  HeadWriter w(out);
  char line[96];
  snprintf(line, sizeof line, "HTTP/1.1 %d ", status);
  w.put(line).put(http::reason_phrase(status)).put("\r\n");
  snprintf(line, sizeof line, "%zu", body.size());
  w.field("content-length", line);
  if (!content_type.empty()) w.field("content-type", content_type);
  w.field("cache-control", "no-cache");
  if (close) w.field("connection", "close");
  w.put("\r\n").put(body);
  return w.ok();
}

}  // namespace hearth::stream
