#include "http/method.h"

#include <array>

namespace hearth::http {

namespace {

constexpr std::array<std::string_view, 9> kNames = {
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
};

}  // namespace

Method parse_method(std::string_view token) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == token) return static_cast<Method>(i);
  }
  return Method::kOther;
}

std::string_view method_name(Method method) {
  const auto i = static_cast<size_t>(method);
  return i < kNames.size() ? kNames[i] : std::string_view();
}

bool is_idempotent(Method method) {
  switch (method) {
    case Method::kGet:
    case Method::kHead:
    case Method::kOptions:
    case Method::kTrace:
    case Method::kPut:
    case Method::kDelete:
      return true;
    default:
      return false;
  }
}

}  // namespace hearth::http
