#include "config/units.h"

#include <limits>

namespace hearth::config {
namespace {

// Requires: nothing. Returns: the leading unsigned decimal run of `text` and
// the rest, or nullopt if there are no digits or the value overflows.
std::optional<std::pair<int64_t, std::string_view>> leading_number(std::string_view text) {
  size_t i = 0;
  int64_t value = 0;
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    const int digit = text[i] - '0';
    if (value > (kMax - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
    ++i;
  }
  if (i == 0) return std::nullopt;
  return std::make_pair(value, text.substr(i));
}

}  // namespace

std::optional<int64_t> parse_int(std::string_view text) {
  bool negative = false;
  if (!text.empty() && text[0] == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  auto parsed = leading_number(text);
  if (!parsed || !parsed->second.empty()) return std::nullopt;
  return negative ? -parsed->first : parsed->first;
}

std::optional<int64_t> parse_duration_ms(std::string_view text) {
  auto parsed = leading_number(text);
  if (!parsed) return std::nullopt;
  const auto [n, unit] = *parsed;
  // Past this, every unit is above kMaxDurationMs: checking first keeps the
  // multiplications below from overflowing.
  if (n > kMaxDurationMs * 1000) return std::nullopt;
  int64_t ms = 0;
  if (unit.empty() || unit == "ms")
    ms = n;
  else if (unit == "us")
    ms = (n + 999) / 1000;
  else if (unit == "s")
    ms = n * 1000;
  else if (unit == "m")
    ms = n > kMaxDurationMs ? -1 : n * 60 * 1000;
  else if (unit == "h")
    ms = n > kMaxDurationMs ? -1 : n * 3600 * 1000;
  else if (unit == "d")
    ms = n > kMaxDurationMs ? -1 : n * 86400 * 1000;
  else
    return std::nullopt;
  if (ms < 0 || ms > kMaxDurationMs) return std::nullopt;
  return ms;
}

std::optional<int64_t> parse_size(std::string_view text) {
  auto parsed = leading_number(text);
  if (!parsed) return std::nullopt;
  const auto [n, unit] = *parsed;
  constexpr int64_t kMax = std::numeric_limits<int32_t>::max();
  if (n > kMax) return std::nullopt;
  int64_t bytes = 0;
  if (unit.empty())
    bytes = n;
  else if (unit == "k" || unit == "K")
    bytes = n * 1024;
  else if (unit == "m" || unit == "M")
    bytes = n * 1024 * 1024;
  else if (unit == "g" || unit == "G")
    bytes = n * 1024 * 1024 * 1024;
  else
    return std::nullopt;
  if (bytes > kMax) return std::nullopt;
  return bytes;
}

}  // namespace hearth::config
