#pragma once
// The text of the warm reload's messages between workers (pure: no sockets,
// no servers; fuzzed by fuzz/handover_wire_fuzz.cc). See docs/architecture.md,
// "Warm reload".
//
// Idle connections: "idle\n" then one line per descriptor the message carries,
// in order: "BACKEND SERVER IP PORT IDLE_MS EXCHANGES\n".
// Keep-alive evidence: one line per server, "BACKEND SERVER c=MS,... a=MS,...\n"
// (the closes, then the alives, oldest first; either list may be empty).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hearth::backend {

inline constexpr std::string_view kIdleHandoverHeader = "idle\n";

struct IdleHandoverItem {
  std::string backend, server, ip;
  int port = 0;
  int64_t idle_ms = 0;
  uint32_t exchanges = 0;
};

// Returns: the item's line, with its line break.
std::string format_idle_item(const IdleHandoverItem& it);
// Returns: false unless `msg` is a header and well-formed lines whose number
// is `nfds`; *out then holds them.
bool parse_idle_handover(std::string_view msg, size_t nfds, std::vector<IdleHandoverItem>* out);

struct KeepAliveLine {
  std::string backend, server;
  std::vector<int64_t> closes, alives;
};

// Returns: the line, with its line break.
std::string format_keepalive_line(const KeepAliveLine& k);
// Returns: the lines of `text` that parse (a bad line is skipped).
std::vector<KeepAliveLine> parse_keepalive_lines(std::string_view text);

}  // namespace hearth::backend
