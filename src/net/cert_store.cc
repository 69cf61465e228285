#include "net/cert_store.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace hearth::net {
namespace {

// Returns: the contents of file `path`, or nullopt with errno set.
std::optional<std::string> slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

CertStore& CertStore::instance() {
  static CertStore s;
  return s;
}

std::optional<std::string> CertStore::pem(const std::string& path, std::string* err,
                                          bool* from_file) {
  *from_file = false;
  if (std::optional<std::string> have = find(path)) {
    if (!have->empty()) return have;
    *err = "certificate '" + path + "' is empty (\"new ssl cert\" without a \"commit\")";
    return std::nullopt;
  }
  std::optional<std::string> text = slurp(path);
  if (!text) {
    *err = "cannot open certificate file '" + path + "': " + std::strerror(errno);
    return std::nullopt;
  }
  if (text->find("PRIVATE KEY-----") == std::string::npos)
    if (std::optional<std::string> key = slurp(path + ".key")) {
      if (!text->empty() && text->back() != '\n') *text += '\n';
      *text += *key;
    }
  *from_file = true;
  return text;
}

void CertStore::keep(const std::string& path, const std::string& text) {
  std::lock_guard<std::mutex> g(mu_);
  pems_.emplace(path, text);
}

std::optional<std::string> CertStore::find(const std::string& path) const {
  std::lock_guard<std::mutex> g(mu_);
  auto it = pems_.find(path);
  if (it == pems_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> CertStore::paths() const {
  std::lock_guard<std::mutex> g(mu_);
  std::vector<std::string> out;
  for (const auto& [p, _] : pems_) out.push_back(p);
  return out;
}

bool CertStore::create(const std::string& path) {
  std::lock_guard<std::mutex> g(mu_);
  return pems_.emplace(path, std::string()).second;
}

void CertStore::set(const std::string& path, std::optional<std::string> text) {
  std::lock_guard<std::mutex> g(mu_);
  if (text)
    pems_[path] = std::move(*text);
  else
    pems_.erase(path);
}

}  // namespace hearth::net
