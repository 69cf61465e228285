#pragma once
// Checks of a backend's health-check rules, run by validate().
#include "config/diagnostic.h"

namespace hearth::config {

// Returns: true if p's active check rules (tcp-check under option
// tcp-check, http-check under option httpchk) hold a connect with "ssl".
bool check_rules_use_ssl(const ProxyConfig& p);

// Errors: agent-check without agent-port; a server's TLS options with no
// ssl, no check-ssl and no check rule connecting with ssl to use them.
// Warnings: tcp-check rules without "option tcp-check", http-check rules
// without "option httpchk" (HAProxy ignores them the same way).
void validate_check_rules(const ProxyConfig& p, ParseResult& r);

}  // namespace hearth::config
