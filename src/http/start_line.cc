#include "http/start_line.h"

#include "http/chars.h"
#include "http/headers.h"

namespace hearth::http {

namespace {

constexpr std::string_view kHttpPrefix = "HTTP/";

HeadError classify_origin_or_asterisk(RequestHead* out) {
  if (out->target.front() == '/') {
    out->target_form = TargetForm::kOrigin;
    out->path = out->target;
    return head_ok();
  }
  if (out->method != Method::kOptions) {
    return head_error(400, "asterisk-form target outside OPTIONS");
  }
  out->target_form = TargetForm::kAsterisk;
  return head_ok();
}

// Requires: target starts with "http://" or "https://" (any case).
HeadError classify_absolute(RequestHead* out, size_t scheme_len) {
  std::string_view rest = out->target.substr(scheme_len + 3);
  size_t end = 0;
  while (end < rest.size() && rest[end] != '/' && rest[end] != '?') ++end;
  out->authority = rest.substr(0, end);
  out->path = rest.substr(end);
  if (!valid_authority(out->authority, false)) {
    return head_error(400, "invalid authority in absolute-form target");
  }
  out->target_form = TargetForm::kAbsolute;
  return head_ok();
}

HeadError classify_target(RequestHead* out) {
  const std::string_view t = out->target;
  if (out->method == Method::kConnect) {
    if (!valid_authority(t, true)) return head_error(400, "CONNECT needs authority-form");
    out->target_form = TargetForm::kAuthority;
    out->authority = t;
    return head_ok();
  }
  if (t.front() == '/' || t == "*") return classify_origin_or_asterisk(out);
  if (t.size() > 7 && iequals(t.substr(0, 7), "http://")) return classify_absolute(out, 4);
  if (t.size() > 8 && iequals(t.substr(0, 8), "https://")) return classify_absolute(out, 5);
  return head_error(400, "invalid request target");
}

// Returns: true for a non-empty reg-name / IPv4 address, or an IP literal in
// brackets ("[::1]").
bool valid_host(std::string_view host) {
  if (host.empty()) return false;
  if (host.front() == '[') {
    if (host.size() < 3 || host.back() != ']') return false;
    host = host.substr(1, host.size() - 2);
    for (char c : host) {
      if (!is_hex(c) && c != ':' && c != '.' && c != 'v' && c != 'V') return false;
    }
    return true;
  }
  for (char c : host) {
    if (!is_host_char(c)) return false;
  }
  return true;
}

}  // namespace

bool valid_authority(std::string_view s, bool port_required) {
  // Fast path for the usual "host" or "host:port" with a reg-name or IPv4
  // host: neither ':' nor ']' is a host character, so the general rules
  // below reduce to these checks.
  size_t i = 0;
  while (i < s.size() && is_host_char(s[i])) ++i;
  if (i == s.size()) return !port_required && !s.empty();
  if (i > 0 && s[i] == ':') {
    size_t end = i + 1;
    while (end < s.size() && is_digit(s[end])) ++end;
    if (end == s.size()) return end - (i + 1) >= 1 && end - (i + 1) <= 5;
  }
  const size_t colon = s.rfind(':');
  // An IPv6 literal contains colons; the port colon must follow its ']'.
  const size_t bracket = s.rfind(']');
  const bool has_port =
      colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket);
  if (port_required && !has_port) return false;
  const std::string_view host = has_port ? s.substr(0, colon) : s;
  if (!valid_host(host)) return false;
  if (has_port) {
    const std::string_view port = s.substr(colon + 1);
    if (port.empty() || port.size() > 5) return false;
    for (char c : port) {
      if (!is_digit(c)) return false;
    }
  }
  return true;
}

HeadError parse_version(std::string_view text, int* minor) {
  if (text.size() != 8 || text.substr(0, 5) != kHttpPrefix || !is_digit(text[5]) ||
      text[6] != '.' || !is_digit(text[7])) {
    return head_error(400, "malformed HTTP version");
  }
  if (text[5] != '1' || text[7] > '1') return head_error(505, "unsupported HTTP version");
  *minor = text[7] - '0';
  return head_ok();
}

HeadError parse_request_line(std::string_view line, RequestHead* out) {
  // A valid line in one pass: a method of token characters and a target of
  // target characters, each ended by SP (which belongs to neither class).
  size_t sp1 = 0;
  while (sp1 < line.size() && is_tchar(line[sp1])) ++sp1;
  size_t sp2 = sp1 + 1;
  while (sp2 < line.size() && is_target_char(line[sp2])) ++sp2;
  if (sp1 > 0 && sp1 < line.size() && line[sp1] == ' ' && sp2 > sp1 + 1 && sp2 < line.size() &&
      line[sp2] == ' ') {
    out->method_str = line.substr(0, sp1);
    out->target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  } else {
    // Otherwise the checks one by one, for the error they give. The
    // method's bytes come first: the resumable parser judges them before
    // the line ends (head_parser.cc), and both must name the same error.
    for (const char& c : line) {
      if (c == ' ') break;
      if (!is_tchar(c)) return head_error(400, "invalid method", &c);
    }
    sp1 = line.find(' ');
    if (sp1 == std::string_view::npos) return head_error(400, "malformed request line");
    sp2 = line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos) return head_error(400, "malformed request line");
    out->method_str = line.substr(0, sp1);
    out->target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    if (out->method_str.empty()) return head_error(400, "empty method");
    if (out->target.empty()) return head_error(400, "empty request target");
    for (const char& c : out->target) {
      if (!is_target_char(c)) return head_error(400, "invalid character in request target", &c);
    }
  }
  HeadError err = parse_version(line.substr(sp2 + 1), &out->version_minor);
  if (!err.ok()) return err;
  out->method = parse_method(out->method_str);
  out->authority = {};
  out->path = {};
  return classify_target(out);
}

HeadError parse_status_line(std::string_view line, ResponseHead* out) {
  if (line.size() < 12 || line[8] != ' ') return head_error(400, "malformed status line");
  HeadError err = parse_version(line.substr(0, 8), &out->version_minor);
  if (!err.ok()) return head_error(400, err.reason);
  if (!is_digit(line[9]) || !is_digit(line[10]) || !is_digit(line[11])) {
    return head_error(400, "malformed status code");
  }
  out->status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
  if (out->status < 100 || out->status > 599) return head_error(400, "status code out of range");
  out->reason = {};
  if (line.size() == 12) return head_ok();
  if (line[12] != ' ') return head_error(400, "malformed status line");
  out->reason = line.substr(13);
  for (const char& c : out->reason) {
    if (!is_field_char(c)) return head_error(400, "invalid character in reason phrase", &c);
  }
  return head_ok();
}

}  // namespace hearth::http
