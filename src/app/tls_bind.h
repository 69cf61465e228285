#pragma once
// From a bind line's TLS options (config::BindTls) and the global TLS
// settings to what the TLS transport is built from.
#include <optional>
#include <string>

#include "config/model.h"
#include "net/tls_settings.h"

namespace hearth::app {

// Applies crt-base/ca-base to the paths, ssl-default-bind-* where the line
// sets nothing, and folds ssl-min-ver/ssl-max-ver/force-*/no-* into one
// range of versions. Returns: the settings, or nullopt with *err set.
std::optional<net::TlsBindSettings> tls_bind_settings(const config::BindTls& b,
                                                      const config::TlsGlobal& g, std::string* err);

}  // namespace hearth::app
