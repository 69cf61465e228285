#pragma once
// SHA-256 through OpenSSL's EVP interface, for checking bytes end to end.
#include <string>
#include <string_view>

typedef struct evp_md_ctx_st EVP_MD_CTX;

namespace hearth::test {

// Streaming SHA-256. Feed with update(), then call hex_digest() once.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view data);
  // Returns: the digest of everything fed so far as 64 lowercase hex digits.
  // Requires: called at most once; update() must not follow it.
  std::string hex_digest();
  // Returns: total bytes fed to update().
  size_t size() const { return size_; }

 private:
  EVP_MD_CTX* ctx_;
  size_t size_ = 0;
};

// Returns: SHA-256 of data as 64 lowercase hex digits.
std::string sha256_hex(std::string_view data);

}  // namespace hearth::test
