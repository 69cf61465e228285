#include "net/cert_names.h"

#include <algorithm>

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

bool sigalgs_from_extension(const unsigned char* ext, size_t len, bool* rsa, bool* ecdsa) {
  *rsa = *ecdsa = false;
  if (len < 2) return false;
  const size_t n = std::min(len - 2, size_t(ext[0] << 8 | ext[1]));
  for (size_t i = 0; i + 1 < n; i += 2) {
    if (ext[2 + i + 1] == 1) *rsa = true;
    if (ext[2 + i + 1] == 3) *ecdsa = true;
  }
  return true;
}

namespace {
void push_once(std::vector<int>* v, int index) {
  for (int i : *v)
    if (i == index) return;
  v->push_back(index);
}
}  // namespace

void CertNameIndex::add(std::string_view name, int index) {
  const std::string n = normalize_server_name(name);
  if (n.size() > 2 && n.compare(0, 2, "*.") == 0) {
    push_once(&wild_[n.substr(2)], index);
    return;
  }
  if (n.empty() || n.find('*') != std::string::npos) return;  // not a usable name
  push_once(&exact_[n], index);
}

void CertNameIndex::exclude(std::string_view name, int index) {
  const std::string n = normalize_server_name(name);
  if (!n.empty() && n.find('*') == std::string::npos) excluded_.emplace_back(n, index);
}

bool CertNameIndex::excluded(const std::string& host, int index) const {
  for (const auto& [name, i] : excluded_)
    if (i == index && name == host) return true;
  return false;
}

void CertNameIndex::candidates(std::string_view host, std::vector<int>* exact,
                               std::vector<int>* wild) const {
  exact->clear();
  wild->clear();
  const std::string h = normalize_server_name(host);
  if (auto it = exact_.find(h); it != exact_.end()) *exact = it->second;
  const size_t dot = h.find('.');
  if (dot == std::string::npos || dot == 0) return;
  if (auto it = wild_.find(h.substr(dot + 1)); it != wild_.end())
    for (int i : it->second)
      if (!excluded(h, i)) wild->push_back(i);
}

int CertNameIndex::find(std::string_view host) const {
  std::vector<int> exact, wild;
  candidates(host, &exact, &wild);
  return !exact.empty() ? exact[0] : !wild.empty() ? wild[0] : -1;
}

}  // namespace hearth::net
