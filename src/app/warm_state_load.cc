// The warm reload's server knowledge, applied by the new worker while its
// runtime is built (before the checks start), like a state file.
#include "app/runtime.h"
#include "backend/backend.h"
#include "backend/handover_wire.h"
#include "backend/server.h"

namespace hearth::app {

void Runtime::apply_warm_state() {
  if (!warm || warm->empty()) return;
  std::vector<backend::ServerStateRow> rows;
  int bad_line = 0;
  if (backend::parse_server_state(warm->servers, &rows, &bad_line) == backend::StateFileStatus::kOk)
    apply_state_rows(rows, nullptr, /*same_address_only=*/true);
  for (const backend::KeepAliveLine& k : backend::parse_keepalive_lines(warm->keepalive)) {
    backend::Backend* be = find_backend(k.backend);
    backend::Server* s = be ? be->server_named(k.server) : nullptr;
    if (s) s->keepalive.restore({k.closes, k.alives});
  }
}

}  // namespace hearth::app
