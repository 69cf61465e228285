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
