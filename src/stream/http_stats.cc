// HttpStream's stats page: a request whose target starts with a proxy's
// "stats uri", once that proxy's http-request rules let it through. Its
// "stats http-request" rules and "stats auth" users decide who sees it,
// "stats admin" who may act on it; the page itself is built by the builder
// registered in stream/stats_service.h.
#include "stream/http_auth.h"
#include "stream/http_stream.h"
#include "stream/sample_fetch.h"
#include "stream/session.h"
#include "stream/stats_service.h"

namespace hearth::stream {

bool HttpStream::stats_wanted(const config::StatsPageConfig* st) const {
  std::string_view rest;
  return st && st->enabled && stats_uri_matches(st->uri, req_.head.target, &rest);
}

// The stats rules in order (the first whose condition holds decides), then the
// "stats auth" users, as HAProxy's implicit "auth unless http_auth" rule.
// Returns: true if the page may be served; false after answering 403 or 401.
bool HttpStream::stats_access(const config::StatsPageConfig& st, TxnFetch& fetch) {
  using Action = config::StatsRule::Action;
  const bool close = rule_reply_closes();
  for (const config::StatsRule& r : st.rules) {
    if (r.cond && !expr::eval_condition(*r.cond, fetch)) continue;
    if (r.action == Action::kAllow) return true;
    if (r.action == Action::kDeny) {
      fe_->count(&FrontendTallies::denied_req, bind_ctrs_);
      log_.term = "PR";
      reply(403, close);
      return false;
    }
    send_auth_challenge(r.realm.empty() ? st.realm : r.realm, close);
    return false;
  }
  if (st.users.empty()) return true;
  HttpCredentials cred;
  if (read_credentials(req_.head.fields(), use_px_conn_, &cred) &&
      cred.scheme == HttpCredentials::Scheme::kBasic)
    for (const auto& [user, pass] : st.users)
      if (cred.user == user && cred.pass == pass) return true;
  send_auth_challenge(st.realm, close);
  return false;
}

void HttpStream::answer_stats(const config::StatsPageConfig& st, bool backend_side) {
  if (!req_an_.intercepted) {  // once, even if a form is waited for (HAProxy counts 401s too)
    req_an_.intercepted = true;
    fe_->counters.local().intercepted.add();
  }
  TxnFetch fetch = request_fetch();
  if (!stats_access(st, fetch)) return;
  StatsPageRequest q;
  q.cfg = &st;
  q.proxy = backend_side ? std::string_view(be_->name()) : std::string_view(fe_->name);
  stats_uri_matches(st.uri, req_.head.target, &q.rest);
  q.post = req_.head.method == http::Method::kPost;
  for (const auto& cond : st.admin) q.admin = q.admin || expr::eval_condition(*cond, fetch);
  // An admin action comes as a form: its fields are waited for.
  if (q.post && q.admin && !wait_body(fe_->timeouts.http_request, 0)) return;
  q.body = std::string_view(req_.data.head(), req_.data.len());
  q.client = session()->client_addr(scf_->conn).str();
  StatsPageAnswer a;
  if (!build_stats_page(q, &a)) {
    log_.term = "PR";
    return reply(500, true);
  }
  log_.term = "LR";
  send_built_answer(a);
}

void HttpStream::send_built_answer(StatsPageAnswer& a) {
  stats_page_ = std::move(a.body);
  http::MsgHead& h = res_.head;
  char len[24];
  snprintf(len, sizeof len, "%zu", stats_page_.size());
  std::string_view kept;
  bool ok = init_local_head(h, a.fields.size() + 1) && h.keep(len, &kept) &&
            h.fields().add("content-length", kept);
  for (const auto& [name, value] : a.fields) {
    std::string_view v;
    ok = ok && h.keep(value, &v) && h.fields().add(name, v);
  }
  send_local(h, a.status, stats_page_, ok, rule_reply_closes());
}

}  // namespace hearth::stream
