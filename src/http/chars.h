#pragma once
// Character classes of RFC 9110/9112, as one 256-entry table so every check in
// the parsers is a single load. Pure constexpr: no runtime initialisation.
#include <array>
#include <cstdint>

namespace hearth::http {

namespace detail {

enum CharClass : uint8_t {
  kClassTchar = 1 << 0,   // token character (RFC 9110 §5.6.2)
  kClassField = 1 << 1,   // allowed inside a field value: SP, HTAB, VCHAR, obs-text
  kClassTarget = 1 << 2,  // allowed in a request-target (see is_target_char)
  kClassDigit = 1 << 3,
  kClassHex = 1 << 4,
  kClassHost = 1 << 5,  // allowed in a reg-name or IPv4 host (RFC 3986 §3.2.2)
};

constexpr bool in(const char* set, int c) {
  for (const char* s = set; *s != '\0'; ++s) {
    if (*s == c) return true;
  }
  return false;
}

constexpr std::array<uint8_t, 256> make_char_table() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    const bool digit = c >= '0' && c <= '9';
    const bool vchar = c >= 0x21 && c <= 0x7e;
    uint8_t v = 0;
    if (alpha || digit || in("!#$%&'*+-.^_`|~", c)) v |= kClassTchar;
    if (vchar || c >= 0x80 || c == ' ' || c == '\t') v |= kClassField;
    if (vchar && c != '#') v |= kClassTarget;
    if (digit) v |= kClassDigit;
    if (digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) v |= kClassHex;
    if (alpha || digit || in("-._~!$&'()*+,;=%", c)) v |= kClassHost;
    t[static_cast<size_t>(c)] = v;
  }
  return t;
}

inline constexpr std::array<uint8_t, 256> kCharTable = make_char_table();

constexpr bool has(char c, uint8_t cls) {
  return (kCharTable[static_cast<unsigned char>(c)] & cls) != 0;
}

}  // namespace detail

constexpr bool is_tchar(char c) { return detail::has(c, detail::kClassTchar); }
constexpr bool is_field_char(char c) { return detail::has(c, detail::kClassField); }
// Visible ASCII except '#': a fragment is never sent in a request, and bytes
// >= 0x80 must arrive percent-encoded, so both are rejected.
constexpr bool is_target_char(char c) { return detail::has(c, detail::kClassTarget); }
constexpr bool is_digit(char c) { return detail::has(c, detail::kClassDigit); }
constexpr bool is_hex(char c) { return detail::has(c, detail::kClassHex); }
constexpr bool is_host_char(char c) { return detail::has(c, detail::kClassHost); }
constexpr bool is_ows(char c) { return c == ' ' || c == '\t'; }

constexpr char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// Requires: is_hex(c). Returns: the value of the hex digit.
constexpr int hex_value(char c) {
  if (c <= '9') return c - '0';
  return to_lower(c) - 'a' + 10;
}

}  // namespace hearth::http
