#include "stream/cookie_persist.h"

#include <cstring>
#include <string>

#include "expr/condition.h"
#include "http/cacheability.h"
#include "http/headers.h"
#include "http/persist_cookie.h"

namespace hearth::stream {
namespace {

using Mode = config::CookieConfig::Mode;

constexpr int64_t kDay = 86400;

// Edited field values are built here, then copied into the head.
std::string& scratch() {
  thread_local std::string s;
  return s;
}

// capture cookie: the first NAME=VALUE that begins with the capture's name.
void capture(const config::CookieCapture& cap, std::string_view name, std::string_view value,
             char* buf, uint8_t* len, bool* set) {
  if (*set || cap.name.empty()) return;
  const size_t total = name.size() + 1 + value.size();
  if (total < cap.name.size()) return;
  std::string_view want = cap.name;
  const size_t in_name = want.size() < name.size() ? want.size() : name.size();
  if (name.substr(0, in_name) != want.substr(0, in_name)) return;
  want.remove_prefix(in_name);
  if (!want.empty()) {
    if (want[0] != '=') return;
    want.remove_prefix(1);
    if (value.substr(0, want.size()) != want) return;
  }
  size_t n = 0;
  const size_t cap_len = size_t(cap.len) < 63 ? size_t(cap.len) : 63;
  auto put = [&](std::string_view s) {
    const size_t k = s.size() < cap_len - n ? s.size() : cap_len - n;
    memcpy(buf + n, s.data(), k);
    n += k;
  };
  put(name);
  if (n < cap_len) put("=");
  if (n < cap_len) put(value);
  *len = uint8_t(n);
  *set = true;
}

struct RequestPass {
  const backend::Backend* be;
  const config::CookieConfig& ck;
  const config::CookieCapture& cap;
  int64_t now_s;
  bool assigned;
  CookieState* st;
  bool chosen = false;  // an earlier occurrence chose the server: later ones are not judged
};

// Reads the date stamps after the server's id: "ID|LAST[|FIRST]".
void read_dates(std::string_view value, size_t bar, CookieState* st) {
  std::string_view rest = value.substr(bar + 1);
  if (rest.size() >= 5) {
    const int64_t v = http::b64_to_s30(rest);
    if (v > 0) st->last_date = v << 2;
  }
  const size_t bar2 = rest.find('|');
  if (bar2 != std::string_view::npos && rest.size() - bar2 > 5) {
    const int64_t v = http::b64_to_s30(rest.substr(bar2 + 1));
    if (v > 0) st->first_date = v << 2;
  }
}

// One occurrence of the persistence cookie. Returns: the server's id in
// it ("" when it expired).
std::string_view judge_dates(RequestPass& p, std::string_view id) {
  CookieState* st = p.st;
  const int64_t now = p.now_s;
  const bool old = st->first_date && p.ck.maxlife_s &&
                   (now - st->first_date > p.ck.maxlife_s || st->first_date - now > kDay);
  const bool idle = !old && st->last_date && p.ck.maxidle_s &&
                    (now - st->last_date > p.ck.maxidle_s || st->last_date - now > kDay);
  if (!old && !idle) return id;
  st->req = old ? 'O' : 'E';
  st->first_date = st->last_date = 0;
  return {};
}

void find_server(RequestPass& p, std::string_view id) {
  CookieState* st = p.st;
  bool found = false;
  if (!id.empty() && !st->ignore && !p.assigned) {
    for (const auto& s : p.be->servers()) {
      const std::string_view value = s->cookie();
      if (value.empty() || value != id) continue;
      const bool up = s->serving();
      if (up || p.be->settings.persist || st->force) {
        st->req = up ? 'V' : 'D';
        st->direct = true;
        st->server = s.get();
        p.assigned = true;
        p.chosen = true;
        found = true;
        break;
      }
      st->req = 'D';  // down: another server with the same cookie may do
    }
  }
  if (!found && st->req != 'D' && st->req != 'E' && st->req != 'O')
    st->req = st->ignore || p.assigned ? 'U' : 'I';
}

http::CookieEdit visit_request_cookie(void* ctx, std::string_view name, std::string_view value) {
  auto& p = *static_cast<RequestPass*>(ctx);
  capture(p.cap, name, value, p.st->cap_req, &p.st->cap_req_len, &p.st->cap_req_set);
  if (p.ck.name.empty() || name != p.ck.name) return {};
  size_t delim = value.size();
  if (p.ck.mode == Mode::kPrefix) {
    delim = std::min(value.find('~'), value.size());
  } else if (size_t bar = value.find('|'); bar != std::string_view::npos) {
    delim = bar;
    if (!p.chosen) read_dates(value, bar, p.st);
  }
  // As HAProxy: once an occurrence chose the server, the others are only edited.
  if (!p.chosen) find_server(p, judge_dates(p, value.substr(0, delim)));
  if (p.ck.mode == Mode::kPrefix && delim != value.size())
    return {http::CookieEdit::kDropPrefix, delim + 1};
  if (p.ck.mode == Mode::kInsert && p.ck.indirect) return {http::CookieEdit::kDelete, 0};
  return {http::CookieEdit::kKeep, 0};
}

// Drops the fields whose name was cleared (marked for removal).
void drop_marked(http::HeaderList& f) {
  f.del_if([](const http::HeaderField& h) { return h.name.empty(); });
}

}  // namespace

void eval_persist_rules(const backend::Backend& be, expr::FetchContext& ctx, CookieState* st) {
  for (const config::PersistRule& r : be.settings.persist_rules) {
    if (r.cond && !expr::eval_condition(*r.cond, ctx)) continue;
    (r.force ? st->force : st->ignore) = true;
    return;
  }
}

bool cookie_request(const backend::Backend* be, const config::CookieCapture& cap,
                    http::MsgHead& req, backend::Server* assigned, int64_t now_s, CookieState* st) {
  static const config::CookieConfig kNoCookie;
  const config::CookieConfig& ck = be ? be->settings.cookie : kNoCookie;
  if (assigned) {  // a use-server rule: HAProxy's SF_DIRECT too
    st->direct = true;
    st->server = assigned;
  }
  if (ck.name.empty() && cap.name.empty()) return true;
  RequestPass pass{be, ck, cap, now_s, assigned != nullptr, st};  // be: null without a cookie
  http::HeaderList& f = req.fields();
  std::string& out = scratch();
  bool removed = false, ok = true;
  for (size_t i = 0; i < f.size(); ++i) {
    if (!http::iequals(f[i].name, "cookie")) continue;
    switch (http::edit_cookie_field(f[i].value, &visit_request_cookie, &pass, &out)) {
      case http::FieldEdit::kUnchanged:
        break;
      case http::FieldEdit::kChanged: {
        std::string_view kept;
        if (req.keep(out, &kept))
          f.set_value(i, kept);
        else
          ok = false;
        break;
      }
      case http::FieldEdit::kRemove:
        f.set_name_value(i, {}, {});
        removed = true;
        break;
    }
  }
  if (removed) drop_marked(f);
  return ok;
}

void cookie_server_known(backend::Server* srv, CookieState* st) {
  if (!st->direct || srv == st->server) return;
  st->direct = false;
  if (st->req == 'V') st->req = 'D';
}

namespace {

// The Set-Cookie value Hearth inserts for `srv`.
void build_insert(const config::CookieConfig& ck, const backend::Server& srv, int64_t now_s,
                  const CookieState& st, std::string* out) {
  out->assign(ck.name);
  out->push_back('=');
  const std::string_view value = srv.cookie();
  if (value.empty()) {
    out->append("; Expires=Thu, 01-Jan-1970 00:00:01 GMT; path=/");
  } else {
    out->append(value);
    if (ck.maxidle_s || ck.maxlife_s) {
      char b64[5];
      const int64_t stamp = (now_s + 3) >> 2;
      out->push_back('|');
      http::s30_to_b64(uint32_t(stamp), b64);
      out->append(b64, 5);
      if (ck.maxlife_s) {
        out->push_back('|');
        http::s30_to_b64(uint32_t(st.first_date ? st.first_date >> 2 : stamp), b64);
        out->append(b64, 5);
      }
    }
    out->append("; path=/");
  }
  for (const std::string& d : ck.domains) out->append("; domain=").append(d);
  if (ck.httponly) out->append("; HttpOnly");
  if (ck.secure) out->append("; Secure");
  for (size_t i = 0; i < ck.attrs.size(); ++i) out->append("; ").append(ck.attrs[i]);
}

bool should_insert(const config::CookieConfig& ck, const backend::Server* srv, http::Method method,
                   int64_t now_s, const CookieState& st) {
  if (!srv || ck.mode != Mode::kInsert || st.ignore) return false;
  if (st.set_cookie_found && ck.preserve) return false;
  if (ck.postonly && method != http::Method::kPost) return false;
  return !st.direct ||
         ((ck.maxidle_s || st.last_date) && (!st.last_date || st.last_date < now_s)) ||
         (ck.maxlife_s && !st.first_date) || (!ck.maxlife_s && st.first_date);
}

// One Set-Cookie field: the capture, then the persistence cookie's fate.
// Returns: false if the edited value found no room.
bool edit_set_cookie(const backend::Backend& be, const config::CookieCapture& cap,
                     backend::Server* srv, http::MsgHead& res, size_t i, CookieState* st) {
  const config::CookieConfig& ck = be.settings.cookie;
  http::HeaderList& f = res.fields();
  const std::string_view in = f[i].value;
  const http::SetCookieParts p = http::parse_set_cookie(in);
  if (!p.has_eq) return true;
  capture(cap, p.name, p.value, st->cap_res, &st->cap_res_len, &st->cap_res_set);
  auto rewrite = [&](http::SetCookieRewrite how, std::string_view text) {
    std::string& out = scratch();
    http::rewrite_set_cookie(in, p, how, text, &out);
    std::string_view kept;
    if (!res.keep(out, &kept)) return false;
    f.set_value(i, kept);
    return true;
  };
  const bool ours = !ck.name.empty() && !st->ignore && p.name == ck.name;
  if (!ours) return !p.normalised || rewrite(http::SetCookieRewrite::kNormalise, {});
  st->set_cookie_found = true;
  st->res = 'P';
  if (ck.preserve) return !p.normalised || rewrite(http::SetCookieRewrite::kNormalise, {});
  if ((srv && ck.mode == Mode::kInsert) || (st->direct && ck.indirect)) {
    f.set_name_value(i, {}, {});
    st->res = 'D';
    return true;
  }
  const std::string_view value = srv ? srv->cookie() : std::string_view();
  if (!value.empty() && ck.mode == Mode::kRewrite) {
    st->res = 'R';
    return rewrite(http::SetCookieRewrite::kReplace, value);
  }
  if (!value.empty() && ck.mode == Mode::kPrefix) {
    std::string text = std::string(value) + "~";
    st->res = 'R';
    return rewrite(http::SetCookieRewrite::kPrefix, text);
  }
  return !p.normalised || rewrite(http::SetCookieRewrite::kNormalise, {});
}

}  // namespace

bool cookie_response(const backend::Backend& be, const config::CookieCapture& cap,
                     backend::Server* srv, http::Method method, http::MsgHead& res, int64_t now_s,
                     CookieState* st) {
  const config::CookieConfig& ck = be.settings.cookie;
  if (ck.name.empty() && cap.name.empty()) return true;
  http::HeaderList& f = res.fields();
  bool ok = true;
  const size_t n = f.size();
  for (size_t i = 0; i < n; ++i)
    if (http::iequals(f[i].name, "set-cookie")) ok &= edit_set_cookie(be, cap, srv, res, i, st);
  drop_marked(f);
  if (!should_insert(ck, srv, method, now_s, *st)) return ok;
  std::string& out = scratch();
  build_insert(ck, *srv, now_s, *st, &out);
  std::string_view kept;
  if (!res.keep(out, &kept) || !f.add("set-cookie", kept)) return false;
  st->res = !srv->cookie().empty() && st->direct ? 'U' : 'I';
  const bool cacheable_method = method == http::Method::kGet || method == http::Method::kHead;
  if (ck.nocache && http::response_cacheable(res.status, f, cacheable_method))
    return f.add("cache-control", "private") && ok;
  return ok;
}

}  // namespace hearth::stream
