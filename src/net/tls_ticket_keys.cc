#include "net/tls_ticket_keys.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstring>

namespace hearth::net {
namespace {

// The index of the SSL_CTX ex_data slot that points to its TlsTicketKeys.
int ex_index() {
  static const int idx = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return idx;
}

// Sets up the cipher and the MAC of `k` (AES-CBC of its size, HMAC-SHA256).
// Returns: false if OpenSSL failed.
bool init_key(const TlsTicketKey& k, unsigned char* iv, EVP_CIPHER_CTX* cipher, EVP_MAC_CTX* mac,
              bool enc) {
  const EVP_CIPHER* c = k.aes.size() == 16 ? EVP_aes_128_cbc() : EVP_aes_256_cbc();
  const auto* key = reinterpret_cast<const unsigned char*>(k.aes.data());
  if ((enc ? EVP_EncryptInit_ex(cipher, c, nullptr, key, iv)
           : EVP_DecryptInit_ex(cipher, c, nullptr, key, iv)) != 1)
    return false;
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                         OSSL_PARAM_construct_end()};
  return EVP_MAC_init(mac, reinterpret_cast<const unsigned char*>(k.hmac.data()), k.hmac.size(),
                      params) == 1;
}

}  // namespace

TlsTicketKeys::TlsTicketKeys(const std::vector<TlsTicketKey>& keys, std::string file)
    : file_(std::move(file)) {
  auto ring = std::make_shared<Ring>();
  // As the file is read: line i goes to slot i % 3; the penultimate encrypts.
  for (size_t i = 0; i < keys.size(); ++i) ring->keys[i % kInUse] = keys[i];
  ring->enc = (keys.size() - 2) % kInUse;
  ring_.store(std::move(ring));
}

bool TlsTicketKeys::install(SSL_CTX* ctx) {
  SSL_CTX_set_ex_data(ctx, ex_index(), this);
  return SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, &TlsTicketKeys::on_ticket) == 1;
}

bool TlsTicketKeys::rotate(const TlsTicketKey& key) {
  std::shared_ptr<const Ring> old = ring_.load();
  if (key.aes.size() != old->keys[0].aes.size()) return false;
  auto next = std::make_shared<Ring>(*old);
  next->keys[(old->enc + 2) % kInUse] = key;
  next->enc = (old->enc + 1) % kInUse;
  ring_.store(std::move(next));
  return true;
}

// OpenSSL's ticket callback. Returns: 1 (key set up), 2 (decrypted with a
// key that no longer encrypts: issue a new ticket), 0 (unknown key: full
// handshake), -1 (error).
int TlsTicketKeys::on_ticket(SSL* ssl, unsigned char* name, unsigned char* iv,
                             EVP_CIPHER_CTX* cipher, EVP_MAC_CTX* mac, int enc) {
  // Tickets belong to the session context: the one the SSL was made from.
  SSL_CTX* ctx = SSL_get_SSL_CTX(ssl);
  auto* self = static_cast<TlsTicketKeys*>(SSL_CTX_get_ex_data(ctx, ex_index()));
  if (!self) return enc ? -1 : 0;
  const std::shared_ptr<const Ring> r = self->ring_.load();
  if (enc) {
    const TlsTicketKey& k = r->keys[r->enc];
    std::memcpy(name, k.name.data(), 16);
    if (RAND_bytes(iv, EVP_MAX_IV_LENGTH) != 1) return -1;
    return init_key(k, iv, cipher, mac, true) ? 1 : -1;
  }
  for (size_t i = 0; i < kInUse; ++i) {
    const TlsTicketKey& k = r->keys[(r->enc + i) % kInUse];
    if (std::memcmp(name, k.name.data(), 16) != 0) continue;
    if (!init_key(k, iv, cipher, mac, false)) return -1;
    return i == 0 ? 1 : 2;
  }
  return 0;
}

}  // namespace hearth::net
