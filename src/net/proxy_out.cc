#include "net/proxy_out.h"

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdio>

#include "net/connection.h"
#include "net/transport.h"
#include "proxyproto/header.h"
#include "proxyproto/writer.h"

namespace hearth::net {
namespace {

namespace pp = proxyproto;

// The key algorithm of a certificate as HAProxy names it: "RSA2048",
// "EC256", else the short name of its type.
size_t key_algorithm(X509* cert, char* out, size_t cap) {
  EVP_PKEY* key = X509_get0_pubkey(cert);
  if (!key) return 0;
  int n;
  const int bits = EVP_PKEY_get_bits(key);
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA:
      n = std::snprintf(out, cap, "RSA%d", bits);
      break;
    case EVP_PKEY_EC:
      n = std::snprintf(out, cap, "EC%d", bits);
      break;
    case EVP_PKEY_DSA:
      n = std::snprintf(out, cap, "DSA%d", bits);
      break;
    default:
      n = std::snprintf(out, cap, "%s", OBJ_nid2sn(EVP_PKEY_get_base_id(key)));
  }
  return n > 0 && size_t(n) < cap ? size_t(n) : 0;
}

// The SSL TLV: whether the client spoke TLS, its certificate and its verify
// result, the version, and the details `opts` ask for.
void add_ssl_tlv(pp::V2Writer& w, SSL* ssl, uint16_t opts) {
  const size_t at = w.open(pp::kTlvSsl);
  uint8_t client = 0;
  uint32_t verify = 0;
  X509* cert = ssl ? SSL_get0_peer_certificate(ssl) : nullptr;
  if (ssl) {
    client |= 0x01;  // PP2_CLIENT_SSL
    if (cert) {
      client |= 0x04;                                // PP2_CLIENT_CERT_SESS
      if (!SSL_session_reused(ssl)) client |= 0x02;  // PP2_CLIENT_CERT_CONN
      verify = uint32_t(SSL_get_verify_result(ssl));
    }
  }
  const uint8_t head[5] = {client, uint8_t(verify >> 24), uint8_t(verify >> 16),
                           uint8_t(verify >> 8), uint8_t(verify)};
  w.put(head, sizeof head);
  if (ssl) {
    if (const char* v = SSL_get_version(ssl)) w.add(pp::kTlvSslVersion, v);
    if ((opts & kPpOptCertCn) && cert) {
      char cn[256];
      const int n =
          X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn);
      if (n > 0) w.add(pp::kTlvSslCn, std::string_view(cn, size_t(n)));
    }
    // As HAProxy: the key and signature algorithms of the certificate this
    // side presented (the bind line's), not the client's.
    X509* own = SSL_get_certificate(ssl);
    if ((opts & kPpOptCertKey) && own) {
      char key[64];
      if (const size_t n = key_algorithm(own, key, sizeof key))
        w.add(pp::kTlvSslKeyAlg, std::string_view(key, n));
    }
    if ((opts & kPpOptCertSig) && own)
      if (const char* sig = OBJ_nid2sn(X509_get_signature_nid(own))) w.add(pp::kTlvSslSigAlg, sig);
    if (opts & kPpOptSslCipher)
      if (const char* c = SSL_get_cipher_name(ssl)) w.add(pp::kTlvSslCipher, c);
  }
  w.close(at);
}

size_t build_v2(uint8_t* buf, size_t cap, uint16_t opts, const ProxySource& from) {
  pp::V2Writer w(buf, cap);
  w.begin(from.src ? from.src->sa() : nullptr, from.dst ? from.dst->sa() : nullptr);
  SSL* ssl = from.client && from.client->xprt ? from.client->xprt->ssl(from.client) : nullptr;
  // The client's ALPN, always (HAProxy 2.6 does too).
  if (ssl) {
    const unsigned char* alpn = nullptr;
    unsigned int alpn_len = 0;
    SSL_get0_alpn_selected(ssl, &alpn, &alpn_len);
    if (alpn_len)
      w.add(pp::kTlvAlpn, std::string_view(reinterpret_cast<const char*>(alpn), alpn_len));
  }
  if (opts & kPpOptAuthority) {
    // The authority the client's own PROXY header gave, else its SNI.
    std::string_view auth = from.authority;
    if (auth.empty() && ssl)
      if (const char* sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name)) auth = sni;
    if (!auth.empty()) w.add(pp::kTlvAuthority, auth.substr(0, pp::kMaxAuthority));
  }
  if ((opts & kPpOptUniqueId) && !from.unique_id.empty())
    w.add(pp::kTlvUniqueId, from.unique_id.substr(0, pp::kMaxUniqueId));
  if (opts & kPpOptSsl) add_ssl_tlv(w, ssl, opts);
  return w.finish(opts & kPpOptCrc32c);
}

void mix(uint64_t* h, const void* p, size_t n) {
  const auto* b = static_cast<const uint8_t*>(p);
  for (size_t i = 0; i < n; ++i) *h = (*h ^ b[i]) * 0x100000001B3ull;  // FNV-1a
}

}  // namespace

Pool<ProxyOut>& ProxyOut::pool() {
  static Pool<ProxyOut> p("proxy_header_out");
  return p;
}

bool queue_proxy_header(Connection* c, int version, uint16_t opts, const ProxySource& from) {
  ProxyOut* out = ProxyOut::pool().create();
  if (!out) return false;
  size_t n;
  if (version == 2) {
    n = build_v2(out->bytes, sizeof out->bytes, opts, from);
  } else {
    n = pp::write_v1(from.src ? from.src->sa() : nullptr, from.dst ? from.dst->sa() : nullptr,
                     reinterpret_cast<char*>(out->bytes), sizeof out->bytes);
  }
  if (n == 0) {
    ProxyOut::pool().destroy(out);
    return false;
  }
  out->len = uint16_t(n);
  out->sent = 0;
  ProxyOut::pool().destroy(c->pp_out);
  c->pp_out = out;
  return true;
}

uint64_t proxy_header_key(const ProxySource& from, uint16_t opts) {
  uint64_t h = 0xCBF29CE484222325ull;
  if (from.src) mix(&h, from.src->sa(), from.src->len);
  mix(&h, "|", 1);
  if (from.dst) mix(&h, from.dst->sa(), from.dst->len);
  if (opts & kPpOptUniqueId) mix(&h, from.unique_id.data(), from.unique_id.size());
  return h | 1;  // never 0: 0 means "no header"
}

ProxySendStatus send_proxy_out(Connection* c) {
  ProxyOut* out = c->pp_out;
  while (out->sent < out->len) {
    const ssize_t n = send(c->fd(), out->bytes + out->sent, out->len - out->sent, MSG_NOSIGNAL);
    if (n > 0) {
      out->sent = uint16_t(out->sent + n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      c->flags &= ~kConnSendReady;
      return ProxySendStatus::kPending;
    }
    return ProxySendStatus::kFailed;
  }
  ProxyOut::pool().destroy(out);
  c->pp_out = nullptr;
  return ProxySendStatus::kDone;
}

}  // namespace hearth::net
