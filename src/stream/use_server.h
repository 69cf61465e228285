#pragma once
// use-server rules (HAProxy manual 4.2): before load balancing, the first rule
// whose condition holds and whose server is up picks the server.
#include "backend/backend.h"
#include "expr/fetch.h"

namespace hearth::stream {

// Returns: the server `be`'s use-server rules pick for the transaction `ctx`
// reads, or nullptr for load balancing. A rule whose server is down (or in
// maintenance) is passed over unless `persist` (option persist, or a
// force-persist rule matched); a computed name that names no server ends the
// rules, as in HAProxy.
backend::Server* pick_use_server(const backend::Backend& be, expr::FetchContext& ctx,
                                 bool persist = false);

}  // namespace hearth::stream
