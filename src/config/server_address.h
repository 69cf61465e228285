#pragma once
// A server line's address word: environment references expanded, then split
// into the host and what the port says. HAProxy reads both out of the word
// itself (the port may be missing or relative to the client's), so this is
// done once at load and the runtime only adds the client's port when needed.
#include <string>
#include <string_view>
#include <vector>

#include "config/lexer.h"

namespace hearth::config {

// Expands "$NAME" and "${NAME}" in an address written outside quotes (HAProxy
// expands them there too). A name is a letter or '_' followed by letters,
// digits and '_'. An unset variable expands to an empty string, as in HAProxy;
// its name is appended to *unset (for the caller's warning).
// Returns: true with *out set, or false with *err saying what is wrong.
bool expand_address_env(std::string_view text, const EnvLookup& env, std::string* out,
                        std::string* err, std::vector<std::string>* unset);

// Returns: the warning for an address in which `unset` variables expanded to
// nothing (empty when none did).
std::string unset_address_warning(const std::vector<std::string>& unset);

// What a server address says about the port to connect to.
struct ServerPort {
  bool from_client = false;  // no port, 0, "+N" or "-N": the client's destination port ...
  int offset = 0;            // ... plus this
  int port = 0;              // otherwise this one (1..65535)
};

// Splits "HOST[:PORT]", "[V6][:PORT]" with PORT a number, "+N" or "-N".
// Returns: "HOST:PORT" with a numeric port (0 when it comes from the client),
// which net::Address::parse reads, and *port; or an empty string with *err.
// A UNIX socket address ("/PATH", "unix@PATH", "abns@NAME") is returned as
// written, with no port.
std::string split_server_port(std::string_view address, ServerPort* port, std::string* err);

}  // namespace hearth::config
