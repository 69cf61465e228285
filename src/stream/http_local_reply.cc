// HttpStream's local responses: errors it generates, the responses of deny
// and return rules (status, content-type, a string, file or log-format
// payload, and "hdr NAME FMT" fields), and redirects.
#include <string>

#include "expr/log_format.h"
#include "http/status.h"
#include "stream/http_stream.h"

namespace hearth::stream {

// An error Hearth answers: the configured or built-in message for the
// status (error_reply), else a short text/plain one.
void HttpStream::reply(int status, bool close) {
  if (const config::HttpReply* r = error_reply(status)) return send_reply(*r, status, close);
  reply_plain(status, close);
}

// A status without a built-in message (414, 431, 505): its reason phrase
// as text/plain.
void HttpStream::reply_plain(int status, bool close) {
  const std::string payload = std::string(http::reason_phrase(status)) + "\n";
  http::MsgHead& h = res_.head;
  char len[24];
  snprintf(len, sizeof len, "%zu", payload.size());
  std::string_view kept_len, kept_body;
  const bool ok = init_local_head(h, 3) && h.keep(len, &kept_len) && h.keep(payload, &kept_body) &&
                  h.fields().add("content-length", kept_len) &&
                  h.fields().add("content-type", "text/plain") &&
                  h.fields().add("cache-control", "no-cache");
  send_local(h, status, kept_body, ok, close);
}

namespace {

// Returns: the path and query of a request target (those of an absolute URI).
std::string_view origin_target(std::string_view target) {
  const size_t scheme_end = target.find("://");
  if (!target.empty() && target[0] != '/' && scheme_end != std::string_view::npos) {
    const size_t slash = target.find('/', scheme_end + 3);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  return target;
}

// The Location of a redirect rule (HAProxy's forms): the format as is; or
// the prefix then the request's path and query (just them for prefix "/");
// or scheme://Host then path and query. drop-query removes the query,
// append-slash ends the path with '/'.
void redirect_location(const config::HttpRule& rule, expr::FetchContext& ctx,
                       const http::MsgHead& req, std::string* out) {
  using R = config::HttpRule::RedirectType;
  const std::string_view v = rule.fmt ? rule.fmt->eval(ctx) : std::string_view(rule.value);
  if (rule.redirect == R::kLocation) {
    out->assign(v);
    return;
  }
  const std::string_view target = origin_target(req.target);
  std::string_view path = target.substr(0, target.find('?'));
  const std::string_view query = target.substr(path.size());
  if (rule.redirect == R::kScheme) {
    out->assign(v).append("://");
    if (const http::HeaderField* h = req.fields().find("host")) out->append(h->value);
  } else if (v != "/") {
    out->assign(v);
  } else {
    out->clear();
  }
  out->append(path);
  if (rule.append_slash && (path.empty() || path.back() != '/')) out->push_back('/');
  if (!rule.drop_query) out->append(query);
}

}  // namespace

// A redirect rule answers with its code and Location (HAProxy's fields:
// content-length, location, cache-control for 302, 303 and 307, set-cookie).
void HttpStream::answer_redirect(const config::HttpRule& rule, expr::FetchContext& ctx,
                                 bool close) {
  static thread_local std::string location;
  redirect_location(rule, ctx, req_.head, &location);
  http::MsgHead& h = res_.head;
  std::string_view loc;
  const bool no_cache = rule.status == 302 || rule.status == 303 || rule.status == 307;
  bool ok = init_local_head(h, 4) && h.keep(location, &loc) &&
            h.fields().add("content-length", "0") && h.fields().add("location", loc) &&
            (!no_cache || h.fields().add("cache-control", "no-cache")) &&
            (rule.cookie.empty() || h.fields().add("set-cookie", rule.cookie));
  if (location.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) ok = false;
  send_local(h, rule.status, {}, ok, close);
}

// A server with "redir PREFIX" was chosen for a GET or HEAD: a 302 toward
// PREFIX and the request's path and query, closing the connection, logged as
// a local answer after the server was assigned (LC), as HAProxy does.
void HttpStream::answer_server_redirect(std::string_view prefix) {
  static thread_local std::string location;
  location.assign(prefix).append(origin_target(req_.head.target));
  http::MsgHead& h = res_.head;
  std::string_view loc;
  bool ok = init_local_head(h, 3) && h.keep(location, &loc) &&
            h.fields().add("cache-control", "no-cache") && h.fields().add("content-length", "0") &&
            h.fields().add("location", loc);
  if (location.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) ok = false;
  log_.term = "LC";
  send_local(h, 302, {}, ok, /*close=*/true);
}

// A deny, return or redirect rule answers the request. Returns: false (the
// stream replied).
// As HAProxy 2.6, a denied request whose payload was not left unread keeps
// its connection (none, or all of it received: buffered for the rules).
bool HttpStream::rule_reply_closes() const {
  const http::MsgHead& req = req_.head;
  const bool no_payload =
      req.body == http::BodyKind::kNone || (req.body == http::BodyKind::kLength && req.length == 0);
  return !req_.client_keepalive || !(no_payload || req_.done);
}

bool HttpStream::answer_by_rule(const config::HttpRule& rule, expr::FetchContext& ctx) {
  if (rule.action == config::HttpRule::Action::kReject ||
      rule.action == config::HttpRule::Action::kSilentDrop) {
    drop_client(rule.action == config::HttpRule::Action::kSilentDrop);
    return false;
  }
  if (rule.action == config::HttpRule::Action::kNormalizeUri) {
    // A strict normalizer refused the target: a bad request, as HAProxy,
    // whose bad-request path also leaves TR unset (-1).
    log_.term = "PR";
    log_.req_ready_ms = -1;
    reply(400, true);
    return false;
  }
  if (rule.action == config::HttpRule::Action::kUseService) {
    answer_service(rule);
    return false;
  }
  const bool tarpit = rule.action == config::HttpRule::Action::kTarpit;
  if (tarpit && phase_ != Phase::kTarpit) {
    start_tarpit(rule);
    return false;
  }
  // A tarpit answers as a deny once its time is up.
  const bool deny = rule.action == config::HttpRule::Action::kDeny || tarpit;
  // A response denied by http-response deny counts in dresp, a request in dreq.
  if (deny && !tarpit)
    fe_->count(
        phase_ == Phase::kExchange ? &FrontendTallies::denied_resp : &FrontendTallies::denied_req,
        bind_ctrs_);
  // As HAProxy, a denied response also counts in its backend's and server's dresp.
  if (deny && phase_ == Phase::kExchange) {
    if (be_) be_->counters.local().denied_resp.add();
    if (backend::Server* srv = ss_.server()) srv->counters.local().denied_resp.add();
  }
  if (deny) log_.term = tarpit ? "PT" : phase_ == Phase::kExchange ? "PH" : "PR";
  // A denied request (not a response) is an HTTP error for the stick counters.
  if ((deny && phase_ != Phase::kExchange) || rule.action == config::HttpRule::Action::kAuth)
    count_stick_event(stick::Event::kHttpErr);
  if (deny && !tarpit && phase_ != Phase::kExchange) cookies_for_log();
  const bool close = rule_reply_closes();
  if (rule.action == config::HttpRule::Action::kRedirect) {
    answer_redirect(rule, ctx, close);
    return false;
  }
  if (rule.action == config::HttpRule::Action::kAuth) {
    answer_auth(rule, close);
    return false;
  }
  // errorfile F, errorfiles NAME, default-errorfiles, or a deny without a
  // payload: the proxy's message for the status.
  if (rule.errmsg || (deny && !rule.has_body && rule.hdrs.empty())) {
    const int status = rule.status ? rule.status : 403;
    const config::HttpReply* r = rule.errmsg ? rule.errmsg->reply.get() : nullptr;
    if (!r) r = error_reply(status);
    if (r) send_reply(*r, status, close);
    if (!r) reply_plain(status, close);
    return false;
  }
  http::MsgHead& h = res_.head;
  bool ok = init_local_head(h, 2 + rule.hdrs.size());
  log_.status = rule.status;  // as HAProxy, the reply's own values see its %ST
  std::string_view body = rule.value;
  if (ok && rule.fmt) ok = h.keep(rule.fmt->eval(ctx), &body);
  char len[24];
  snprintf(len, sizeof len, "%zu", body.size());
  std::string_view kept_len;
  ok = ok && h.keep(len, &kept_len) && h.keep(body, &body);
  for (const auto& [name, fmt] : rule.hdrs) {
    std::string_view v;
    ok = ok && h.keep(fmt->eval(ctx), &v);
    // A value that would split the head is dropped, as an empty one is.
    if (ok && !v.empty() && v.find_first_of(std::string_view("\r\n\0", 3)) == v.npos)
      ok = h.fields().add(name, v);
  }
  ok = ok && h.fields().add("content-length", kept_len) &&
       (!rule.has_body || rule.content_type.empty() ||
        h.fields().add("content-type", rule.content_type));
  h.reason = http::rule_reason(rule.status);  // HAProxy's table for a rule's status
  send_local(h, rule.status, body, ok, close);
  return false;
}

// Room for `fields` and those the http-after-response rules may add: taken
// now, as making room later would move the text the payload is kept in.
bool HttpStream::init_local_head(http::MsgHead& h, size_t fields) const {
  return h.init(fields + fields_added_after());
}

void HttpStream::send_local(http::MsgHead& h, int status, std::string_view payload, bool ok,
                            bool close, std::string_view reason) {
  h.status = status;
  if (!reason.empty())
    h.reason = reason;
  else if (h.reason.empty())
    h.reason = http::reason_phrase(status);
  log_.status = h.status;  // what the http-after-response rules see as %ST
  if (ok && !res_.after_rules_done && !run_after_response_rules(h)) {
    log_.term = "PR";  // a failed rewrite on the reply: a plain 500 instead
    return reply(500, true);
  }
  log_.status = h.status;
  if (status >= 400) fe_->counters.local().http_errors.add();
  ss_.release();
  res_.local_close = close || soft_stopping();
  res_.client_close = res_.local_close;
  // The answer to HEAD has the fields of its payload but not the payload
  // (as HAProxy's local replies).
  if (req_.head.method == http::Method::kHead) payload = {};
  h.body =
      req_.head.method == http::Method::kHead ? http::BodyKind::kNone : http::BodyKind::kLength;
  h.length = payload.size();
  if (!payload.empty() && !h.fields().find("content-length")) {
    // An errorfile without a length: its payload ends with the close (HAProxy).
    h.body = http::BodyKind::kUnknown;
    h.flags |= http::kMsgEndsWithClose;
    res_.local_close = res_.client_close = true;
  }
  if (res_.local_close) h.flags |= http::kMsgClose;
  phase_ = Phase::kLocalReply;
  exp_.cli = deadline(fe_->timeouts.client);
  res_.local = payload;
  if (!ok || !fmux()->snd_head(scf_, h)) {
    log_.term = "PR";  // the response does not fit a head's storage
    return abort_all();
  }
  flush_local_reply();
}

}  // namespace hearth::stream
