// Parses the input as a server state file; every row that parses must print
// back to a line that parses to the same row (a round trip through the format
// `show servers state` writes and load-server-state-from-file reads).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "backend/server_state.h"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hearth::backend;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<ServerStateRow> rows;
  int bad = 0;
  if (parse_server_state(text, &rows, &bad) != StateFileStatus::kOk) {
    check(rows.size() < size + 1);
    return 0;
  }
  for (const ServerStateRow& r : rows) {
    // Names may be anything without blanks; a valid row prints and reparses the same.
    if (!r.invalid.empty() || r.be_name.empty() || r.srv_name.empty()) continue;
    std::vector<ServerStateRow> again;
    const std::string line = format_server_state_row(r);
    if (line.find('\n') != std::string::npos || line.find('\r') != std::string::npos) continue;
    check(parse_server_state("1\n" + line, &again, &bad) == StateFileStatus::kOk);
    check(again.size() == 1 && format_server_state_row(again[0]) == line);
  }
  return 0;
}
