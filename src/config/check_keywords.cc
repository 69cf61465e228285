// "option httpchk", "no option httpchk" and "http-check connect|send|expect|
// comment|set-var|unset-var|disable-on-404|send-state": how a backend checks
// its servers over HTTP, as a list of check rules (HAProxy builds http-check
// on tcp-check).
#include <string_view>

#include "config/check_rule_parser.h"
#include "config/keywords.h"
#include "config/units.h"

namespace hearth::config::detail {
namespace {

// RFC 9110 tchar: the characters of a method or a field name.
bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos)
      return false;
  }
  return true;
}

// Returns: true if `s` holds no control byte and no blank (a request-target).
bool is_target(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return false;
  return true;
}

// Returns: true if `s` holds no CR, LF or NUL (a field value).
bool is_field_value(std::string_view s) {
  return s.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

bool is_version(std::string_view v) {
  return v.size() == 8 && v.substr(0, 5) == "HTTP/" && v[5] >= '0' && v[5] <= '9' && v[6] == '.' &&
         v[7] >= '0' && v[7] <= '9';
}

// Checks a method, target and version; reports under `kw`. Returns: false on error.
bool check_request_line(const Directive& d, const std::string& kw, const std::string& method,
                        const std::string& uri, const std::string& version, Reporter& rep) {
  if (!is_token(method)) {
    rep.error(d.loc, kw, "invalid method '" + method + "': expects a token such as GET or HEAD");
    return false;
  }
  if (!is_target(uri)) {
    rep.error(d.loc, kw,
              "invalid URI '" + uri + "': expects a target without blanks, such as /health");
    return false;
  }
  if (!is_version(version)) {
    rep.error(d.loc, kw, "invalid version '" + version + "': expects HTTP/1.0 or HTTP/1.1");
    return false;
  }
  return true;
}

// The old form "VERSION\r\nName: value\r\n...": splits off the header lines.
// Returns: false after reporting a malformed line.
bool split_version(const Directive& d, const std::string& kw, std::string* version,
                   std::string* raw_lines, Reporter& rep) {
  const size_t crlf = version->find("\r\n");
  if (crlf == std::string::npos) return true;
  std::string rest = version->substr(crlf + 2);
  version->resize(crlf);
  raw_lines->clear();
  size_t start = 0;
  while (start < rest.size()) {
    size_t end = rest.find("\r\n", start);
    if (end == std::string::npos) end = rest.size();
    const std::string line = rest.substr(start, end - start);
    const size_t colon = line.find(':');
    if (!line.empty()) {
      if (colon == std::string::npos || !is_token(line.substr(0, colon)) || !is_field_value(line)) {
        rep.error(d.loc, kw,
                  "invalid header line '" + line +
                      "' after the version: expects "
                      "'Name: value' lines separated by \\r\\n");
        return false;
      }
      *raw_lines += line + "\r\n";
    }
    start = end + 2;
  }
  return true;
}

using Kind = CheckExpect::Kind;

// Parses "CODE[-CODE][,...]". Returns: false if malformed.
bool parse_status_ranges(const std::string& text, std::vector<std::pair<int, int>>* out) {
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    const std::string item = text.substr(start, comma - start);
    const size_t dash = item.find('-');
    auto lo = parse_int(item.substr(0, dash));
    auto hi = dash == std::string::npos ? lo : parse_int(item.substr(dash + 1));
    if (!lo || !hi || *lo < 100 || *hi > 999 || *lo > *hi) return false;
    out->emplace_back(static_cast<int>(*lo), static_cast<int>(*hi));
    start = comma + 1;
  }
  return !out->empty();
}

bool is_real(const CheckRule& r) {
  return r.action != CheckRule::Action::kComment && r.action != CheckRule::Action::kSetVar &&
         r.action != CheckRule::Action::kUnsetVar;
}

// Returns: the index of the first rule that is not a comment or a variable
// action, or -1.
int first_real(const CheckConfig& c) {
  for (size_t i = 0; i < c.rules.size(); ++i)
    if (is_real(c.rules[i])) return int(i);
  return -1;
}

