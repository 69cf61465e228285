#include "net/cert_names.h"

namespace hearth::net {

std::string normalize_server_name(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  std::string out(name);
  for (char& ch : out)
    if (ch >= 'A' && ch <= 'Z') ch = char(ch + 32);
  return out;
}

std::string_view sni_from_extension(const unsigned char* ext, size_t len) {
  if (len < 2 || size_t(ext[0] << 8 | ext[1]) != len - 2) return {};
  size_t at = 2;
  while (at + 3 <= len) {
    const unsigned type = ext[at];
    const size_t n = size_t(ext[at + 1] << 8 | ext[at + 2]);
    at += 3;
    if (n > len - at) return {};
    if (type == 0 && n > 0) return {reinterpret_cast<const char*>(ext + at), n};
    at += n;
  }
  return {};
}

void CertNameIndex::add(std::string_view name, int index) {
  const std::string n = normalize_server_name(name);
  if (n.size() > 2 && n.compare(0, 2, "*.") == 0) {
    for (const Entry& e : wild_)
      if (e.name == n.substr(2) && e.index == index) return;
    wild_.push_back({n.substr(2), index});
    return;
  }
  if (n.empty() || n.find('*') != std::string::npos) return;  // not a usable name
  for (const Entry& e : exact_)
    if (e.name == n) return;
  exact_.push_back({n, index});
}

void CertNameIndex::exclude(std::string_view name, int index) {
  const std::string n = normalize_server_name(name);
  if (!n.empty() && n.find('*') == std::string::npos) excluded_.push_back({n, index});
}

bool CertNameIndex::excluded(const std::string& host, int index) const {
  for (const Entry& e : excluded_)
    if (e.index == index && e.name == host) return true;
  return false;
}

int CertNameIndex::find(std::string_view host) const {
  const std::string h = normalize_server_name(host);
  for (const Entry& e : exact_)
    if (e.name == h) return e.index;
  const size_t dot = h.find('.');
  if (dot == std::string::npos || dot == 0) return -1;
  const std::string_view parent = std::string_view(h).substr(dot + 1);
  for (const Entry& e : wild_)
    if (e.name == parent && !excluded(h, e.index)) return e.index;
  return -1;
}

}  // namespace hearth::net
