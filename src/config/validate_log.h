#pragma once
// Checks of a proxy's access-log settings, run by validate().
#include "config/diagnostic.h"

namespace hearth::config {

// Errors: capture slots in a tcp-mode frontend (they read HTTP headers).
// Warnings: log-format variables that only an HTTP transaction has, in a
// tcp-mode frontend (printed as for a request that never came, as HAProxy).
void validate_log_settings(const ProxyConfig& p, ParseResult& r);

// Errors: "log ring@NAME" targets (global or proxy) naming no ring section.
void validate_log_rings(const Config& c, ParseResult& r);

}  // namespace hearth::config
