// Errorfiles: a whole HTTP/1.x response read at load.
#include <algorithm>
#include <cctype>
#include <cstdio>

#include "config/error_reply.h"

namespace hearth::config {

namespace {

bool is_tchar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

// Takes the next line (LF or CRLF ended) off `*rest`. Returns: false if no
// line end is left.
bool next_line(std::string_view* rest, std::string_view* line) {
  const size_t lf = rest->find('\n');
  if (lf == std::string_view::npos) return false;
  *line = rest->substr(0, lf);
  if (!line->empty() && line->back() == '\r') line->remove_suffix(1);
  rest->remove_prefix(lf + 1);
  return true;
}

bool parse_status_line(std::string_view line, HttpReply* r) {
  if (line.size() < 12 || line.substr(0, 7) != "HTTP/1." || (line[7] != '0' && line[7] != '1') ||
      line[8] != ' ')
    return false;
  int code = 0;
  for (size_t i = 9; i < 12; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(line[i]))) return false;
    code = code * 10 + (line[i] - '0');
  }
  if (code < 100 || (line.size() > 12 && line[12] != ' ')) return false;
  r->status = code;
  r->reason = std::string(line.size() > 13 ? line.substr(13) : std::string_view());
  return true;
}

}  // namespace

std::shared_ptr<const HttpReply> parse_errorfile_text(std::string_view text, int status,
                                                      std::string* err) {
  auto r = std::make_shared<HttpReply>();
  r->whole = true;
  r->status = status;
  if (text.empty()) {
    r->empty = true;
    return r;
  }
  std::string_view rest = text, line;
  if (!next_line(&rest, &line) || !parse_status_line(line, r.get())) {
    *err = "unable to parse the status line: expects a whole HTTP/1.x response";
    return nullptr;
  }
  bool has_length = false;
  size_t length = 0;
  for (;;) {
    if (!next_line(&rest, &line)) {
      *err = "unable to parse headers: the response has no empty line after its header fields";
      return nullptr;
    }
    if (line.empty()) break;
    const size_t colon = line.find(':');
    const std::string_view name = line.substr(0, colon);
    if (colon == std::string_view::npos || name.empty() ||
        !std::all_of(name.begin(), name.end(), is_tchar)) {
      *err = "unable to parse headers: invalid field line '" + std::string(line) + "'";
      return nullptr;
    }
    const std::string_view value = trim(line.substr(colon + 1));
    std::string lname = lower(name);
    if (lname == "transfer-encoding") {
      *err = "a chunk-encoded payload is not supported";
      return nullptr;
    }
    if (lname == "connection") {
      if (lower(value).find("close") != std::string::npos) r->close = true;
      continue;
    }
    if (lname == "content-length") {
      unsigned long long n = 0;
      const bool digits =
          !value.empty() && value.size() <= 12 &&
          std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
      for (char c : value) n = digits ? n * 10 + unsigned(c - '0') : 0;
      if (!digits || (has_length && n != length)) {
        *err = "invalid content-length '" + std::string(value) + "'";
        return nullptr;
      }
      has_length = true;
      length = size_t(n);
    }
    r->fields.emplace_back(std::move(lname), std::string(value));
  }
  if (has_length && rest.size() != length) {
    *err = "payload size does not match the announced content-length (" +
           std::to_string(rest.size()) + " != " + std::to_string(length) + ")";
    return nullptr;
  }
  // Without a length the payload ends with the connection (as HAProxy).
  if (!has_length && !rest.empty()) r->close = true;
  r->body = std::string(rest);
  return r;
}

}  // namespace hearth::config
