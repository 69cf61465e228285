#include "http/field_analyzer.h"

#include "http/chars.h"
#include "http/start_line.h"

namespace hearth::http {

namespace {

// Returns: true if `value` is 1*DIGIT not above `max`; sets *out.
bool parse_decimal(std::string_view value, uint64_t max, uint64_t* out) {
  if (value.empty()) return false;
  uint64_t v = 0;
  for (char c : value) {
    if (!is_digit(c)) return false;
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (max - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

bool known_coding(std::string_view name) {
  return iequals(name, "gzip") || iequals(name, "x-gzip") || iequals(name, "deflate") ||
         iequals(name, "compress") || iequals(name, "x-compress");
}

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_tchar(c)) return false;
  }
  return true;
}

}  // namespace

HeadError FieldAnalyzer::on_field(const HeaderField& field) {
  const FieldName known = known_name(field);
  switch (known) {
    case FieldName::kTe:
      on_te(field.value);
      break;
    case FieldName::kHost:
      if (++host_count_ > 1) return head_error(400, "more than one Host");
      host_ = field.value;
      break;
    case FieldName::kExpect:
      if (iequals(field.value, "100-continue")) expect_continue_ = true;
      break;
    case FieldName::kUpgrade:
      upgrade_field_ = true;
      break;
    case FieldName::kConnection:
      if (!connection_->add_value(field.value)) return head_error(400, "invalid Connection field");
      break;
    case FieldName::kContentLength:
      return on_content_length(field.value);
    case FieldName::kTransferEncoding:
      on_transfer_encoding(field.value);
      break;
    default:
      break;
  }
  return head_ok();
}

// Lists ("5, 5") are refused outright rather than collapsed: the simplest
// policy that no downstream parser can read differently. Repeated field lines
// with the same value are accepted (RFC 9112 §6.3); differing ones are not.
HeadError FieldAnalyzer::on_content_length(std::string_view value) {
  uint64_t n = 0;
  if (!parse_decimal(value, kMaxContentLength, &n))
    return head_error(400, "invalid Content-Length");
  if (has_content_length_ && n != content_length_) {
    return head_error(400, "conflicting Content-Length");
  }
  has_content_length_ = true;
  content_length_ = n;
  return head_ok();
}

// Empty list elements are refused here, unlike in Connection: a coding list
// that two parsers might count differently is a smuggling vector.
void FieldAnalyzer::on_transfer_encoding(std::string_view value) {
  has_te_ = true;
  ListCursor cursor(value);
  std::string_view element;
  while (cursor.next(&element)) {
    const size_t semi = element.find(';');
    const std::string_view coding = trim_ows(element.substr(0, semi));
    if (!is_token(coding)) {
      te_bad_syntax_ = true;
      te_last_chunked_ = false;
      continue;
    }
    te_last_chunked_ = iequals(coding, "chunked");
    if (te_last_chunked_) {
      ++te_chunked_count_;
      if (semi != std::string_view::npos) te_bad_syntax_ = true;  // chunked has no parameters
    } else if (!known_coding(coding)) {
      te_unknown_ = true;
    }
  }
}

void FieldAnalyzer::on_te(std::string_view value) {
  te_field_ = true;
  ListCursor cursor(value);
  std::string_view element;
  while (cursor.next(&element)) {
    const std::string_view name = trim_ows(element.substr(0, element.find(';')));
    if (iequals(name, "trailers")) trailers_accepted_ = true;
  }
}

HeadError FieldAnalyzer::transfer_encoding_error(bool request, int version_minor) const {
  if (has_content_length_) return head_error(400, "both Content-Length and Transfer-Encoding");
  if (version_minor == 0) return head_error(400, "Transfer-Encoding in HTTP/1.0");
  if (te_bad_syntax_) return head_error(400, "malformed Transfer-Encoding");
  if (te_chunked_count_ > 1) return head_error(400, "chunked applied more than once");
  if (!request) return head_ok();  // a response without chunked last is close-delimited
  if (te_unknown_) return head_error(501, "unknown transfer coding");
  if (!te_last_chunked_) return head_error(400, "final transfer coding is not chunked");
  return head_ok();
}

void FieldAnalyzer::fill_flags(int version_minor, MessageFlags* flags) const {
  const bool v11 = version_minor >= 1;
  flags->keep_alive = !connection_->close() && (v11 || connection_->keep_alive());
  flags->upgrade = v11 && upgrade_field_ && connection_->upgrade();
  flags->te_present = te_field_;
  flags->trailers_accepted = trailers_accepted_;
  flags->has_content_length = has_content_length_;
  flags->transfer_encoding = has_te_;
  flags->chunked = has_te_ && te_last_chunked_;
}

HeadError FieldAnalyzer::finish_request(RequestHead* head) {
  // RFC 9112 §3.2 wants a 400 for an HTTP/1.1 request without Host; HAProxy
  // forwards it as it is, and so does Hearth (the server may still refuse).
  // Likewise a Host that is not a valid authority ("a b", ":8443x") reaches
  // the rules and the server unchanged, as in HAProxy 2.6; only the smuggling
  // shapes are refused: two Host lines, or one that differs from an
  // absolute-form target.
  // RFC 9112 §3.2.2 lets the target win over Host; refusing a mismatch
  // instead means no hop can route on one while another routes on the other.
  if (head->target_form == TargetForm::kAbsolute && host_count_ == 1 &&
      !iequals(host_, head->authority)) {
    return head_error(400, "Host differs from target authority");
  }
  if (has_te_) {
    HeadError err = transfer_encoding_error(true, head->version_minor);
    if (!err.ok()) return err;
  }
  head->host = host_;
  fill_flags(head->version_minor, &head->flags);
  // RFC 9110 §10.1.1: a 100-continue expectation in HTTP/1.0 is ignored.
  head->flags.expect_continue = expect_continue_ && head->version_minor >= 1;
  head->content_length = content_length_;
  if (has_te_) {
    head->framing = BodyFraming::chunked();
  } else if (has_content_length_) {
    head->framing = BodyFraming::content_length(content_length_);
  } else {
    head->framing = BodyFraming::none();
  }
  return head_ok();
}

HeadError FieldAnalyzer::finish_response(ResponseHead* head) {
  if (has_te_) {
    HeadError err = transfer_encoding_error(false, head->version_minor);
    if (!err.ok()) return err;
  }
  fill_flags(head->version_minor, &head->flags);
  head->content_length = content_length_;
  return head_ok();
}

}  // namespace hearth::http
