#pragma once
// The fixed part of one server's external check (backend/external_check.h),
// from its section's configuration: the command and PATH, the proxy's first
// listener, the server's names, ids, maxconn, TLS and protocol.
#include <memory>

#include "backend/backend.h"
#include "backend/external_check.h"
#include "backend/server.h"
#include "config/model.h"

namespace hearth::app {

std::shared_ptr<const backend::ExternalCheckSpec> external_check_spec(const config::ProxyConfig& p,
                                                                      const backend::Backend& be,
                                                                      const backend::Server& s,
                                                                      bool insecure_fork_wanted);

}  // namespace hearth::app
