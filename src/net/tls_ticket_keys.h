#pragma once
// The session ticket keys of a bind line (tls-ticket-keys): three keys in
// use, the file's last three; the middle one (the penultimate of the file)
// encrypts new tickets, all three decrypt. A ticket made with a key that no
// longer encrypts is accepted and replaced by a new one. Keys may be rotated
// at runtime ("set ssl tls-key"); handshakes on any thread read a published
// snapshot, so a rotation never blocks them.
#include <openssl/ssl.h>

#include <array>
#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "net/tls_settings.h"

namespace hearth::net {

class TlsTicketKeys {
 public:
  static constexpr size_t kInUse = 3;
  struct Ring {
    std::array<TlsTicketKey, kInUse> keys;
    size_t enc = 0;  // the slot that encrypts
  };

  // `keys`: at least kInUse keys of one size, in file order.
  TlsTicketKeys(const std::vector<TlsTicketKey>& keys, std::string file);

  // Makes `ctx` use these keys for the tickets it issues and accepts.
  // Returns: false if OpenSSL refused the callback.
  bool install(SSL_CTX* ctx);
  // Returns: the keys in use now.
  std::shared_ptr<const Ring> snapshot() const { return ring_.load(); }
  // Adds `key` as the newest key: it replaces the oldest, and the key before
  // it starts encrypting. Returns: false if its size is not the others'.
  bool rotate(const TlsTicketKey& key);
  const std::string& file() const { return file_; }

 private:
  static int on_ticket(SSL* ssl, unsigned char* name, unsigned char* iv, EVP_CIPHER_CTX* cipher,
                       EVP_MAC_CTX* mac, int enc);
  std::atomic<std::shared_ptr<const Ring>> ring_;
  std::string file_;
};

}  // namespace hearth::net
