#include "expr/rdp_cookie.h"

#include <algorithm>
#include <cctype>

namespace hearth::expr {
namespace {

constexpr size_t kHeaders = 4 + 7;  // TPKT, X.224 connection request
constexpr std::string_view kCookie = "cookie:";

bool iequal_prefix(std::string_view s, std::string_view lower) {
  for (size_t i = 0; i < lower.size(); ++i)
    if (std::tolower(uint8_t(s[i])) != lower[i]) return false;
  return true;
}

}  // namespace

HelloStatus rdp_cookie(std::string_view data, std::string_view name, std::string_view* value) {
  if (data.empty()) return HelloStatus::kIncomplete;
  if (uint8_t(data[0]) != 3) return HelloStatus::kInvalid;  // TPKT version
  if (data.size() < kHeaders) return HelloStatus::kIncomplete;
  std::string_view rest = data.substr(kHeaders);
  // "Cookie:", any case; a shorter prefix of it may still become one.
  const size_t have = std::min(rest.size(), kCookie.size());
  if (!iequal_prefix(rest.substr(0, have), kCookie.substr(0, have))) return HelloStatus::kInvalid;
  if (have < kCookie.size()) return HelloStatus::kIncomplete;
  rest.remove_prefix(kCookie.size());
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  const size_t eq = rest.find('=');
  const size_t crlf = rest.find("\r\n");
  if (crlf == std::string_view::npos) return HelloStatus::kIncomplete;
  if (eq == std::string_view::npos || eq > crlf) return HelloStatus::kInvalid;
  if (!name.empty()) {
    const std::string_view n = rest.substr(0, eq);
    if (n.size() != name.size()) return HelloStatus::kInvalid;
    for (size_t i = 0; i < n.size(); ++i)
      if (std::tolower(uint8_t(n[i])) != std::tolower(uint8_t(name[i])))
        return HelloStatus::kInvalid;
  }
  *value = rest.substr(eq + 1, crlf - eq - 1);
  return HelloStatus::kOk;
}

}  // namespace hearth::expr
