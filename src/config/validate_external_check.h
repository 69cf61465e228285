#pragma once
// Checks of a backend's external check, run by validate() (with the global
// section's "external-check" and "insecure-fork-wanted").
#include "config/diagnostic.h"

namespace hearth::config {

// Errors: option external-check without "external-check" in the global
// section or without a command; a command without a leading '/' and no
// "external-check path" (even without the option, as HAProxy).
// Warnings: option external-check without "insecure-fork-wanted";
// "external-check command|path" without the option (ignored).
void validate_external_check(const ProxyConfig& p, ParseResult& r);

}  // namespace hearth::config