// As HAProxy: a send needs a connect (or nothing) before it, an expect a
// send or an expect, a connect an expect; option httpchk's request does not
// count. Returns: false after reporting.
bool check_order(const Directive& d, const std::string& kw, const CheckConfig& c,
                 CheckRule::Action a, Reporter& rep) {
  const CheckRule* last = nullptr;
  for (const CheckRule& r : c.rules)
    if (is_real(r)) last = &r;
  if (!last || (last->action == CheckRule::Action::kSend && last->send.from_option)) return true;
  const std::string step = std::to_string(c.rules.size() + 1);
  if (a == CheckRule::Action::kSend && last->action != CheckRule::Action::kConnect) {
    rep.error(d.loc, kw,
              "unable to add http-check send rule at step " + step + " (missing connect rule)");
    return false;
  }
  if (a == CheckRule::Action::kExpect && last->action != CheckRule::Action::kSend &&
      last->action != CheckRule::Action::kExpect) {
    rep.error(d.loc, kw,
              "unable to add http-check expect rule at step " + step + " (missing send rule)");
    return false;
  }
  if (a == CheckRule::Action::kConnect && last->action != CheckRule::Action::kExpect) {
    rep.error(d.loc, kw,
              "unable to add http-check connect rule at step " + step + " (missing expect rule)");
    return false;
  }
  return true;
}

void parse_send(const Directive& d, ProxySection& s, Reporter& rep) {
  const std::string kw = "http-check send";
  CheckRule rule;
  rule.action = CheckRule::Action::kSend;
  CheckSend& snd = rule.send;
  snd.kind = CheckSend::Kind::kHttp;
  bool has_meth = false, has_uri = false, has_ver = false, has_body = false, has_hdrs = false;
  for (size_t i = 2; i < d.size(); ++i) {
    const std::string& o = d[i];
    const bool is_hdr = o == "hdr";
    const bool known = o == "meth" || o == "uri" || o == "uri-lf" || o == "ver" || o == "body" ||
                       o == "body-lf" || o == "comment" || is_hdr;
    if (!known) {
      rep.error(d.loc, kw,
                "unknown argument '" + o +
                    "': expects meth, uri, uri-lf, ver, hdr, body, body-lf or comment");
      return;
    }
    if (i + (is_hdr ? 2 : 1) >= d.size()) {
      rep.error(d.loc, kw, "'" + o + "' expects " + (is_hdr ? "a name and a value" : "a value"));
      return;
    }
    if (o == "meth") {
      snd.method = d[++i];
      has_meth = true;
    } else if (o == "uri") {
      snd.uri = d[++i];
      has_uri = true;
    } else if (o == "uri-lf") {
      snd.uri_fmt = parse_check_format(d, kw, d[++i], rep);
      if (!snd.uri_fmt) return;
      has_uri = true;
    } else if (o == "ver") {
      snd.version = d[++i];
      has_ver = true;
    } else if (o == "body") {
      snd.body = d[++i];
      has_body = true;
    } else if (o == "body-lf") {
      snd.body_fmt = parse_check_format(d, kw, d[++i], rep);
      if (!snd.body_fmt) return;
      has_body = true;
    } else if (o == "comment") {
      rule.comment = d[++i];
    } else {
      const std::string& name = d[i + 1];
      const std::string& value = d[i + 2];
      i += 2;
      if (!is_token(name) || !is_field_value(value)) {
        rep.error(
            d.loc, kw,
            "invalid header '" + name + "': expects a token name and a value without CR or LF");
        return;
      }
      auto f = parse_check_format(d, kw, value, rep);
      if (!f) return;
      snd.headers.emplace_back(name, std::move(f));
      has_hdrs = true;
    }
  }
  if (!check_request_line(d, kw, snd.method, snd.uri_fmt ? "/" : snd.uri, snd.version, rep)) return;
  CheckConfig& c = s.proxy.check;
  if (!own_check_rules(d, kw, CheckConfig::RulesKind::kHttp, c, rep)) return;
  if (!check_order(d, kw, c, CheckRule::Action::kSend, rep)) return;
  // The first http-check send of a section completes the request option
  // httpchk gave (what it names replaces the option's), and takes its place
  // in the order written.
  const int first = first_real(c);
  if (first >= 0 && c.rules[size_t(first)].action == CheckRule::Action::kSend &&
      c.rules[size_t(first)].send.from_option) {
    CheckRule merged = std::move(c.rules[size_t(first)]);
    c.rules.erase(c.rules.begin() + first);
    CheckSend* o = &merged.send;
    if (has_meth) o->method = snd.method;
    if (has_uri) {
      o->uri = snd.uri;
      o->uri_fmt = snd.uri_fmt;
    }
    if (has_ver) o->version = snd.version;
    if (has_hdrs) {
      o->raw_header_lines.clear();
      o->headers = std::move(snd.headers);
    }
    if (has_body) {
      o->body = snd.body;
      o->body_fmt = snd.body_fmt;
    }
    o->from_option = false;
    merged.comment = rule.comment;
    c.rules.push_back(std::move(merged));
    return;
  }
  c.rules.push_back(std::move(rule));
}

