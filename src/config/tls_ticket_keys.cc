#include "config/tls_ticket_keys.h"

#include "expr/converters_more.h"

namespace hearth::config {

std::string decode_tls_ticket_key(std::string_view line) {
  char buf[96];
  const long n = expr::base64_decode(line, buf, sizeof buf);
  if (n != 48 && n != 80) return "";
  return std::string(buf, size_t(n));
}

std::vector<std::string> parse_tls_ticket_keys(std::string_view text, std::string* err) {
  std::vector<std::string> keys;
  int n = 0;
  while (!text.empty()) {
    const size_t eol = text.find('\n');
    std::string_view l = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    ++n;
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    std::string key = decode_tls_ticket_key(l);
    if (key.empty()) {
      *err = "line " + std::to_string(n) + " is not the base64 of a 48- or 80-byte key";
      return {};
    }
    if (!keys.empty() && key.size() != keys[0].size()) {
      *err = "line " + std::to_string(n) + ": a " + std::to_string(key.size()) +
             "-byte key after " + std::to_string(keys[0].size()) +
             "-byte ones (AES-128 and AES-256 keys cannot be mixed)";
      return {};
    }
    keys.push_back(std::move(key));
  }
  if (keys.size() < kTlsTicketKeysInUse) {
    *err = "at least " + std::to_string(kTlsTicketKeysInUse) + " keys are needed, found " +
           std::to_string(keys.size());
    return {};
  }
  return keys;
}

}  // namespace hearth::config
