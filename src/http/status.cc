#include "http/status.h"

#include <charconv>
#include <cstring>

namespace hearth::http {

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 101:
      return "Switching Protocols";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 407:
      return "Proxy Authentication Required";
    case 408:
      return "Request Timeout";
    case 410:
      return "Gone";
    case 411:
      return "Length Required";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 417:
      return "Expectation Failed";
    case 421:
      return "Misdirected Request";
    case 425:
      return "Too Early";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Unknown";
  }
}

std::string_view rule_reason(int status) {
  // Observed from haproxy 2.6 (http-request return, set-status).
  struct Entry {
    int status;
    const char* reason;
  };
  static constexpr Entry kTable[] = {
      {100, "Continue"},
      {101, "Switching Protocols"},
      {102, "Processing"},
      {200, "OK"},
      {201, "Created"},
      {202, "Accepted"},
      {203, "Non-Authoritative Information"},
      {204, "No Content"},
      {205, "Reset Content"},
      {206, "Partial Content"},
      {207, "Multi-Status"},
      {226, "IM Used"},
      {300, "Multiple Choices"},
      {301, "Moved Permanently"},
      {302, "Moved Temporarily"},
      {303, "See Other"},
      {304, "Not Modified"},
      {305, "Use Proxy"},
      {307, "Temporary Redirect"},
      {308, "Permanent Redirect"},
      {400, "Bad Request"},
      {401, "Unauthorized"},
      {402, "Payment Required"},
      {403, "Forbidden"},
      {404, "Not Found"},
      {405, "Method Not Allowed"},
      {406, "Not Acceptable"},
      {407, "Proxy Authentication Required"},
      {408, "Request Time-out"},
      {409, "Conflict"},
      {410, "Gone"},
      {411, "Length Required"},
      {412, "Precondition Failed"},
      {413, "Request Entity Too Large"},
      {414, "Request-URI Too Long"},
      {415, "Unsupported Media Type"},
      {416, "Requested range unsatisfiable"},
      {417, "Expectation failed"},
      {418, "I'm a teapot"},
      {421, "Misdirected Request"},
      {422, "Unprocessable Content"},
      {423, "Locked"},
      {424, "Method failure"},
      {425, "Too Early"},
      {426, "Upgrade Required"},
      {428, "Precondition Required"},
      {429, "Too Many Requests"},
      {431, "Request Header Fields Too Large"},
      {451, "Unavailable For Legal Reasons"},
      {499, "client has closed connection"},
      {500, "Internal Server Error"},
      {501, "Not Implemented"},
      {502, "Bad Gateway or Proxy Error"},
      {503, "Service Unavailable"},
      {504, "Gateway Time-out"},
      {505, "HTTP Version not supported"},
      {506, "Variant also negotiate"},
      {507, "Insufficient storage"},
      {508, "Loop detected"},
      {509, "Bandwidth Limit Exceeded"},
      {510, "Not extended"},
      {511, "Network authentication required"},
  };
  for (const Entry& e : kTable)
    if (e.status == status) return e.reason;
  switch (status / 100) {
    case 1:
      return "Informational";
    case 2:
      return "Success";
    case 3:
      return "Redirection";
    case 4:
      return "Client Error";
    case 5:
      return "Server Error";
    default:
      return "Other";
  }
}

namespace {

// Appends to a bounded output; remembers overflow instead of failing early so
// the caller checks once at the end.
class Writer {
 public:
  Writer(char* out, size_t capacity) : out_(out), capacity_(capacity) {}
  void put(std::string_view s) {
    if (overflow_ || capacity_ - len_ < s.size()) {
      overflow_ = true;
      return;
    }
    if (!s.empty()) std::memcpy(out_ + len_, s.data(), s.size());
    len_ += s.size();
  }
  void put_number(size_t v) {
    char digits[24];
    auto res = std::to_chars(digits, digits + sizeof(digits), v);
    put(std::string_view(digits, static_cast<size_t>(res.ptr - digits)));
  }
  size_t result() const { return overflow_ ? 0 : len_; }

 private:
  char* out_;
  size_t capacity_;
  size_t len_ = 0;
  bool overflow_ = false;
};

}  // namespace

size_t write_error_response(int status, std::string_view body, char* out, size_t capacity) {
  const std::string_view reason = reason_phrase(status);
  const bool default_body = body.empty();
  Writer w(out, capacity);
  w.put("HTTP/1.1 ");
  w.put_number(static_cast<size_t>(status));
  w.put(" ");
  w.put(reason);
  w.put("\r\ncontent-length: ");
  w.put_number(default_body ? reason.size() + 1 : body.size());
  w.put("\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n");
  if (default_body) {
    w.put(reason);
    w.put("\n");
  } else {
    w.put(body);
  }
  return w.result();
}

}  // namespace hearth::http
