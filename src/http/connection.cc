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
    tokens_[size_++] = token;
    if (iequals(token, "close")) close_ = true;
    if (iequals(token, "keep-alive")) keep_alive_ = true;
    if (iequals(token, "upgrade")) upgrade_ = true;
  }
  return true;
}

bool ConnectionTokens::contains(std::string_view token) const {
  for (size_t i = 0; i < size_; ++i) {
    if (iequals(tokens_[i], token)) return true;
  }
  return false;
}

bool hop_by_hop(std::string_view name, const ConnectionTokens& connection) {
  if (iequals(name, "transfer-encoding") || iequals(name, "content-length") ||
      iequals(name, "host")) {
    return false;
  }
  if (iequals(name, "connection") || iequals(name, "keep-alive") ||
      iequals(name, "proxy-connection") || iequals(name, "te") || iequals(name, "upgrade")) {
    return true;
  }
  return connection.contains(name);
}

}  // namespace hearth::http
