// "option httpchk", "no option httpchk" and "http-check send|expect": how a
// backend checks its servers over HTTP.
#include <regex.h>

#include <string_view>

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

// The first http-check line of a section drops the rules a defaults section
// gave, as HAProxy does.
void own_rules(const Directive& d, ProxySection& s) {
  if (s.own_http_check) return;
  HttpCheckConfig& hc = s.proxy.http_check;
  hc.headers.clear();
  hc.body.clear();
  hc.expect = HttpCheckConfig::ExpectKind::kNone;
  hc.expect_negate = false;
  hc.expect_pattern.clear();
  hc.expect_ranges.clear();
  hc.rules_loc = d.loc;
  s.own_http_check = true;
  s.own_http_check_send = false;
}

void parse_send(const Directive& d, ProxySection& s, Reporter& rep) {
  const std::string kw = "http-check send";
  if (s.own_http_check && s.own_http_check_send) {
    rep.error(d.loc, kw, "only one 'http-check send' per section is supported by Hearth yet");
    return;
  }
  // Parts not given keep what option httpchk (or the built-in request) says.
  const HttpCheckConfig& cur = s.proxy.http_check;
  std::string method = cur.method, uri = cur.uri, version = cur.version, body;
  std::vector<std::pair<std::string, std::string>> headers;
  for (size_t i = 2; i < d.size(); ++i) {
    const std::string& o = d[i];
    const bool is_hdr = o == "hdr";
    const bool known = o == "meth" || o == "uri" || o == "ver" || o == "body" || is_hdr;
    if (known && i + (is_hdr ? 2 : 1) >= d.size()) {
      rep.error(d.loc, kw, "'" + o + "' expects " + (is_hdr ? "a name and a value" : "a value"));
      return;
    }
    if (o == "meth") {
      method = d[++i];
    } else if (o == "uri") {
      uri = d[++i];
    } else if (o == "ver") {
      version = d[++i];
    } else if (o == "body") {
      body = d[++i];
    } else if (is_hdr) {
      const std::string& name = d[i + 1];
      const std::string& value = d[i + 2];
      i += 2;
      if (!is_token(name) || !is_field_value(value)) {
        rep.error(d.loc, kw,
                  "invalid header '" + name +
                      "': expects a token name and a value "
                      "without CR or LF");
        return;
      }
      headers.emplace_back(name, value);
    } else if (o == "uri-lf" || o == "body-lf" || o == "comment") {
      rep.error(d.loc, kw, "'" + o + "' is not supported by Hearth yet");
      return;
    } else {
      rep.error(d.loc, kw, "unknown argument '" + o + "': expects meth, uri, ver, hdr or body");
      return;
    }
  }
  if (!check_request_line(d, kw, method, uri, version, rep)) return;
  own_rules(d, s);
  s.own_http_check_send = true;
  HttpCheckConfig& hc = s.proxy.http_check;
  hc.method = method;
  hc.uri = uri;
  hc.version = version;
  hc.raw_header_lines.clear();
  hc.headers = std::move(headers);
  hc.body = std::move(body);
}

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

void parse_expect(const Directive& d, ProxySection& s, Reporter& rep) {
  const std::string kw = "http-check expect";
  const std::string usage = "http-check expect [!] status CODES|rstatus REGEX";
  size_t i = 2;
  const bool negate = i < d.size() && d[i] == "!";
  if (negate) ++i;
  if (i < d.size() && d[i] != "status" && d[i] != "rstatus") {
    static const char* const kLater[] = {"string",       "rstring",     "hdr",        "fhdr",
                                         "custom",       "min-recv",    "comment",    "ok-status",
                                         "error-status", "tout-status", "on-success", "on-error",
                                         "status-code"};
    for (const char* later : kLater) {
      if (d[i] == later) {
        rep.error(d.loc, kw,
                  "'" + d[i] + "' is not supported by Hearth yet: expects '" + usage + "'");
        return;
      }
    }
    rep.error(d.loc, kw, "unknown match '" + d[i] + "': expects '" + usage + "'");
    return;
  }
  if (!check_arity(d, kw, i + 2, i + 2, usage, rep)) return;
  if (s.own_http_check && s.proxy.http_check.expect != HttpCheckConfig::ExpectKind::kNone) {
    rep.error(d.loc, kw, "only one 'http-check expect' per section is supported by Hearth yet");
    return;
  }
  const std::string& pattern = d[i + 1];
  std::vector<std::pair<int, int>> ranges;
  if (d[i] == "status" && !parse_status_ranges(pattern, &ranges)) {
    rep.error(d.loc, kw,
              "invalid status list '" + pattern +
                  "': expects codes or ranges between 100 and 999, such as 200 or "
                  "200-299,304");
    return;
  }
  if (d[i] == "rstatus") {
    regex_t re;
    if (regcomp(&re, pattern.c_str(), REG_EXTENDED | REG_NOSUB) != 0) {
      rep.error(d.loc, kw, "invalid regular expression '" + pattern + "'");
      return;
    }
    regfree(&re);
  }
  own_rules(d, s);
  HttpCheckConfig& hc = s.proxy.http_check;
  hc.expect = d[i] == "status" ? HttpCheckConfig::ExpectKind::kStatus
                               : HttpCheckConfig::ExpectKind::kRStatus;
  hc.expect_negate = negate;
  hc.expect_pattern = pattern;
  hc.expect_ranges = std::move(ranges);
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
  HttpCheckConfig& hc = s.proxy.http_check;
  if (negated) {
    hc.enabled = false;
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
  hc.enabled = true;
  hc.loc = d.loc;
  hc.method = method;
  hc.uri = uri;
  hc.version = version;
  hc.raw_header_lines = raw_lines;
}

void parse_http_check(const Directive& d, ProxySection& s, Reporter& rep) {
  if (d.size() < 2) {
    rep.error(d.loc, "http-check", "missing action: expects send or expect");
    return;
  }
  const std::string& action = d[1];
  if (action == "send") return parse_send(d, s, rep);
  if (action == "expect") return parse_expect(d, s, rep);
  const std::string kw = "http-check " + action;
  for (const char* later :
       {"connect", "comment", "set-var", "unset-var", "disable-on-404", "send-state"}) {
    if (action == later) {
      rep.error(d.loc, kw, "Hearth does not support this http-check action yet");
      return;
    }
  }
  rep.error(d.loc, kw, "unknown action '" + action + "': expects send or expect");
}

}  // namespace hearth::config::detail
