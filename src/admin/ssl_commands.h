#pragma once
// The runtime API's TLS commands (HAProxy 2.6 management guide, section
// 9.3), over the bind lines of net/tls_bind_registry.h. Each returns the
// answer, or an empty string if `w` is not one of its commands; changes need
// `admin`.
#include <functional>
#include <string>
#include <vector>

#include "net/cert_store.h"
#include "net/tls_bind_registry.h"

namespace hearth::admin {

// "show tls-keys [ID|FILE|*]", "set ssl tls-key ID|FILE KEY" (tls_key_commands.cc).
std::string cli_tls_key_command(const std::vector<std::string>& w, bool admin);
// "show ssl cert [NAME]", "new ssl cert NAME", "set ssl cert NAME <<",
// "commit ssl cert NAME", "abort ssl cert NAME", "del ssl cert NAME"
// (ssl_cert_commands.cc).
std::string cli_ssl_cert_command(const std::vector<std::string>& w, const std::string& payload,
                                 bool admin);
// "show|new|set|commit|abort|del ssl ca-file|crl-file ..." (ca_file_commands.cc).
std::string cli_ca_file_command(const std::vector<std::string>& w, const std::string& payload,
                                bool admin);
// "show ssl crt-list [-n] [FILE]", "add ssl crt-list FILE CERT|<<",
// "del ssl crt-list FILE CERT[:LINE]" (crt_list_commands.cc).
std::string cli_crt_list_command(const std::vector<std::string>& w, const std::string& payload,
                                 bool admin);

// Builds the new contexts of every bind line `pick` changes (it edits a copy
// of the line's settings and returns true if it changed anything), then
// publishes them all, or none if one fails. Returns: how many lines changed,
// or -1 with *err set.
int rebuild_tls_binds(const std::function<bool(net::TlsBindState&, net::TlsBindSettings&)>& pick,
                      std::string* err);

// HAProxy's refusal of a transaction command about `name` while the one
// transaction of its kind is about `ongoing`: for "set" and "commit" (then
// `cant` follows), or for "abort" (`cant` empty).
std::string other_transaction(const std::string& ongoing, const std::string& name, bool abort,
                              const std::string& cant);

// "commit ssl cert|ca-file|crl-file": stores `text` as `name` in `store`,
// then builds new contexts for every bind line `bind_pick` selects and every
// server client side `server_pick` selects, and publishes them all; or, if
// one fails, none, with the old text back. Returns: how many were rebuilt,
// or -1 with *err set.
int commit_tls_file(net::PemStore& store, const std::string& name, const std::string& text,
                    const std::function<bool(net::TlsBindState&)>& bind_pick,
                    const std::function<bool(const net::TlsClientSettings&)>& server_pick,
                    std::string* err);

}  // namespace hearth::admin
