#pragma once
// Checks of a backend's health-check rules, run by validate().
#include "config/diagnostic.h"

namespace hearth::config {

// Errors: agent-check without agent-port.
// Warnings: tcp-check rules without "option tcp-check", http-check rules
// without "option httpchk" (HAProxy ignores them the same way).
void validate_check_rules(const ProxyConfig& p, ParseResult& r);

}  // namespace hearth::config
