#pragma once
// Cookie persistence of one HTTP transaction (HAProxy manual 4.2 "cookie",
// "option persist", "force-persist", "ignore-persist"; 8.5 for the cookie
// flags of the termination state) and the cookie captures of the log
// ("capture cookie", %CC and %CS). The decision table is in
// docs/architecture.md ("Cookie persistence"); the byte work is
// http/persist_cookie.h.
//
// Order within a transaction, as HAProxy's analysers:
//   persist rules (force-/ignore-persist) -> use-server -> request cookies
//   (this file: may pick the server, edits the Cookie fields) -> server
//   assignment -> ... -> response rules -> response cookies (this file:
//   Set-Cookie edited or added, Cache-control: private) -> after-response.
#include <cstdint>
#include <string_view>

#include "backend/backend.h"
#include "config/persist_model.h"
#include "expr/fetch.h"
#include "http/msg.h"

namespace hearth::stream {

struct CookieState {
  // The 3rd and 4th characters of the termination state: the client's
  // cookie (N none, I invalid, D its server down, V valid, E expired by
  // maxidle, O too old by maxlife, U unused: persistence ignored or the
  // server already chosen) and the server's (N none, P passed as it was,
  // D deleted, I inserted, R rewritten, U updated: only its date).
  char req = 'N';
  char res = 'N';
  bool force = false;   // a force-persist rule matched
  bool ignore = false;  // an ignore-persist rule matched
  // The server was chosen by the cookie or a use-server rule (HAProxy's
  // SF_DIRECT); `server` is that server.
  bool direct = false;
  backend::Server* server = nullptr;
  bool set_cookie_found = false;  // the server sent the persistence cookie
  // The dates of the client's cookie (seconds since the epoch, 0: none).
  int64_t first_date = 0, last_date = 0;
  // capture cookie: NAME=VALUE of the request's and the response's.
  char cap_req[64], cap_res[64];
  uint8_t cap_req_len = 0, cap_res_len = 0;
  bool cap_req_set = false, cap_res_set = false;
  std::string_view captured_req() const { return {cap_req, cap_req_len}; }
  std::string_view captured_res() const { return {cap_res, cap_res_len}; }
};

// Evaluates `be`'s force-persist / ignore-persist rules (the first that
// matches decides) into st.
void eval_persist_rules(const backend::Backend& be, expr::FetchContext& ctx, CookieState* st);

// The request's Cookie fields, when `be` has a cookie or `cap` a name: the
// server the persistence cookie names (st->server, st->direct) and the
// fields edited as the mode says (indirect insert: the cookie removed;
// prefix: its "SERVER~" dropped). `be`: null for a frontend's own
// captures only. `assigned`: a use-server rule chose the server already (the
// cookie is then unused). now_s: the wall clock.
// Returns: false if an edited field found no room in `req`.
bool cookie_request(const backend::Backend* be, const config::CookieCapture& cap,
                    http::MsgHead& req, backend::Server* assigned, int64_t now_s, CookieState* st);

// The server that took the request (`srv`): a cookie's server that was left
// for another (redispatch, maxqueue) turns V into D and ends persistence.
void cookie_server_known(backend::Server* srv, CookieState* st);

// The response's Set-Cookie fields and the inserted cookie, for the
// transaction served by `srv` (method `method` of the request). Requires:
// room for 2 more fields in `res`. Returns: false if a field found no room.
bool cookie_response(const backend::Backend& be, const config::CookieCapture& cap,
                     backend::Server* srv, http::Method method, http::MsgHead& res, int64_t now_s,
                     CookieState* st);

// The log's cookie characters: "--" unless `be` rewrites, inserts, prefixes
// or removes a cookie (a passive cookie without indirect logs none).
inline bool cookie_logged(const backend::Backend* be) {
  if (!be || be->settings.cookie.name.empty()) return false;
  const config::CookieConfig& c = be->settings.cookie;
  return c.mode != config::CookieConfig::Mode::kPassive || c.indirect;
}

}  // namespace hearth::stream
