#pragma once
// The file of "tls-ticket-keys FILE": one base64 key per line, 48 bytes
// (AES-128) or 80 bytes (AES-256), all of the first key's size. Pure code,
// fuzzed (fuzz/tls_ticket_keys_fuzz.cc).
#include <string>
#include <string_view>
#include <vector>

namespace hearth::config {

// How many keys are in use at once (HAProxy's TLS_TICKETS_NO default): the
// file must hold at least as many, and the last ones are used.
inline constexpr size_t kTlsTicketKeysInUse = 3;

// Decodes one key line (base64, no newline). Returns: the raw key (48 or 80
// bytes), or "" if it is not valid base64 of either size.
std::string decode_tls_ticket_key(std::string_view line);

// Parses the text of the key file. Returns: the raw keys in file order, or
// an empty vector with *err saying which line is wrong (1-based), or that
// fewer than kTlsTicketKeysInUse keys were given.
std::vector<std::string> parse_tls_ticket_keys(std::string_view text, std::string* err);

}  // namespace hearth::config