// Parses "[-m METH] PATTERN" (or the -lf form) at d[*i] for hdr/fhdr.
bool parse_hdr_match(const Directive& d, size_t* i, const std::string& kw, bool lf, bool name,
                     CheckHdrMatch* m, Reporter& rep) {
  if (*i < d.size() && d[*i] == "-m") {
    if (*i + 1 >= d.size()) {
      rep.error(d.loc, kw, "'-m' expects str, beg, end, sub or reg");
      return false;
    }
    static const std::pair<const char*, CheckHdrMatch::Method> kMethods[] = {
        {"str", CheckHdrMatch::Method::kStr},
        {"beg", CheckHdrMatch::Method::kBeg},
        {"end", CheckHdrMatch::Method::kEnd},
        {"sub", CheckHdrMatch::Method::kSub},
        {"reg", CheckHdrMatch::Method::kReg}};
    bool found = false;
    for (const auto& [name, meth] : kMethods) {
      if (d[*i + 1] == name) {
        m->method = meth;
        found = true;
      }
    }
    if (!found) {
      rep.error(d.loc, kw,
                "invalid match method '" + d[*i + 1] + "': expects str, beg, end, sub or reg");
      return false;
    }
    *i += 2;
  }
  if (*i >= d.size()) {
    rep.error(d.loc, kw, "missing pattern");
    return false;
  }
  m->text = d[(*i)++];
  if (lf && m->method == CheckHdrMatch::Method::kReg) {
    rep.error(d.loc, kw, "a log-format pattern cannot be matched with '-m reg'");
    return false;
  }
  if (lf) {
    m->fmt = parse_check_format(d, kw, m->text, rep);
    return m->fmt != nullptr;
  }
  if (m->method == CheckHdrMatch::Method::kReg) {
    // Field names are matched in any case, values as they are.
    std::string err;
    m->regex = expr::Regex::compile(m->text, &err, name);
    if (!m->regex) rep.error(d.loc, kw, "invalid regular expression '" + m->text + "': " + err);
    return m->regex != nullptr;
  }
  return true;
}

// "hdr|fhdr name[-lf] [-m METH] NAME [value[-lf] [-m METH] VALUE]" from d[*i].
bool parse_hdr_expect(const Directive& d, size_t* i, const std::string& kw, CheckExpect* e,
                      Reporter& rep) {
  if (*i >= d.size() || (d[*i] != "name" && d[*i] != "name-lf")) {
    rep.error(d.loc, kw,
              "'" + e->pattern + "' expects 'name [-m METH] NAME [value [-m METH] VALUE]'");
    return false;
  }
  const bool name_lf = d[(*i)++] == "name-lf";
  if (!parse_hdr_match(d, i, kw, name_lf, true, &e->name, rep)) return false;
  if (*i < d.size() && (d[*i] == "value" || d[*i] == "value-lf")) {
    const bool value_lf = d[(*i)++] == "value-lf";
    e->value.emplace();
    if (!parse_hdr_match(d, i, kw, value_lf, false, &*e->value, rep)) return false;
  }
  return true;
}

