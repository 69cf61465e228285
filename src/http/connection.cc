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
    if (iequals(token, "close")) close_ = true;
    if (iequals(token, "keep-alive")) keep_alive_ = true;
    if (iequals(token, "upgrade")) upgrade_ = true;
  }
  return true;
}

bool ConnectionTokens::contains(std::string_view token) const {
  for (size_t i = 0; i < size_; ++i) {
    if (iequals((*this)[i], token)) return true;
  }
  return false;
}

bool hop_by_hop(std::string_view name, const ConnectionTokens& connection) {
  // The fixed names, dispatched on length so a field is compared to at most two.
  switch (name.size()) {
    case 2:
      if (iequals(name, "te")) return true;
      break;
    case 4:
      if (iequals(name, "host")) return false;
      break;
    case 7:
      if (iequals(name, "upgrade")) return true;
      break;
    case 10:
      if (iequals(name, "connection") || iequals(name, "keep-alive")) return true;
      break;
    case 14:
      if (iequals(name, "content-length")) return false;
      break;
    case 16:
      if (iequals(name, "proxy-connection")) return true;
      break;
    case 17:
      if (iequals(name, "transfer-encoding")) return false;
      break;
    default:
      break;
  }
  return connection.contains(name);
}

}  // namespace hearth::http
