#pragma once
// Number, duration and size parsing with HAProxy's units.
#include <cstdint>
#include <optional>
#include <string_view>

namespace hearth::config {

// Longest accepted duration: HAProxy's timers hold 2^31-1 ms (about 24.8 days).
inline constexpr int64_t kMaxDurationMs = 2147483647;

// Parses "<digits>[unit]" with unit us, ms, s, m, h or d; a bare number is in
// milliseconds. Microseconds round up to the next millisecond ("500us" -> 1).
// Returns: milliseconds, or nullopt if malformed, negative or above
// kMaxDurationMs.
std::optional<int64_t> parse_duration_ms(std::string_view text);

// Parses a plain decimal integer, optionally negative ("-1"); no blanks, no
// '+'. Returns: the value, or nullopt if malformed or
// outside int64_t.
std::optional<int64_t> parse_int(std::string_view text);

// Parses "<digits>[k|m|g]" (binary multiples: k = 1024). Returns: bytes, or
// nullopt if malformed or above INT32_MAX.
std::optional<int64_t> parse_size(std::string_view text);

}  // namespace hearth::config
