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

ExtraFiles& extra() {
  static ExtraFiles e;
  return e;
}

}  // namespace

void set_extra_files(const ExtraFiles& e) { extra() = e; }
const ExtraFiles& extra_files() { return extra(); }

std::string key_file_of(const std::string& path) {
  const ExtraFiles& e = extra();
  if (!e.key) return "";
  // del_ext: only a ".crt" loses its extension (HAProxy's rule).
  const std::string crt = ".crt";
  if (e.del_ext && path.size() > crt.size() &&
      path.compare(path.size() - crt.size(), crt.size(), crt) == 0)
    return path.substr(0, path.size() - crt.size()) + ".key";
  return path + ".key";
}

PemStore& PemStore::certs() {
  static PemStore s("certificate file", true);
  return s;
}

PemStore& PemStore::ca_files() {
  static PemStore s("CA file", false);
  return s;
}

PemStore& PemStore::crl_files() {
  static PemStore s("CRL file", false);
  return s;
}

std::optional<std::string> PemStore::pem(const std::string& path, std::string* err,
                                          bool* from_file) {
  *from_file = false;
  if (std::optional<std::string> have = find(path)) {
    if (!have->empty()) return have;
    *err = "'" + path + "' is empty (made by \"new ssl ...\" and not committed)";
    return std::nullopt;
  }
  if (frozen_) {
    *err = "unable to load " + path + ": no " + what_ + " of that name was loaded at start";
    return std::nullopt;
  }
  std::optional<std::string> text = slurp(path);
  if (!text) {
    *err = std::string(with_key_ ? "cannot open " : "cannot load ") + what_ + " '" + path +
           "': " + std::strerror(errno);
    return std::nullopt;
  }
  const std::string key_path = with_key_ ? key_file_of(path) : "";
  if (!key_path.empty() && text->find("PRIVATE KEY-----") == std::string::npos)
    if (std::optional<std::string> key = slurp(key_path)) {
      if (!text->empty() && text->back() != '\n') *text += '\n';
      *text += *key;
    }
  *from_file = true;
  return text;
}

void PemStore::keep(const std::string& path, const std::string& text) {
  std::lock_guard<std::mutex> g(mu_);
  pems_.emplace(path, text);
}

std::optional<std::string> PemStore::find(const std::string& path) const {
  std::lock_guard<std::mutex> g(mu_);
  auto it = pems_.find(path);
  if (it == pems_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> PemStore::paths() const {
  std::lock_guard<std::mutex> g(mu_);
  std::vector<std::string> out;
  for (const auto& [p, _] : pems_) out.push_back(p);
  return out;
}

bool PemStore::create(const std::string& path) {
  std::lock_guard<std::mutex> g(mu_);
  return pems_.emplace(path, std::string()).second;
}

void PemStore::set(const std::string& path, std::optional<std::string> text) {
  std::lock_guard<std::mutex> g(mu_);
  if (text)
    pems_[path] = std::move(*text);
  else
    pems_.erase(path);
}

}  // namespace hearth::net
