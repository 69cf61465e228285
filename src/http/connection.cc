#include "http/connection.h"

#include "http/chars.h"
#include "http/headers.h"

namespace hearth::http {

namespace {

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_tchar(c)) return false;
  }
  return true;
}

}  // namespace

bool ConnectionTokens::add_value(std::string_view value) {
  ListCursor cursor(value);
  std::string_view token;
  while (cursor.next(&token)) {
    if (token.empty()) continue;
    if (!is_token(token)) return false;
    if (contains(token)) continue;
    if (size_ == kCapacity) return false;
    set(size_++, token);
    if (iequals(token, "keep-alive")) {
      keep_alive_ = true;
    } else if (iequals(token, "upgrade")) {
      upgrade_ = true;
    } else {
      names_other_ = true;
      if (iequals(token, "close")) close_ = true;
    }
  }
  return true;
}

bool ConnectionTokens::contains(std::string_view token) const {
  for (size_t i = 0; i < size_; ++i) {
    if (iequals((*this)[i], token)) return true;
  }
  return false;
}

bool hop_by_hop(const HeaderField& field, const ConnectionTokens& connection) {
  const FieldName known = known_name(field);
  switch (known) {
    case FieldName::kTe:
    case FieldName::kUpgrade:
    case FieldName::kConnection:
    case FieldName::kKeepAlive:
    case FieldName::kProxyConnection:
      return true;
    case FieldName::kHost:
    case FieldName::kContentLength:
    case FieldName::kTransferEncoding:
      return false;
    default:
      return connection.names_other_fields() && connection.contains(field.name);
  }
}

}  // namespace hearth::http
