#include "stream/ssl_fetch.h"

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <string>

#include "net/connection.h"
#include "net/transport.h"

namespace hearth::stream {
namespace {

using expr::FetchId;

// Per-thread storage for the computed strings, one per fetch, so that two
// different fetches of one expression or log line do not overwrite each other.
std::string& scratch(FetchId id) {
  static thread_local std::string slots[size_t(FetchId::kSslCSha1) - size_t(FetchId::kSslFc) + 1];
  return slots[size_t(id) - size_t(FetchId::kSslFc)];
}

std::string_view asn1_text(const ASN1_STRING* s) {
  return {reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), size_t(ASN1_STRING_length(s))};
}

// A distinguished name as "/C=FR/O=Example/CN=name" (entries in order,
// short names, values as they are).
void dn_oneline(const X509_NAME* name, std::string* out) {
  for (int i = 0; i < X509_NAME_entry_count(name); ++i) {
    const X509_NAME_ENTRY* e = X509_NAME_get_entry(name, i);
    const int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));
    out->push_back('/');
    out->append(nid == NID_undef ? "UNDEF" : OBJ_nid2sn(nid));
    out->push_back('=');
    out->append(asn1_text(X509_NAME_ENTRY_get_data(e)));
  }
}

// The DN fetches: the whole name (oneline, or RFC 2253 when asked), or the
// occ-th value of one entry (from the end when negative; the first if 0).
bool fetch_dn(const X509_NAME* name, const expr::Arg* args, size_t nargs, std::string* out) {
  const std::string entry = nargs > 0 ? args[0].str : "";
  const int64_t occ = nargs > 1 ? args[1].sint : 0;
  const bool rfc2253 = nargs > 2 && args[2].str == "rfc2253";
  out->clear();
  if (entry.empty()) {
    if (!rfc2253) {
      dn_oneline(name, out);
      return !out->empty();
    }
    BIO* b = BIO_new(BIO_s_mem());
    X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253);
    char* p = nullptr;
    const long n = BIO_get_mem_data(b, &p);
    out->assign(p, size_t(n));
    BIO_free(b);
    return !out->empty();
  }
  const int count = X509_NAME_entry_count(name);
  int64_t want = occ == 0 ? 1 : occ < 0 ? -occ : occ;
  for (int k = 0; k < count; ++k) {
    const int i = occ < 0 ? count - 1 - k : k;
    const X509_NAME_ENTRY* e = X509_NAME_get_entry(name, i);
    const int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));
    if (nid == NID_undef || (entry != OBJ_nid2sn(nid) && entry != OBJ_nid2ln(nid))) continue;
    if (--want > 0) continue;
    out->assign(asn1_text(X509_NAME_ENTRY_get_data(e)));
    return true;
  }
  return false;
}

// The client certificate fetches. Returns: false without one.
bool fetch_cert(const expr::FetchDef& def, const expr::Arg* args, size_t nargs, SSL* ssl,
                expr::Sample& out) {
  X509* cert = SSL_get0_peer_certificate(ssl);
  if (!cert) return false;
  std::string& s = scratch(def.id);
  switch (def.id) {
    case FetchId::kSslCSDn:
    case FetchId::kSslCIDn: {
      const X509_NAME* n =
          def.id == FetchId::kSslCSDn ? X509_get_subject_name(cert) : X509_get_issuer_name(cert);
      if (!fetch_dn(n, args, nargs, &s)) return false;
      out.set_str(s);
      return true;
    }
    case FetchId::kSslCSerial:
      s.assign(asn1_text(X509_get0_serialNumber(cert)));
      out.set_bin(s);
      return true;
    case FetchId::kSslCNotafter: {
      // YYMMDDhhmmssZ: a GeneralizedTime loses its century, as in UTCTime.
      const ASN1_TIME* t = X509_get0_notAfter(cert);
      std::string_view v = asn1_text(t);
      if (ASN1_STRING_type(t) == V_ASN1_GENERALIZEDTIME && v.size() > 2) v.remove_prefix(2);
      s.assign(v);
      out.set_str(s);
      return true;
    }
    case FetchId::kSslCSha1: {
      unsigned char md[EVP_MAX_MD_SIZE];
      unsigned int len = 0;
      if (X509_digest(cert, EVP_sha1(), md, &len) != 1) return false;
      s.assign(reinterpret_cast<const char*>(md), len);
      out.set_bin(s);
      return true;
    }
    default:
      return false;
  }
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

bool fetch_ssl(const expr::FetchDef& def, const expr::Arg* args, size_t nargs,
               const net::Connection* client, expr::Sample& out) {
  SSL* ssl = client && client->xprt ? client->xprt->ssl(client) : nullptr;
  if (def.id == FetchId::kSslFc) {
    out.set_bool(ssl != nullptr);
    return true;
  }
  if (!ssl) return false;
  switch (def.id) {
    case FetchId::kSslCUsed:
      out.set_bool(SSL_get0_peer_certificate(ssl) != nullptr);
      return true;
    case FetchId::kSslCVerify:
      out.set_sint(SSL_get_verify_result(ssl));
      return true;
    case FetchId::kSslCSDn:
    case FetchId::kSslCIDn:
    case FetchId::kSslCSerial:
    case FetchId::kSslCNotafter:
    case FetchId::kSslCSha1:
      return fetch_cert(def, args, nargs, ssl, out);
    default:
      return fetch_session(def.id, ssl, out);
  }
}

bool fetch_ssl_bc(const expr::FetchDef& def, const net::Connection* server, expr::Sample& out) {
  SSL* ssl = server && server->xprt ? server->xprt->ssl(server) : nullptr;
  if (def.id == FetchId::kSslBc) {
    out.set_bool(ssl != nullptr);
    return true;
  }
  if (!ssl) return false;
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
