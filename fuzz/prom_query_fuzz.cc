// The exporter's query parser (admin/prom_query) on any request target: it
// must never crash, must say no to what it cannot read, and what it accepts
// must be a scope set it knows.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "admin/prom_query.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hearth::admin;
  PromQuery q;
  const bool ok = parse_prom_query(std::string_view(reinterpret_cast<const char*>(data), size), &q);
  if (ok && (q.scopes & ~kScopeAll)) __builtin_trap();
  // A target without a query selects everything.
  const std::string_view t(reinterpret_cast<const char*>(data), size);
  if (t.find('?') == std::string_view::npos && (!ok || q.scopes != kScopeAll || q.no_maint))
    __builtin_trap();
  return 0;
}
