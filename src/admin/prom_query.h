#pragma once
// The query string of an exporter request, as HAProxy 2.6's exporter reads it:
// "scope=NAME" (global, frontend, listener, backend, server, sticktable, or *
// for all; several may be given; an empty one selects nothing) and "no-maint"
// (servers in maintenance are left out). Other parameters are ignored.
#include <cstdint>
#include <string_view>

namespace hearth::admin {

enum PromScopeBit : uint8_t {
  kScopeGlobal = 1,
  kScopeFrontend = 2,
  kScopeListener = 4,
  kScopeBackend = 8,
  kScopeServer = 16,
  kScopeStickTable = 32,
  kScopeAll = 63,
};

struct PromQuery {
  uint8_t scopes = kScopeAll;
  bool no_maint = false;
};

// Parses the target's query (what follows '?', if any). Returns: false for a
// request HAProxy answers 400: a "scope" without a value, or an unknown scope.
bool parse_prom_query(std::string_view target, PromQuery* out);

}  // namespace hearth::admin
