#pragma once
// Request methods (RFC 9110 §9). Method names are case-sensitive tokens.
#include <cstdint>
#include <string_view>

namespace hearth::http {

enum class Method : uint8_t {
  kGet,
  kHead,
  kPost,
  kPut,
  kDelete,
  kConnect,
  kOptions,
  kTrace,
  kPatch,
  kOther,  // any other valid token; its text is in RequestHead::method_str
};

// Returns: the method whose name is exactly `token` (case-sensitive), else kOther.
Method parse_method(std::string_view token);

// Returns: the canonical name, or "" for kOther.
std::string_view method_name(Method method);

// Returns: true for the idempotent methods of RFC 9110 §9.2.2 (GET, HEAD,
// OPTIONS, TRACE, PUT, DELETE): only those may be retried on a fresh
// connection after a reused one failed. kOther is never idempotent.
bool is_idempotent(Method method);

}  // namespace hearth::http
