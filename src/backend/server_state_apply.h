#pragma once
// The bridge between live servers and server state rows (server_state.h):
// the row `show servers state` prints for a server, and what a row read from a
// state file at start-up changes in a server that has not started yet.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "backend/health.h"
#include "backend/server_state.h"

namespace hearth::backend {

class Backend;
class Server;

// Returns: HAProxy's number for a check status (the srv_check_status column).
int check_status_number(CheckStatus s);

// Returns: the row of server `s` of backend `be` at now_ms.
ServerStateRow server_state_row(const Backend& be, const Server& s, int64_t now_ms);

// Returns: the whole text `show servers state` prints (version line, column
// line, one row per server) for every backend, or only `only` when not null.
std::string server_states_text(const std::vector<Backend*>& backends, const Backend* only,
                               int64_t now_ms);

// What a row leaves for later: the checks' starting state and the age of the
// last state change, both set when the checks start.
struct AppliedState {
  std::optional<InitState> check_start;  // fully UP or fully DOWN, checked servers only
  int64_t since_change_s = 0;
};

// Applies `row` (which names `s`) to a server that is not running yet, as
// HAProxy's loader does: maintenance and drain set at run time come back, the
// weight comes back unless the configuration changed it, a port comes back,
// and a checked server restarts UP or DOWN as it was. A server in maintenance
// by configuration stays so. `checked`: the server has health checks.
// Returns: false with *msg when the row is not valid (nothing applied); true,
// with *msg set to a notice to print when there is one (empty otherwise).
bool apply_server_state(const ServerStateRow& row, bool checked, Server& s, AppliedState* out,
                        std::string* msg);

}  // namespace hearth::backend
