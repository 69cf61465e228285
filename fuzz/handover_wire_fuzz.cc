// The warm reload's message texts: an idle-connection handover and keep-alive
// evidence lines. Whatever parses must print back to the same text (for the
// handover) or reparse to the same values (for the evidence).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "backend/handover_wire.h"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hearth::backend;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<IdleHandoverItem> items;
  for (size_t n : {size_t(0), size_t(1), size_t(2), size_t(64)})
    if (parse_idle_handover(text, n, &items)) {
      check(items.size() == n);
      std::string again(kIdleHandoverHeader);
      for (const IdleHandoverItem& it : items) again += format_idle_item(it);
      std::vector<IdleHandoverItem> twice;
      check(parse_idle_handover(again, n, &twice) && twice.size() == n);
    }
  for (const KeepAliveLine& k : parse_keepalive_lines(text)) {
    const std::vector<KeepAliveLine> again = parse_keepalive_lines(format_keepalive_line(k));
    check(again.size() == 1 && again[0].closes == k.closes && again[0].alives == k.alives &&
          again[0].backend == k.backend && again[0].server == k.server);
  }
  return 0;
}
