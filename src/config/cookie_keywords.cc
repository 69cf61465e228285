// "cookie", "dynamic-cookie-key", "force-persist" and "ignore-persist"
// (HAProxy manual 4.2). The server's "cookie VALUE" is a server option
// (server_conn_keywords.cc), "option persist" an option (option_keywords.cc).
#include <cctype>

#include "config/keywords.h"
#include "config/units.h"

namespace hearth::config::detail {
namespace {

constexpr const char* kCookieOptions =
    "rewrite, insert, prefix, indirect, nocache, postonly, preserve, httponly, secure, "
    "domain D, maxidle T, maxlife T, dynamic and attr A";

// A duration in seconds (a bare number is seconds; s, m, h, d, ms and us as
// for timeouts). Returns: nullopt after reporting.
std::optional<int64_t> seconds_arg(const Directive& d, size_t i, const std::string& opt,
                                   Reporter& rep) {
  const std::string v = i < d.size() ? d[i] : "";
  std::optional<int64_t> s;
  if (!v.empty() && v.find_first_not_of("0123456789") == std::string::npos) {
    s = parse_int(v);
    if (s && *s > kMaxDurationMs / 1000) s.reset();
  } else if (auto ms = parse_duration_ms(v)) {
    s = (*ms + 999) / 1000;
  }
  if (!s) {
    rep.error(d.loc, "cookie",
              "'" + opt +
                  "' expects a time in seconds (a number, or with a unit: 30m, 12h, 7d), got '" +
                  v + "'");
  }
  return s;
}

// The value of "attr": printable, without ';'. Returns: false after reporting.
bool check_attr(const Directive& d, const std::string& v, Reporter& rep) {
  for (unsigned char c : v) {
    if (std::iscntrl(c) || c == ';') {
      char hex[8];
      snprintf(hex, sizeof hex, "%%x%02X", c);
      rep.error(d.loc, "cookie",
                std::string("'attr' value '") + v + "': character '" + hex +
                    "' is not permitted (no control character nor ';')");
      return false;
    }
  }
  return true;
}

using Mode = CookieConfig::Mode;

// One option of the cookie line at d[*i] (moved past its value). Returns:
// false after reporting.
bool apply_cookie_option(const Directive& d, size_t* i, CookieConfig& c, int* modes,
                         Reporter& rep) {
  const std::string& o = d[*i];
  auto value = [&](const char* what) -> const std::string* {
    if (*i + 1 >= d.size() || d[*i + 1].empty()) {
      rep.error(d.loc, "cookie", "'" + o + "' expects " + what);
      return nullptr;
    }
    return &d[++*i];
  };
  if (o == "rewrite" || o == "insert" || o == "prefix") {
    c.mode = o == "rewrite" ? Mode::kRewrite : o == "insert" ? Mode::kInsert : Mode::kPrefix;
    ++*modes;
  } else if (o == "indirect") {
    c.indirect = true;
  } else if (o == "nocache") {
    c.nocache = true;
  } else if (o == "postonly") {
    c.postonly = true;
  } else if (o == "preserve") {
    c.preserve = true;
  } else if (o == "httponly") {
    c.httponly = true;
  } else if (o == "secure") {
    c.secure = true;
  } else if (o == "dynamic") {
    c.dynamic = true;
  } else if (o == "domain") {
    const std::string* v = value("a domain name");
    if (!v) return false;
    if ((*v)[0] != '.' && v->find('.', 1) == std::string::npos)
      rep.warning(d.loc, "cookie",
                  "domain '" + *v +
                      "' contains no embedded dot, this configuration may not work properly "
                      "(see RFC6265#5.2.3)");
    c.domains.push_back(*v);
  } else if (o == "maxidle" || o == "maxlife") {
    if (*i + 1 >= d.size()) {
      rep.error(d.loc, "cookie", "'" + o + "' expects a time in seconds");
      return false;
    }
    auto s = seconds_arg(d, ++*i, o, rep);
    if (!s) return false;
    (o == "maxidle" ? c.maxidle_s : c.maxlife_s) = *s;
  } else if (o == "attr") {
    const std::string* v = value("a cookie attribute (such as SameSite=Lax)");
    if (!v || !check_attr(d, *v, rep)) return false;
    c.attrs.push_back(*v);
  } else {
    rep.error(d.loc, "cookie", "unknown option '" + o + "'; supported: " + kCookieOptions);
    return false;
  }
  return true;
}

}  // namespace

// A later "cookie" line replaces the earlier one (or the defaults' one).
void parse_cookie(const Directive& d, ProxySection& s, Reporter& rep) {
  if (d.size() < 2 || d[1].empty()) {
    rep.error(
        d.loc, "cookie",
        std::string("expects a cookie name: cookie NAME [OPTION...], with ") + kCookieOptions);
    return;
  }
  CookieConfig c;
  c.loc = d.loc;
  c.name = d[1];
  int modes = 0;
  for (size_t i = 2; i < d.size(); ++i)
    if (!apply_cookie_option(d, &i, c, &modes, rep)) return;
  if (modes > 1) {
    rep.error(d.loc, "cookie", "'rewrite', 'insert' and 'prefix' modes are mutually exclusive");
    return;
  }
  if (c.mode == Mode::kRewrite && c.indirect) {
    rep.error(d.loc, "cookie", "'rewrite' and 'indirect' modes are incompatible");
    return;
  }
  if (c.preserve && c.mode != Mode::kInsert && !c.indirect) {
    rep.error(d.loc, "cookie", "'preserve' requires at least 'insert' or 'indirect'");
    return;
  }
  s.proxy.cookie = std::move(c);
}

void parse_dynamic_cookie_key(const Directive& d, ProxySection& s, Reporter& rep) {
  if (!check_arity(d, d[0], 2, 2, "dynamic-cookie-key KEY", rep)) return;
  if (d[1].empty()) {
    rep.error(d.loc, d[0], "expects a secret key");
    return;
  }
  s.proxy.dynamic_cookie_key = d[1];
}

void parse_persist_rule(const Directive& d, ProxySection& s, Reporter& rep) {
  const std::string& kw = d[0];
  if (s.proxy.kind == ProxyKind::kDefaults) {
    rep.error(d.loc, kw, "not allowed in a defaults section (allowed in: backend, listen)");
    return;
  }
  if (d.size() < 3 || (d[1] != "if" && d[1] != "unless")) {
    rep.error(d.loc, kw, "requires 'if' or 'unless' followed by a condition");
    return;
  }
  PersistRule r;
  r.loc = d.loc;
  r.force = kw == "force-persist";
  if (!parse_condition_at(d, 1, s, expr::kUseConn | expr::kUseReq | expr::kUseL6Req, kw, &r.cond,
                          rep))
    return;
  s.proxy.persist_rules.push_back(std::move(r));
}

}  // namespace hearth::config::detail
