#include "backend/check_http.h"

#include <cstdlib>

#include "http/head_parser.h"
#include "http/headers.h"
#include "http/start_line.h"

namespace hearth::backend {

std::string build_check_request(std::string_view method, std::string_view uri,
                                std::string_view version, std::string_view raw_lines,
                                const std::vector<std::pair<std::string, std::string>>& headers,
                                std::string_view body) {
  std::string out;
  out.append(method).append(" ").append(uri).append(" ").append(version).append("\r\n");
  out.append(raw_lines);
  bool has_connection = false;
  for (std::string_view rest = raw_lines; !rest.empty();) {
    const size_t eol = rest.find('\n');
    const std::string_view line = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
    has_connection = has_connection || http::iequals(line.substr(0, line.find(':')), "connection");
  }
  for (const auto& [name, value] : headers) {
    out.append(name).append(": ").append(value).append("\r\n");
    has_connection = has_connection || http::iequals(name, "connection");
  }
  if (!body.empty())
    out.append("content-length: ").append(std::to_string(body.size())).append("\r\n");
  if (version == "HTTP/1.1" && !has_connection) out.append("connection: close\r\n");
  out.append("\r\n");
  out.append(body);
  return out;
}

std::string render_check_request(const config::CheckSend& s, expr::FetchContext& ctx,
                                 const std::string& state_header) {
  std::string uri = s.uri_fmt ? std::string(s.uri_fmt->eval(ctx)) : s.uri;
  // (push_back: GCC 12's -O2 -Wrestrict misreads assigning a literal here.)
  if (s.uri_fmt && uri.empty()) uri.push_back('/');
  std::vector<std::pair<std::string, std::string>> headers;
  for (const auto& [name, fmt] : s.headers) {
    std::string v(fmt->eval(ctx));
    if (v.empty()) continue;  // as HAProxy: a field whose value is empty is left out
    headers.emplace_back(name, std::move(v));
  }
  if (!state_header.empty()) headers.emplace_back("X-Haproxy-Server-State", state_header);
  const std::string body = s.body_fmt ? std::string(s.body_fmt->eval(ctx)) : s.body;
  return build_check_request(s.method, uri, s.version, s.raw_header_lines, headers, body);
}

namespace {

std::string_view trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r'))
    v.remove_suffix(1);
  return v;
}

// De-chunks `in`. Returns: true once the last chunk was seen.
bool dechunk(std::string_view in, std::string* out) {
  for (;;) {
    const size_t eol = in.find('\n');
    if (eol == std::string_view::npos) return false;
    const std::string size_text(trim(in.substr(0, eol)));
    char* end = nullptr;
    const unsigned long n = std::strtoul(size_text.c_str(), &end, 16);
    if (end == size_text.c_str()) return false;
    in.remove_prefix(eol + 1);
    if (n == 0) return true;
    if (in.size() < n) {
      out->append(in);
      return false;
    }
    out->append(in.substr(0, n));
    in.remove_prefix(n);
    const size_t crlf = in.find('\n');
    if (crlf == std::string_view::npos) return false;
    in.remove_prefix(crlf + 1);
  }
}

}  // namespace

CheckResponse parse_check_response(std::string_view data, bool eof) {
  CheckResponse r;
  for (;;) {
    const size_t eol = data.find('\n');
    if (eol == std::string_view::npos) {
      if (eof) r.state = CheckResponse::State::kInvalid;
      return r;
    }
    std::string_view line = data.substr(0, eol);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    http::ResponseHead head;
    if (!http::parse_status_line(line, &head).ok()) {
      r.state = CheckResponse::State::kInvalid;
      return r;
    }
    const size_t end = http::find_head_end(data, eol);
    if (end == std::string_view::npos) {
      if (eof) r.state = CheckResponse::State::kInvalid;
      return r;
    }
    if (head.status < 200 && head.status != 101) {  // interim: skip its head
      data.remove_prefix(end);
      continue;
    }
    r.status = head.status;
    const size_t sp1 = line.find(' ');
    const size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 != std::string_view::npos) r.reason = line.substr(sp2 + 1);
    int64_t length = -1;
    bool chunked = false;
    for (std::string_view rest = data.substr(eol + 1, end - eol - 1); !rest.empty();) {
      const size_t e = rest.find('\n');
      std::string_view l = rest.substr(0, e);
      rest = e == std::string_view::npos ? std::string_view() : rest.substr(e + 1);
      const size_t colon = l.find(':');
      if (colon == std::string_view::npos) continue;
      const std::string_view name = trim(l.substr(0, colon));
      const std::string_view value = trim(l.substr(colon + 1));
      r.fields.emplace_back(name, value);
      if (http::iequals(name, "content-length"))
        length = std::strtoll(std::string(value).c_str(), nullptr, 10);
      if (http::iequals(name, "transfer-encoding") &&
          value.find("chunked") != std::string_view::npos)
        chunked = true;
    }
    const std::string_view body = data.substr(end);
    const bool bodyless = r.status == 204 || r.status == 304;
    bool complete = eof || bodyless;
    if (bodyless) {
      // no body, whatever the fields say
    } else if (chunked) {
      complete = dechunk(body, &r.body) || eof;
    } else if (length >= 0) {
      r.body = std::string(body.substr(0, size_t(length)));
      complete = complete || body.size() >= size_t(length);
    } else {
      r.body = std::string(body);
    }
    r.state = complete ? CheckResponse::State::kComplete : CheckResponse::State::kHead;
    return r;
  }
}

}  // namespace hearth::backend
