// The http-request / http-response / http-after-response actions that feed
// the access log: capture EXPR (len N | id N) and set-log-level LEVEL
// (HAProxy manual 4.2).
#include "config/keywords.h"
#include "expr/fetch.h"

namespace hearth::config::detail {
namespace {

// A positive decimal number (slot id or length). Returns: -1 if `s` is not one.
int small_number(const std::string& s, bool zero_ok) {
  if (s.empty() || s.size() > 7) return -1;
  int n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
  }
  return n > 0 || zero_ok ? n : -1;
}

}  // namespace

bool parse_capture_action(const Directive& d, const std::string& kw, ProxySection& s,
                          HttpRule& rule, Reporter& rep) {
  const bool request = d[0] == "http-request";
  const std::string form = request ? "EXPR len N' or '" + kw + " EXPR id N" : "EXPR id N";
  if (d.size() < 5 || (d.size() > 5 && d[5] != "if" && d[5] != "unless")) {
    rep.error(d.loc, kw,
              d.size() < 5 ? "expects '" + kw + " " + form + "'"
                           : "unexpected '" + d[5] + "': expects [if|unless COND] after the " +
                                 d[3] + " value");
    return false;
  }
  if (d[3] != "id" && (d[3] != "len" || !request)) {
    rep.error(d.loc, kw,
              "expects " + std::string(request ? "'len' or 'id'" : "'id'") +
                  " after the expression, found '" + d[3] + "'");
    return false;
  }
  const bool declares = d[3] == "len";
  const int n = small_number(d[4], !declares);
  if (n < 0) {
    rep.error(d.loc, kw,
              "invalid " + std::string(declares ? "length" : "slot id") + " '" + d[4] + "'" +
                  (declares ? ": expects a number above 0" : ": expects a number"));
    return false;
  }
  std::string err;
  const uint8_t use =
      request ? expr::kUseConn | expr::kUseReq : expr::kUseConn | expr::kUseRes | expr::kUseResBody;
  auto e = expr::parse_sample_expr(d[2], use, &err);
  if (!e) {
    rep.error(d.loc, kw, err);
    return false;
  }
  rule.action = HttpRule::Action::kCapture;
  rule.expr = std::move(e);
  rule.cap_declares = declares;
  if (!declares) {
    rule.cap_id = n;  // checked once every slot is declared (validate_log.cc)
    return true;
  }
  // "len N" declares the next request slot, numbered with "capture request
  // header" and "declare capture request": only a frontend has slots. In a
  // (named) defaults section the slot comes first in each frontend using it,
  // as the section's rules run first there.
  if (s.proxy.kind == ProxyKind::kBackend) {
    rep.error(d.loc, kw,
              "'len' declares a capture slot, which only a frontend, listen or defaults section "
              "has: "
              "declare it there and use 'id N' here");
    return false;
  }
  rule.cap_id = declare_request_capture(d, s, n);
  return true;
}

int declare_request_capture(const Directive& d, ProxySection& s, int len) {
  const int id = int(s.proxy.logcfg.req_caps.size());
  s.proxy.logcfg.req_caps.push_back(CaptureSlot{d.loc, "", len});
  return id;
}

int parse_capture_len(const std::string& word) { return small_number(word, false); }

bool parse_set_log_level_word(const Directive& d, size_t i, const std::string& kw, LogLevel* level,
                              Reporter& rep) {
  if (d.size() > i && parse_log_level(d[i], true, level)) return true;
  rep.error(d.loc, kw,
            "expects one level: emerg, alert, crit, err, warning, notice, info, debug or "
            "silent" +
                (d.size() > i ? ", found '" + d[i] + "'" : std::string()));
  return false;
}

bool parse_log_level_action(const Directive& d, const std::string& kw, HttpRule& rule,
                            Reporter& rep) {
  LogLevel level = kLogInfo;
  if (!parse_set_log_level_word(d, 2, kw, &level, rep)) return false;
  if (d.size() > 3 && d[3] != "if" && d[3] != "unless") {
    rep.error(d.loc, kw, "unexpected '" + d[3] + "': expects [if|unless COND] after the level");
    return false;
  }
  rule.action = HttpRule::Action::kSetLogLevel;
  rule.log_level = level;
  return true;
}

}  // namespace hearth::config::detail
