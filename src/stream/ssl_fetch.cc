#include "stream/ssl_fetch.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <optional>
#include <string>

#include "net/connection.h"
#include "net/tls_transport.h"
#include "net/transport.h"
#include "stream/ssl_cert_fetch.h"
#include "stream/ssl_hello_fetch.h"

namespace hearth::stream {
namespace {

using expr::FetchId;

// Per-thread storage for the computed strings, one per fetch, so that two
// different fetches of one expression or log line do not overwrite each other.
std::string& scratch(FetchId id) {
  static thread_local std::string
      slots[size_t(FetchId::kSslSVersion) - size_t(FetchId::kSslFc) + 1];
  return slots[size_t(id) - size_t(FetchId::kSslFc)];
}

// Whose certificate a certificate fetch reads.
enum class CertOf : uint8_t { kPeer, kOwn };

struct CertFetch {
  CertOf of;
  CertField field;
};

// The certificate fetches of either side, by id; nullopt: another fetch.
std::optional<CertFetch> cert_fetch(FetchId id) {
  using F = CertField;
  switch (id) {
    case FetchId::kSslCDer:
    case FetchId::kSslSDer:
      return CertFetch{CertOf::kPeer, F::kDer};
    case FetchId::kSslCChainDer:
    case FetchId::kSslSChainDer:
      return CertFetch{CertOf::kPeer, F::kChainDer};
    case FetchId::kSslCKeyAlg:
    case FetchId::kSslSKeyAlg:
      return CertFetch{CertOf::kPeer, F::kKeyAlg};
    case FetchId::kSslCNotafter:
    case FetchId::kSslSNotafter:
      return CertFetch{CertOf::kPeer, F::kNotAfter};
    case FetchId::kSslCNotbefore:
    case FetchId::kSslSNotbefore:
      return CertFetch{CertOf::kPeer, F::kNotBefore};
    case FetchId::kSslCIDn:
    case FetchId::kSslSIDn:
      return CertFetch{CertOf::kPeer, F::kIssuerDn};
    case FetchId::kSslCSDn:
    case FetchId::kSslSSDn:
      return CertFetch{CertOf::kPeer, F::kSubjectDn};
    case FetchId::kSslCSerial:
    case FetchId::kSslSSerial:
      return CertFetch{CertOf::kPeer, F::kSerial};
    case FetchId::kSslCSha1:
    case FetchId::kSslSSha1:
      return CertFetch{CertOf::kPeer, F::kSha1};
    case FetchId::kSslCSigAlg:
    case FetchId::kSslSSigAlg:
      return CertFetch{CertOf::kPeer, F::kSigAlg};
    case FetchId::kSslCVersion:
    case FetchId::kSslSVersion:
      return CertFetch{CertOf::kPeer, F::kVersion};
    case FetchId::kSslFDer:
      return CertFetch{CertOf::kOwn, F::kDer};
    case FetchId::kSslFKeyAlg:
      return CertFetch{CertOf::kOwn, F::kKeyAlg};
    case FetchId::kSslFNotafter:
      return CertFetch{CertOf::kOwn, F::kNotAfter};
    case FetchId::kSslFNotbefore:
      return CertFetch{CertOf::kOwn, F::kNotBefore};
    case FetchId::kSslFIDn:
      return CertFetch{CertOf::kOwn, F::kIssuerDn};
    case FetchId::kSslFSDn:
      return CertFetch{CertOf::kOwn, F::kSubjectDn};
    case FetchId::kSslFSerial:
      return CertFetch{CertOf::kOwn, F::kSerial};
    case FetchId::kSslFSha1:
      return CertFetch{CertOf::kOwn, F::kSha1};
    case FetchId::kSslFSigAlg:
      return CertFetch{CertOf::kOwn, F::kSigAlg};
    case FetchId::kSslFVersion:
      return CertFetch{CertOf::kOwn, F::kVersion};
    default:
      return std::nullopt;
  }
}

bool fetch_cert(const CertFetch& f, FetchId id, const expr::Arg* args, size_t nargs, SSL* ssl,
                expr::Sample& out) {
  X509* cert = f.of == CertOf::kPeer ? SSL_get0_peer_certificate(ssl) : SSL_get_certificate(ssl);
  return fetch_cert_field(f.field, cert, ssl, args, nargs, &scratch(id), out);
}

// The fetches about the session itself, shared by both sides (ssl_fc_* and
// their ssl_bc_* counterparts, `id` being the ssl_fc_* one).
// Returns: false when there is no value.
bool fetch_session(FetchId id, SSL* ssl, expr::Sample& out) {
  switch (id) {
    case FetchId::kSslFcSni: {
      const char* sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
      if (!sni) return false;
      out.set_str(sni);
      return true;
    }
    case FetchId::kSslFcProtocol:
      out.set_str(SSL_get_version(ssl));
      return true;
    case FetchId::kSslFcCipher: {
      const SSL_CIPHER* c = SSL_get_current_cipher(ssl);
      if (!c) return false;
      out.set_str(SSL_CIPHER_get_name(c));
      return true;
    }
    case FetchId::kSslFcAlpn: {
      const unsigned char* p = nullptr;
      unsigned int len = 0;
      SSL_get0_alpn_selected(ssl, &p, &len);
      if (!p || !len) return false;
      out.set_str(std::string_view(reinterpret_cast<const char*>(p), len));
      return true;
    }
    case FetchId::kSslFcSessionReused:
      out.set_bool(SSL_session_reused(ssl) == 1);
      return true;
    case FetchId::kSslFcUseKeysize: {
      const SSL_CIPHER* c = SSL_get_current_cipher(ssl);
      if (!c) return false;
      out.set_sint(SSL_CIPHER_get_bits(c, nullptr));
      return true;
    }
    default:
      return false;
  }
}

}  // namespace

bool openssl_error_sample(unsigned long e, expr::Sample& out) {
  if (!e) return false;
  expr::Chunk c = expr::next_chunk();
  if (c.size < 2) return false;
  ERR_error_string_n(e, c.data, c.size);
  out.set_str(std::string_view(c.data));
  return true;
}

bool fetch_ssl(const expr::FetchDef& def, const expr::Arg* args, size_t nargs,
               const net::Connection* client, expr::Sample& out) {
  SSL* ssl = client && client->xprt ? client->xprt->ssl(client) : nullptr;
  switch (def.id) {
    case FetchId::kSslFc:
      out.set_bool(ssl != nullptr);
      return true;
    case FetchId::kFcErr:  // 0 on any connection that got this far without error
      if (!client) return false;
      out.set_sint(net::tls_failure_code(net::tls_failure(client)));
      return true;
    case FetchId::kFcErrStr: {
      if (!client) return false;
      const net::TlsFailure f = net::tls_failure(client);
      out.set_str(f == net::TlsFailure::kNone ? "Success" : net::tls_failure_message(f));
      return true;
    }
    case FetchId::kSslFcSessionReused:  // false on a plain connection, as HAProxy
      out.set_bool(ssl && SSL_session_reused(ssl) == 1);
      return true;
    default:
      break;
  }
  if (!ssl) return false;
  if (const auto f = cert_fetch(def.id)) return fetch_cert(*f, def.id, args, nargs, ssl, out);
  switch (def.id) {
    case FetchId::kSslFcErr:
      out.set_sint(int64_t(net::tls_ssl_error(client)));
      return true;
    case FetchId::kSslFcErrStr:
      return openssl_error_sample(net::tls_ssl_error(client), out);
    case FetchId::kSslCUsed:
      out.set_bool(SSL_get0_peer_certificate(ssl) != nullptr);
      return true;
    case FetchId::kSslCVerify:
      out.set_sint(SSL_get_verify_result(ssl));
      return true;
    case FetchId::kSslCErr:
      out.set_sint(net::tls_verify_errors(client).crt_err);
      return true;
    case FetchId::kSslCCaErr:
      out.set_sint(net::tls_verify_errors(client).ca_err);
      return true;
    case FetchId::kSslCCaErrDepth:
      out.set_sint(net::tls_verify_errors(client).ca_err_depth);
      return true;
    case FetchId::kSslFcCipherlistBin:
    case FetchId::kSslFcCipherlistHex:
    case FetchId::kSslFcCipherlistStr:
    case FetchId::kSslFcCipherlistXxh:
    case FetchId::kSslFcExtlistBin:
    case FetchId::kSslFcEclistBin:
    case FetchId::kSslFcEcformatsBin:
    case FetchId::kSslFcProtocolHelloId:
      return fetch_hello(def.id, args, nargs, ssl, &scratch(def.id), out);
    default:
      return fetch_session(def.id, ssl, out);
  }
}

bool fetch_ssl_bc(const expr::FetchDef& def, const expr::Arg* args, size_t nargs,
                  const net::Connection* server, expr::Sample& out) {
  SSL* ssl = server && server->xprt ? server->xprt->ssl(server) : nullptr;
  if (def.id == FetchId::kSslBc) {
    out.set_bool(ssl != nullptr);
    return true;
  }
  if (!ssl) return false;
  if (const auto f = cert_fetch(def.id)) return fetch_cert(*f, def.id, args, nargs, ssl, out);
  switch (def.id) {
    case FetchId::kSslBcProtocol:
      return fetch_session(FetchId::kSslFcProtocol, ssl, out);
    case FetchId::kSslBcCipher:
      return fetch_session(FetchId::kSslFcCipher, ssl, out);
    case FetchId::kSslBcAlpn:
      return fetch_session(FetchId::kSslFcAlpn, ssl, out);
    case FetchId::kSslBcSessionReused:
      return fetch_session(FetchId::kSslFcSessionReused, ssl, out);
    case FetchId::kSslBcUseKeysize:
      return fetch_session(FetchId::kSslFcUseKeysize, ssl, out);
    case FetchId::kSslBcAlgKeysize: {
      const SSL_CIPHER* c = SSL_get_current_cipher(ssl);
      if (!c) return false;
      int alg = 0;
      SSL_CIPHER_get_bits(c, &alg);
      out.set_sint(alg);
      return true;
    }
    default:
      return false;
  }
}

}  // namespace hearth::stream