void parse_expect(const Directive& d, ProxySection& s, Reporter& rep) {
  const std::string kw = "http-check expect";
  const std::string usage =
      "http-check expect [min-recv N] [comment C] [ok-status S] [error-status S] "
      "[tout-status S] [on-success FMT] [on-error FMT] [status-code EXPR] [!] "
      "status|rstatus|string|rstring|hdr|fhdr PATTERN";
  CheckRule rule;
  rule.action = CheckRule::Action::kExpect;
  CheckExpect& e = rule.expect;
  bool have_match = false;
  for (size_t i = 2; i < d.size();) {
    const int opt = parse_expect_option(d, &i, kw, &rule, rep);
    if (opt < 0) return;
    if (opt > 0) continue;
    const std::string& m = d[i];
    if (m == "!") {
      e.negate = true;
      ++i;
      continue;
    }
    if (m.size() > 1 && m[0] == '!') {  // "!string": the negation written against the match
      Directive rest = d;
      rest.words[i] = m.substr(1);
      rest.words.insert(rest.words.begin() + std::ptrdiff_t(i), "!");
      return parse_expect(rest, s, rep);
    }
    if (have_match) {
      rep.error(d.loc, kw, "unexpected '" + m + "': expects '" + usage + "'");
      return;
    }
    if (m == "hdr" || m == "fhdr") {
      e.kind = m == "hdr" ? Kind::kHdr : Kind::kFhdr;
      e.pattern = m;
      ++i;
      if (!parse_hdr_expect(d, &i, kw, &e, rep)) return;
      have_match = true;
      continue;
    }
    static const std::pair<const char*, Kind> kMatches[] = {{"status", Kind::kStatus},
                                                            {"rstatus", Kind::kRStatus},
                                                            {"string", Kind::kString},
                                                            {"rstring", Kind::kRString}};
    bool found = false;
    for (const auto& [name, kind] : kMatches) {
      if (m == name) {
        e.kind = kind;
        found = true;
      }
    }
    if (!found) {
      rep.error(d.loc, kw,
                (m == "custom" ? "'custom' is not supported by Hearth: expects '"
                               : "unknown match '" + m + "': expects '") +
                    usage + "'");
      return;
    }
    if (i + 1 >= d.size()) {
      rep.error(d.loc, kw, "'" + m + "' expects a pattern");
      return;
    }
    e.pattern = d[i + 1];
    i += 2;
    have_match = true;
  }
  if (!have_match) {
    rep.error(d.loc, kw, "missing match: expects '" + usage + "'");
    return;
  }
  if (e.kind == Kind::kStatus && !parse_status_ranges(e.pattern, &e.ranges)) {
    rep.error(d.loc, kw,
              "invalid status list '" + e.pattern +
                  "': expects codes or ranges between 100 and 999, such as 200 or 200-299,304");
    return;
  }
  if (e.kind == Kind::kString) e.data = e.pattern;
  if (e.kind == Kind::kRStatus || e.kind == Kind::kRString) {
    e.regex = compile_check_regex(d, kw, e.pattern, rep);
    if (!e.regex) return;
  }
  CheckConfig& c = s.proxy.check;
  if (!own_check_rules(d, kw, CheckConfig::RulesKind::kHttp, c, rep)) return;
  if (!check_order(d, kw, c, CheckRule::Action::kExpect, rep)) return;
  c.rules.push_back(std::move(rule));
}

void parse_other(const Directive& d, ProxySection& s, Reporter& rep) {
  const std::string& a = d[1];
  const std::string verb = a.substr(0, a.find('('));
  const std::string kw = "http-check " + verb;
  CheckConfig& c = s.proxy.check;
  if (a == "disable-on-404" || a == "send-state") {
    if (d.size() != 2) {
      rep.error(d.loc, kw, "expects 'http-check " + a + "' alone");
      return;
    }
    if (a == "send-state") {
      c.send_state = true;
    } else {
      c.disable_on_404 = true;
      c.disable_on_404_line = d.loc.line;
      c.disable_on_404_file = d.loc.file;
    }
    return;
  }
  CheckRule rule;
  bool ok = false;
  if (a == "connect") {
    rule.action = CheckRule::Action::kConnect;
    ok = parse_check_connect(d, 2, kw, &rule, rep);
  } else if (a == "comment") {
    rule.action = CheckRule::Action::kComment;
    ok = d.size() == 3;
    if (ok)
      rule.comment = d[2];
    else
      rep.error(d.loc, kw, "expects 'http-check comment TEXT'");
  } else if (verb == "set-var" || verb == "set-var-fmt" || verb == "unset-var") {
    ok = parse_check_var(d, kw, &rule, rep);
  } else {
    rep.error(d.loc, kw,
              "unknown action '" + a +
                  "': expects connect, send, expect, comment, set-var, set-var-fmt, unset-var, "
                  "disable-on-404 or send-state");
    return;
  }
  if (!ok || !own_check_rules(d, kw, CheckConfig::RulesKind::kHttp, c, rep)) return;
  if (rule.action == CheckRule::Action::kConnect &&
      !check_order(d, kw, c, CheckRule::Action::kConnect, rep))
    return;
  c.rules.push_back(std::move(rule));
}

}  // namespace

