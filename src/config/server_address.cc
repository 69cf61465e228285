#include "config/server_address.h"

#include "config/address.h"
#include "config/units.h"

namespace hearth::config {
namespace {

bool name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9'); }

}  // namespace

bool expand_address_env(std::string_view text, const EnvLookup& env, std::string* out,
                        std::string* err, std::vector<std::string>* unset) {
  out->clear();
  for (size_t i = 0; i < text.size();) {
    if (text[i] != '$') {
      *out += text[i++];
      continue;
    }
    const bool brace = i + 1 < text.size() && text[i + 1] == '{';
    size_t p = i + 1 + (brace ? 1 : 0);
    const size_t start = p;
    if (p >= text.size() || !name_start(text[p])) {
      *err = "'$' must start a variable name such as $NAME or ${NAME}";
      return false;
    }
    while (p < text.size() && name_char(text[p])) ++p;
    const std::string name(text.substr(start, p - start));
    if (brace) {
      if (p >= text.size() || text[p] != '}') {
        *err =
            "'${" + name + "' expects '}' (defaults need double quotes: \"${" + name + "-value}\")";
        return false;
      }
      ++p;
    }
    std::optional<std::string> value = env ? env(name) : std::nullopt;
    if (value)
      *out += *value;
    else
      unset->push_back(name);
    i = p;
  }
  return true;
}

std::string unset_address_warning(const std::vector<std::string>& unset) {
  if (unset.empty()) return "";
  std::string names;
  for (const std::string& n : unset) names += (names.empty() ? "'" : ", '") + n + "'";
  return "environment variable" + std::string(unset.size() > 1 ? "s " : " ") + names +
         (unset.size() > 1 ? " are" : " is") + " not set: expanded to an empty string";
}

std::string split_server_port(std::string_view address, ServerPort* port, std::string* err) {
  *port = ServerPort{};
  if (auto why = check_unix_address(address)) {  // a UNIX socket: no port (0, as HAProxy shows)
    if (!why->empty()) {
      *err = *why;
      return "";
    }
    return std::string(address);
  }
  std::string_view host = address, rest;
  if (!address.empty() && address[0] == '[') {
    const size_t close = address.find(']');
    if (close == std::string_view::npos) {
      *err = "missing ']' after the IPv6 address";
      return "";
    }
    host = address.substr(0, close + 1);
    rest = address.substr(close + 1);
    if (!rest.empty() && rest[0] != ':') {
      *err = "unexpected text after ']': expects ':PORT'";
      return "";
    }
  } else if (const size_t colon = address.rfind(':'); colon != std::string_view::npos) {
    host = address.substr(0, colon);
    rest = address.substr(colon);
  }
  if (address.empty()) {
    *err = "missing address";
    return "";
  }
  if (host.empty()) host = "0.0.0.0";  // ":PORT": any address, as HAProxy
  std::string_view p = rest.empty() ? rest : rest.substr(1);
  if (p.empty()) {
    port->from_client = true;  // "HOST" or "HOST:": the client's port
    return std::string(host) + ":0";
  }
  const bool relative = p[0] == '+' || p[0] == '-';
  std::string_view digits = relative ? p.substr(1) : p;
  auto n =
      digits.empty() || digits[0] == '+' || digits[0] == '-' ? std::nullopt : parse_int(digits);
  if (!n || *n > 65535) {
    *err = "invalid port '" + std::string(p) +
           "': expects a number between 0 and 65535, or +N / -N relative to the client's port";
    return "";
  }
  if (relative || *n == 0) {  // ":0" too means the client's port, as HAProxy
    port->from_client = true;
    port->offset = static_cast<int>(p[0] == '-' ? -*n : *n);
    return std::string(host) + ":0";
  }
  port->port = static_cast<int>(*n);
  return std::string(host) + ":" + std::to_string(*n);
}

}  // namespace hearth::config
