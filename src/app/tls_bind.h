#pragma once
// From a bind line's TLS options (config::BindTls) and the global TLS
// settings to what the TLS transport is built from.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/diagnostic.h"
#include "config/model.h"
#include "net/tls_settings.h"
#include "net/transport.h"

namespace hearth::app {

// Returns: `path` under `base` (crt-base, ca-base) unless it is absolute or
// base is empty.
std::string under(const std::string& base, const std::string& path);

// Folds force-tlsv1x (`force`, 0: none), ssl-min-ver/ssl-max-ver (0: unset,
// TLS 1.2 and 1.3 then) and the no-* bits `disabled` into one range.
// Returns: false with *err when no version is left.
bool tls_version_range(int force, int min, int max, uint8_t disabled, int* out_min, int* out_max,
                       std::string* err);

// The same for a line's options `own` (a bind line's or a server's) over the
// global defaults `dflt` of their kind: each of force/min/max the line leaves
// unset comes from the defaults, the no-* bits of both add up.
template <typename Opts>
bool tls_version_range(const Opts& own, const Opts& dflt, int* out_min, int* out_max,
                       std::string* err) {
  return tls_version_range(own.force_ver ? own.force_ver : dflt.force_ver,
                           own.min_ver ? own.min_ver : dflt.min_ver,
                           own.max_ver ? own.max_ver : dflt.max_ver,
                           uint8_t(own.no_versions | dflt.no_versions), out_min, out_max, err);
}

// Applies crt-base/ca-base to the paths, ssl-default-bind-* where the line
// sets nothing, and folds ssl-min-ver/ssl-max-ver/force-*/no-* into one
// range of versions; reads the crt-list files (each line with its options
// over the bind line's) and the tls-ticket-keys file. Returns: the settings,
// or nullopt with *err set (crt-list errors name the list's file and line);
// what a crt-list warns about goes to *warnings when given.
std::optional<net::TlsBindSettings> tls_bind_settings(const config::BindTls& b,
                                                      const config::TlsGlobal& g, std::string* err,
                                                      std::vector<std::string>* warnings = nullptr);

// Builds the TLS transport of an "ssl" bind line: settings, certificates,
// contexts. Returns: the transport, or nullptr with *err saying what was refused.
// `where` ("FILE:LINE" of the bind line) names it in the runtime API.
std::unique_ptr<net::Transport> make_bind_transport(const config::BindTls& b,
                                                    const config::TlsGlobal& g, std::string* err,
                                                    std::vector<std::string>* warnings,
                                                    const std::string& where);

// hearth -c: loads the certificates of every "ssl" bind line, as HAProxy's
// check does, and adds an error (file, line, keyword) for each one refused.
void check_tls_binds(config::ParseResult* r);

}  // namespace hearth::app
