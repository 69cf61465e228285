// The "stats" keywords of proxy sections (HAProxy 2.6): the stats page. Every
// one of them enables the page, as in HAProxy. "stats admin" and "stats
// http-request" are not accepted in defaults sections.
#include "config/keywords.h"
#include "config/units.h"

namespace hearth::config::detail {
namespace {

const char kList[] =
    "enable, uri, realm, auth, refresh, hide-version, show-node, show-desc, show-legends, "
    "show-modules, scope, admin, http-request";

// "stats http-request allow|deny|auth [realm R] [if|unless COND]".
void parse_rule(const Directive& d, ProxySection& s, StatsPageConfig& st, Reporter& rep) {
  const std::string kw = "stats http-request";
  const char* usage = "stats http-request allow|deny|auth [realm REALM] [if|unless COND]";
  if (!check_arity(d, kw, 3, 256, usage, rep)) return;
  StatsRule r;
  if (d[2] == "allow") {
    r.action = StatsRule::Action::kAllow;
  } else if (d[2] == "deny") {
    r.action = StatsRule::Action::kDeny;
  } else if (d[2] == "auth") {
    r.action = StatsRule::Action::kAuth;
  } else {
    return rep.error(d.loc, kw, "unknown action '" + d[2] + "': expects allow, deny or auth");
  }
  size_t at = 3;
  if (r.action == StatsRule::Action::kAuth && d.size() > 4 && d[3] == "realm") {
    r.realm = d[4];
    at = 5;
  }
  if (d.size() > at && d[at] != "if" && d[at] != "unless")
    return rep.error(d.loc, kw, "unexpected '" + d[at] + "': '" + usage + "'");
  if (!parse_condition_at(d, at, s, expr::kUseConn | expr::kUseReq, kw, &r.cond, rep)) return;
  st.rules.push_back(std::move(r));
}

// "stats admin if|unless COND".
void parse_admin(const Directive& d, ProxySection& s, StatsPageConfig& st, Reporter& rep) {
  const std::string kw = "stats admin";
  if (d.size() < 4 || (d[2] != "if" && d[2] != "unless"))
    return rep.error(d.loc, kw, "expects 'stats admin if|unless COND'");
  std::shared_ptr<const expr::Condition> cond;
  if (!parse_condition_at(d, 2, s, expr::kUseConn | expr::kUseReq, kw, &cond, rep)) return;
  st.admin.push_back(std::move(cond));
}

// "stats auth USER:PASS". Returns: "" or why it is refused.
std::string parse_auth(const std::string& word, StatsPageConfig& st) {
  const size_t colon = word.find(':');
  if (colon == std::string::npos || colon == 0) return "expects USER:PASSWORD, got '" + word + "'";
  st.users.emplace_back(word.substr(0, colon), word.substr(colon + 1));
  return "";
}

// The keywords that take one word, or none. Returns: "" or why it is refused;
// "?" if `sub` is none of them.
std::string parse_simple(const Directive& d, const std::string& sub, StatsPageConfig& st) {
  const size_t n = d.size();
  auto one_word = [&](const char* what) -> std::string {
    return n == 3 ? "" : std::string("expects ") + what;
  };
  if (sub == "enable" || sub == "hide-version" || sub == "show-legends" || sub == "show-modules") {
    if (n != 2) return "takes no argument";
    st.hide_version |= sub == "hide-version";
    st.show_legends |= sub == "show-legends";
    st.show_modules |= sub == "show-modules";
    return "";
  }
  if (sub == "uri" || sub == "realm" || sub == "auth" || sub == "scope") {
    if (std::string why = one_word(sub == "auth" ? "USER:PASSWORD" : "one word"); !why.empty())
      return why;
    if (sub == "uri") st.uri = d[2];
    if (sub == "realm") st.realm = d[2];
    if (sub == "scope") st.scope.push_back(d[2]);
    return sub == "auth" ? parse_auth(d[2], st) : "";
  }
  if (sub == "refresh") {
    if (std::string why = one_word("a delay such as 10s"); !why.empty()) return why;
    const auto ms = parse_duration_ms(d[2]);
    if (!ms) return "expects a delay such as 10s, got '" + d[2] + "'";
    st.refresh_ms = *ms;
    return "";
  }
  if (sub == "show-node" || sub == "show-desc") {
    std::string text;  // show-desc takes the rest of the line, as HAProxy
    for (size_t i = 2; i < n; ++i) text += (i > 2 ? " " : "") + d[i];
    if (sub == "show-node" && n > 3) return "expects at most one name";
    (sub == "show-node" ? st.show_node : st.show_desc) = true;
    (sub == "show-node" ? st.node : st.desc) = text;
    return "";
  }
  return "?";
}

}  // namespace

void parse_proxy_stats(const Directive& d, ProxySection& s, Reporter& rep) {
  const std::string sub = d.size() < 2 ? "" : d[1];
  const std::string kw = sub.empty() ? "stats" : "stats " + sub;
  StatsPageConfig& st = s.proxy.stats;
  const bool defaults = s.proxy.kind == ProxyKind::kDefaults;
  if ((sub == "admin" || sub == "http-request") && defaults)
    return rep.error(d.loc, kw, "is not allowed in a defaults section (frontend, listen, backend)");
  std::string why;
  if (sub == "admin") {
    parse_admin(d, s, st, rep);
  } else if (sub == "http-request") {
    parse_rule(d, s, st, rep);
  } else {
    why = parse_simple(d, sub, st);
    if (why == "?")
      why = sub == "socket" || sub == "timeout" || sub == "maxconn" || sub == "bind-process"
                ? "belongs to the global section"
                : std::string("unknown keyword; supported here: stats ") + kList;
    if (!why.empty()) return rep.error(d.loc, kw, why);
  }
  if (!st.enabled) {
    st.enabled = true;
    st.file = d.loc.file;
    st.line = d.loc.line;
  }
}

}  // namespace hearth::config::detail
