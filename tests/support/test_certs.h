#pragma once
// Certificates made at test time with the openssl command (never committed
// keys): a CA, server certificates with chosen names and key types, client
// certificates signed by a CA.
#include <string>
#include <vector>

#include "support/temp_dir.h"

namespace hearth::test {

enum class KeyType { kRsa, kEcdsa };

class TestCerts {
 public:
  // Makes a CA called `ca_name` in a fresh directory.
  explicit TestCerts(const std::string& ca_name = "Test CA");

  // Makes a certificate for `cn` with the subjectAltName DNS names `sans`
  // (none: the CN alone names it), signed by this CA, written as one PEM
  // (certificate, CA as chain, key) at `file` under dir() ("sub/x.pem"
  // makes sub/), or as the certificate in `file` and its key in `file`.key
  // when `key_apart`.
  // Returns: the PEM's path, or "" if openssl failed (see last_error()).
  std::string server(const std::string& file, const std::string& cn,
                     const std::vector<std::string>& sans, KeyType type = KeyType::kRsa,
                     bool key_apart = false);
  // Makes a client certificate for `cn`: `file`.pem (certificate) and
  // `file`.key. Returns: the certificate's path, or "".
  std::string client(const std::string& file, const std::string& cn);

  // Makes a revocation list of this CA at `file` under dir() (PEM),
  // revoking the certificates at the paths in `revoked` (made by this CA).
  // Returns: its path, or "" if openssl failed (see last_error()).
  std::string crl(const std::string& file, const std::vector<std::string>& revoked);

  const std::string& ca_pem() const { return ca_pem_; }
  const std::string& dir() const { return dir_.path(); }
  const std::string& last_error() const { return error_; }

 private:
  // Makes a key and a certificate signed by the CA. Returns: false on failure.
  bool make(const std::string& stem, const std::string& subject, const std::string& ext,
            KeyType type);
  TempDir dir_;
  std::string ca_pem_, ca_key_;
  std::string error_;
  int serial_ = 4096;
};

}  // namespace hearth::test
