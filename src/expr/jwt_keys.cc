#include "expr/jwt_keys.h"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <map>
#include <memory>

namespace hearth::expr {
namespace {

struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};

// Written only while a configuration loads, before workers run; read after.
std::map<std::string, std::unique_ptr<EVP_PKEY, KeyFree>, std::less<>>& keys() {
  static auto* m = new std::map<std::string, std::unique_ptr<EVP_PKEY, KeyFree>, std::less<>>();
  return *m;
}

EVP_PKEY* read_key(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "r");
  if (!f) return nullptr;
  EVP_PKEY* key = nullptr;
  if (X509* crt = PEM_read_X509(f, nullptr, nullptr, nullptr)) {
    key = X509_get_pubkey(crt);
    X509_free(crt);
  } else {
    std::rewind(f);
    key = PEM_read_PUBKEY(f, nullptr, nullptr, nullptr);
  }
  std::fclose(f);
  return key;
}

}  // namespace

bool load_jwt_key(const std::string& path, std::string* err) {
  if (keys().count(path)) return true;
  EVP_PKEY* key = read_key(path);
  if (!key) {
    *err = "cannot read a certificate or public key from '" + path + "'";
    return false;
  }
  keys().emplace(path, std::unique_ptr<EVP_PKEY, KeyFree>(key));
  return true;
}

EVP_PKEY* find_jwt_key(std::string_view path) {
  const auto it = keys().find(path);
  return it == keys().end() ? nullptr : it->second.get();
}

}  // namespace hearth::expr
