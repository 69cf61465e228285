#pragma once
// Semantics of the header fields that decide framing, routing and connection
// handling. Fed each field of one head in order, then asked for a verdict.
#include <cstdint>
#include <string_view>

#include "http/connection.h"
#include "http/headers.h"
#include "http/message.h"
#include "http/parse_result.h"

namespace hearth::http {

class FieldAnalyzer {
 public:
  // Largest accepted Content-Length: it must fit a signed 64-bit offset.
  static constexpr uint64_t kMaxContentLength = INT64_MAX;

  // Requires: `connection` outlives the analyzer; Connection options are
  // added to it as they are seen.
  explicit FieldAnalyzer(ConnectionTokens* connection) : connection_(connection) {}

  // Inspects one field. Fails at once on an invalid or conflicting
  // Content-Length, a second Host or a bad Connection list; Transfer-Encoding
  // problems are only recorded, so finish_* can rank them.
  // Returns: ok or 400.
  HeadError on_field(const HeaderField& field);

  // Applies the request rules (RFC 9112 §3.2, §6, RFC 9110 §7.2) and fills
  // host, flags, content_length and framing of *head.
  // Requires: head->method, target_form, authority and version_minor are set.
  // Returns: ok, 400 or 501 (unknown transfer coding).
  HeadError finish_request(RequestHead* head);

  // Applies the response rules and fills flags and content_length of *head.
  // Requires: head->version_minor is set.
  // Returns: ok or 400 (the caller reports 502).
  HeadError finish_response(ResponseHead* head);

 private:
  HeadError on_content_length(std::string_view value);
  void on_transfer_encoding(std::string_view value);
  void on_te(std::string_view value);
  // Returns: the error, by priority, of the Transfer-Encoding fields seen.
  HeadError transfer_encoding_error(bool request, int version_minor) const;
  void fill_flags(int version_minor, MessageFlags* flags) const;

  ConnectionTokens* connection_;
  uint64_t content_length_ = 0;
  bool has_content_length_ = false;
  bool has_te_ = false;           // Transfer-Encoding present
  bool te_bad_syntax_ = false;    // empty element, parameters on chunked, ...
  bool te_unknown_ = false;       // a coding this proxy does not know
  bool te_last_chunked_ = false;  // the final coding so far is chunked
  int te_chunked_count_ = 0;
  int host_count_ = 0;
  std::string_view host_;
  bool expect_continue_ = false;
  bool upgrade_field_ = false;
  bool te_field_ = false;  // the TE field, not Transfer-Encoding
  bool trailers_accepted_ = false;
};

}  // namespace hearth::http
