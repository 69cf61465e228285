#pragma once
// Result structures of head parsing. Every string_view points into the buffer
// given to HeadParser; `headers` points into the parser's field array.
#include <cstdint>
#include <string_view>

#include "http/connection.h"
#include "http/headers.h"
#include "http/method.h"

namespace hearth::http {

// How the body of one message is delimited (RFC 9112 §6.3).
struct BodyFraming {
  enum class Kind : uint8_t {
    kNone,            // no body at all
    kContentLength,   // exactly `length` bytes (may be 0)
    kChunked,         // chunked framing, forwarded as-is
    kCloseDelimited,  // responses only: body ends when the server closes
    kTunnel,          // CONNECT 2xx or 101: bytes flow both ways until close
  };
  Kind kind = Kind::kNone;
  uint64_t length = 0;  // meaningful for kContentLength only

  static BodyFraming none() { return {Kind::kNone, 0}; }
  static BodyFraming content_length(uint64_t n) { return {Kind::kContentLength, n}; }
  static BodyFraming chunked() { return {Kind::kChunked, 0}; }
  static BodyFraming close_delimited() { return {Kind::kCloseDelimited, 0}; }
  static BodyFraming tunnel() { return {Kind::kTunnel, 0}; }
  bool operator==(const BodyFraming&) const = default;
};

enum class TargetForm : uint8_t { kOrigin, kAbsolute, kAuthority, kAsterisk };

// Facts about a message derived from its header fields.
struct MessageFlags {
  bool keep_alive = false;         // HTTP/1.1 without "close", or 1.0 with "keep-alive"
  bool expect_continue = false;    // HTTP/1.1 request with "Expect: 100-continue"
  bool upgrade = false;            // HTTP/1.1, Upgrade field and "Connection: upgrade"
  bool te_present = false;         // a TE field (not Transfer-Encoding) was present
  bool trailers_accepted = false;  // TE lists "trailers"
  bool has_content_length = false;
  bool transfer_encoding = false;  // a Transfer-Encoding field was present
  bool chunked = false;            // ... and its final coding is chunked
};

struct RequestHead {
  Method method = Method::kOther;
  std::string_view method_str;
  std::string_view target;  // the request-target exactly as received
  TargetForm target_form = TargetForm::kOrigin;
  std::string_view authority;  // absolute-form and authority-form only
  std::string_view path;       // origin-form: target; absolute-form: after the authority
  std::string_view host;       // Host field value, empty when absent
  int version_minor = 1;
  Headers headers;
  ConnectionTokens connection;
  MessageFlags flags;
  uint64_t content_length = 0;  // valid when flags.has_content_length
  BodyFraming framing;          // how to read this request's body
};

struct ResponseHead {
  int status = 0;
  std::string_view reason;
  int version_minor = 1;
  Headers headers;
  ConnectionTokens connection;
  MessageFlags flags;
  uint64_t content_length = 0;  // valid when flags.has_content_length
};

}  // namespace hearth::http