void parse_option_httpchk(const Directive& d, ProxySection& s, Reporter& rep) {
  const bool negated = d[0] == "no";
  const std::string kw = negated ? "no option httpchk" : "option httpchk";
  const size_t first_arg = negated ? 3 : 2;
  const size_t nargs = d.size() - first_arg;
  if (negated ? nargs > 0 : nargs > 3) {
    rep.error(d.loc, kw,
              "unexpected argument '" + d[first_arg + (negated ? 0 : 3)] +
                  (negated ? "': expects 'no option httpchk'"
                           : "': expects 'option httpchk [[METHOD] URI [VERSION]]'"));
    return;
  }
  if (!check_section(d, kw, s.proxy.kind, kBackSide, Misplaced::kIgnore, rep)) return;
  CheckConfig& c = s.proxy.check;
  if (negated) {
    if (c.type == CheckType::kHttp) c.type = CheckType::kL4;
    return;
  }
  std::string method = "OPTIONS", uri = "/", version = "HTTP/1.0", raw_lines;
  if (nargs == 1) uri = d[first_arg];
  if (nargs >= 2) {
    method = d[first_arg];
    uri = d[first_arg + 1];
  }
  if (nargs == 3) version = d[first_arg + 2];
  if (!split_version(d, kw, &version, &raw_lines, rep)) return;
  if (!check_request_line(d, kw, method, uri, version, rep)) return;
  // As HAProxy: the option in a section drops the check rules its defaults
  // section gave, or rules of another kind.
  if (c.rules_inherited || c.rules_kind == CheckConfig::RulesKind::kTcp) {
    c.rules.clear();
    c.rules_kind = CheckConfig::RulesKind::kNone;
    c.rules_inherited = false;
    c.rules_line = 0;
  }
  c.type = CheckType::kHttp;
  c.rules_kind = CheckConfig::RulesKind::kHttp;
  CheckSend snd;
  snd.kind = CheckSend::Kind::kHttp;
  snd.method = method;
  snd.uri = uri;
  snd.version = version;
  snd.raw_header_lines = raw_lines;
  snd.from_option = true;
  // As HAProxy: the first rule after a leading connect decides. No request
  // there: the option's goes first; the option's own: it is replaced; one
  // written with http-check send: the option's method, URI and version win.
  int at = first_real(c);
  if (at >= 0 && c.rules[size_t(at)].action == CheckRule::Action::kConnect) {
    int next = -1;
    for (size_t i = size_t(at) + 1; i < c.rules.size() && next < 0; ++i)
      if (is_real(c.rules[i])) next = int(i);
    at = next;
  }
  if (at >= 0 && c.rules[size_t(at)].action == CheckRule::Action::kSend) {
    CheckSend& r = c.rules[size_t(at)].send;
    if (r.from_option) {
      r = std::move(snd);
      return;
    }
    r.method = method;
    r.uri = uri;
    r.uri_fmt = nullptr;
    r.version = version;
    r.raw_header_lines = raw_lines;
    return;
  }
  CheckRule rule;
  rule.action = CheckRule::Action::kSend;
  rule.send = std::move(snd);
  c.rules.insert(c.rules.begin(), std::move(rule));
}

void parse_http_check(const Directive& d, ProxySection& s, Reporter& rep) {
  if (d.size() < 2) {
    rep.error(d.loc, "http-check",
              "missing action: expects connect, send, expect, comment, set-var, unset-var, "
              "disable-on-404 or send-state");
    return;
  }
  const std::string& action = d[1];
  if (action == "send") return parse_send(d, s, rep);
  if (action == "expect") return parse_expect(d, s, rep);
  parse_other(d, s, rep);
}

}  // namespace hearth::config::detail
