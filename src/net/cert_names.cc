#include "net/cert_names.h"

namespace hearth::net {

std::string normalize_server_name(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  std::string out(name);
  for (char& ch : out)
    if (ch >= 'A' && ch <= 'Z') ch = char(ch + 32);
  return out;
}

void CertNameIndex::add(std::string_view name, int index) {
  const std::string n = normalize_server_name(name);
  if (n.size() > 2 && n.compare(0, 2, "*.") == 0) {
    for (const Entry& e : wild_)
      if (e.name == n.substr(2)) return;  // the first certificate keeps it
    wild_.push_back({n.substr(2), index});
    return;
  }
  if (n.empty() || n.find('*') != std::string::npos) return;  // not a usable name
  for (const Entry& e : exact_)
    if (e.name == n) return;
  exact_.push_back({n, index});
}

int CertNameIndex::find(std::string_view host) const {
  const std::string h = normalize_server_name(host);
  for (const Entry& e : exact_)
    if (e.name == h) return e.index;
  const size_t dot = h.find('.');
  if (dot == std::string::npos || dot == 0) return -1;
  const std::string_view parent = std::string_view(h).substr(dot + 1);
  for (const Entry& e : wild_)
    if (e.name == parent) return e.index;
  return -1;
}

}  // namespace hearth::net
