#include "net/tls_client_context.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "net/tls_pem.h"

namespace hearth::net {

TlsClientContext::~TlsClientContext() {
  for (Slot& s : slots_) SSL_SESSION_free(s.session);
  SSL_CTX_free(ctx_);
}

std::unique_ptr<TlsClientContext> TlsClientContext::build(const TlsClientSettings& s,
                                                          std::string* err) {
  std::unique_ptr<TlsClientContext> t(new TlsClientContext());
  t->settings_ = s;
  SSL_CTX* ctx = t->ctx_ = SSL_CTX_new(TLS_client_method());
  auto fail = [&](const std::string& what) {
    *err = what + ": " + openssl_error();
    return nullptr;
  };
  if (!ctx) return fail("cannot create a TLS context");
  if (!set_common_ctx(ctx, s.no_tickets ? SSL_OP_NO_TICKET : 0, s.min_version, s.max_version,
                      s.ciphers, s.ciphersuites, err))
    return nullptr;
  if (!s.ca_file.empty() && !load_ca_file(ctx, s.ca_file, false, err)) return nullptr;
  if (!s.crl_file.empty() && !load_crl_file(ctx, s.crl_file, err)) return nullptr;
  SSL_CTX_set_verify(ctx, s.verify == TlsVerify::kNone ? SSL_VERIFY_NONE : SSL_VERIFY_PEER,
                     nullptr);
  if (!s.crt.empty()) {
    Pem pem;
    if (!read_pem(s.crt, &pem, err)) return nullptr;
    if (SSL_CTX_use_cert_and_key(ctx, pem.cert, pem.key, pem.chain, 1) != 1)
      return fail("OpenSSL refuses the client certificate of '" + s.crt + "'");
  }
  if (!s.alpn.empty()) {
    const std::string wire = alpn_wire(s.alpn);
    // The one OpenSSL call that returns 0 on success.
    if (SSL_CTX_set_alpn_protos(ctx, reinterpret_cast<const unsigned char*>(wire.data()),
                                unsigned(wire.size())) != 0)
      return fail("OpenSSL refuses the ALPN list");
  }
  SSL_CTX_set_app_data(ctx, t.get());
  if (s.session_reuse) {
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_sess_set_new_cb(ctx, &TlsClientContext::on_new_session);
  } else {
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
  }
  return t;
}

SSL* TlsClientContext::new_ssl() const { return SSL_new(ctx_); }

bool TlsClientContext::prepare(SSL* ssl, std::string_view sni) const {
  const std::string name(sni);
  if (!name.empty() && SSL_set_tlsext_host_name(ssl, name.c_str()) != 1) return false;
  const std::string& host = name.empty() ? settings_.verifyhost : name;
  if (settings_.verify == TlsVerify::kRequired && !host.empty()) {
    SSL_set_hostflags(ssl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    if (SSL_set1_host(ssl, host.c_str()) != 1) return false;
  }
  const int t = thread_index();
  if (settings_.session_reuse && t >= 0 && t < kMaxThreads) {
    // Each connection resumes from its own copy, as OpenSSL marks the session
    // of a connection that ends without our close_notify unresumable.
    const Slot& slot = slots_[t];
    SSL_SESSION* copy = slot.session && slot.sni == name ? SSL_SESSION_dup(slot.session) : nullptr;
    if (copy && SSL_set_session(ssl, copy) != 1) ERR_clear_error();  // a full handshake instead
    SSL_SESSION_free(copy);
  }
  return true;
}

int TlsClientContext::on_new_session(SSL* ssl, SSL_SESSION* sess) {
  auto* self = static_cast<TlsClientContext*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)));
  const int t = thread_index();
  if (!self || t < 0 || t >= kMaxThreads) return 0;
  // A copy: OpenSSL marks the connection's own session unresumable when the
  // connection ends without our close_notify (a server that closed first).
  SSL_SESSION* copy = SSL_SESSION_dup(sess);
  if (!copy) return 0;
  Slot& slot = self->slots_[t];
  SSL_SESSION_free(slot.session);
  slot.session = copy;
  const char* sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  slot.sni = sni ? sni : "";
  return 0;  // sess stays OpenSSL's
}

}  // namespace hearth::net
