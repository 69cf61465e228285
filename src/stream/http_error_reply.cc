// The error messages a stream answers with: the backend's (the frontend
// before switching), else the frontend's, else the built-in one, as HAProxy
// 2.6 picks them; errorfiles, http-error replies and errorloc redirects.
#include <string>

#include "stream/error_messages.h"
#include "stream/http_stream.h"
#include "stream/sample_fetch.h"
#include "stream/stick_counters.h"

namespace hearth::stream {

namespace {

const config::HttpReply* find_in(const config::ErrorReplies& m, int status) {
  const auto it = m.find(status);
  return it == m.end() ? nullptr : it->second.get();
}

}  // namespace

const config::HttpReply* HttpStream::error_reply(int status) const {
  if (be_) {
    if (const config::HttpReply* r = find_in(be_->settings.errors, status)) return r;
  }
  if (const config::HttpReply* r = find_in(fe_->http.errors, status)) return r;
  return builtin_error_reply(status);
}

// An error the client's mux detected (a request head it cannot parse, the
// request timeout): HAProxy's mux answers with the built-in message, or
// with nothing when the frontend's message for that code is empty.
void HttpStream::reply_mux_error(int status) {
  // An invalid request still counts as a request (and its status as an
  // error, when the transaction ends) for what the session tracks.
  if (status != 408) {
    count_stick_event(stick::Event::kHttpReq);
    count_stick_event(stick::Event::kHttpErr);
  }
  const config::HttpReply* own = find_in(fe_->http.errors, status);
  const config::HttpReply* builtin = builtin_error_reply(status);
  if (own && own->empty) return send_reply(*own, status, true);
  if (builtin) return send_reply(*builtin, status, true);
  reply_plain(status, true);
}

void HttpStream::send_reply(const config::HttpReply& r, int status, bool close) {
  if (r.empty) {  // an empty errorfile: close without a word (HAProxy)
    log_.status = status;
    if (status >= 400) fe_->counters.local().http_errors.add();
    return abort_all();
  }
  http::MsgHead& h = res_.head;
  if (r.whole) {
    bool ok = init_local_head(h, r.fields.size() + 1);
    for (const auto& [name, value] : r.fields) ok = ok && h.fields().add(name, value);
    return send_local(h, r.status, r.body, ok, close || r.close, r.reason);
  }
  TxnFetch fetch(expr::kUseConn | expr::kUseReq, scf_->conn, fe_, be_, &req_.head, nullptr);
  fetch.set_vars(&vars_, session());
  fetch.set_stream_trackers(&trk_);
  fetch.set_captures(&log_.caps, &log_.unique_id, log_.has_unique_id);
  bool ok = init_local_head(h, 2 + r.hdrs.size());
  std::string_view body = r.body;
  if (ok && r.body_fmt) ok = h.keep(r.body_fmt->eval(fetch), &body);
  char len[24];
  snprintf(len, sizeof len, "%zu", body.size());
  std::string_view kept_len;
  ok = ok && h.keep(len, &kept_len) && h.keep(body, &body);
  for (const auto& [name, fmt] : r.hdrs) {
    std::string_view v;
    ok = ok && h.keep(fmt->eval(fetch), &v);
    if (ok && !v.empty() && v.find_first_of(std::string_view("\r\n\0", 3)) == v.npos)
      ok = h.fields().add(name, v);
  }
  ok = ok && h.fields().add("content-length", kept_len) &&
       (r.content_type.empty() || h.fields().add("content-type", r.content_type));
  send_local(h, r.status ? r.status : status, body, ok, close);
}

}  // namespace hearth::stream
