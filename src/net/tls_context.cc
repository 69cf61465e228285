#include "net/tls_context.h"

#include <dirent.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstring>

#include "net/cert_store.h"
#include "net/tls_pem.h"
#include "net/tls_stats.h"

namespace hearth::net {
namespace {

// Returns: the names a certificate answers for, as HAProxy indexes them: the
// DNS names of its subjectAltName, then every CN of its subject, normalized.
std::vector<std::string> cert_names(X509* cert) {
  std::vector<std::string> out;
  auto text = [](const ASN1_STRING* s) {
    return normalize_server_name(std::string_view(
        reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), size_t(ASN1_STRING_length(s))));
  };
  auto* sans =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; sans && i < sk_GENERAL_NAME_num(sans); ++i) {
    const GENERAL_NAME* g = sk_GENERAL_NAME_value(sans, i);
    if (g->type == GEN_DNS) out.push_back(text(g->d.dNSName));
  }
  GENERAL_NAMES_free(sans);
  X509_NAME* subject = X509_get_subject_name(cert);
  for (int at = -1; (at = X509_NAME_get_index_by_NID(subject, NID_commonName, at)) >= 0;)
    out.push_back(text(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, at))));
  return out;
}

// The signature a certificate's key makes, for choosing among the
// certificates of one name by what the client accepts.
enum KeySig { kSigRsa = 0, kSigEcdsa = 1, kSigOther = 2 };

KeySig key_sig(EVP_PKEY* k) {
  switch (EVP_PKEY_get_base_id(k)) {
    case EVP_PKEY_RSA:
      return kSigRsa;
    case EVP_PKEY_EC:
      return kSigEcdsa;
    default:
      return kSigOther;
  }
}

// What the ClientHello accepts: RSA and/or ECDSA signatures. From the
// signature_algorithms extension (the signature byte of each pair: 1 RSA,
// 3 ECDSA); without it (before TLS 1.2), RSA. ECDSA also needs an ECDSA
// cipher suite among the client's.
void client_signatures(SSL* ssl, bool* rsa, bool* ecdsa) {
  *rsa = *ecdsa = false;
  const unsigned char* ext = nullptr;
  size_t len = 0;
  if (SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_signature_algorithms, &ext, &len) != 1 ||
      !sigalgs_from_extension(ext, len, rsa, ecdsa))
    *rsa = true;
  if (!*ecdsa) return;
  *ecdsa = false;
  const unsigned char* ciphers = nullptr;
  const size_t clen = SSL_client_hello_get0_ciphers(ssl, &ciphers);
  for (size_t i = 0; i + 1 < clen && !*ecdsa; i += 2) {
    const SSL_CIPHER* c = SSL_CIPHER_find(ssl, ciphers + i);
    if (!c) continue;
    // As HAProxy 2.6: only a TLS 1.2 ECDSA suite counts; TLS 1.3 suites
    // ("any" authentication) do not, so a TLS 1.3-only client gets RSA.
    *ecdsa = SSL_CIPHER_get_auth_nid(c) == NID_auth_ecdsa;
  }
}

// Returns: the RFC 7919 group of `bits` bits (2048 at least: the smallest
// such group), as DH parameters.
EVP_PKEY* named_dh(int bits) {
  const char* group = bits >= 4096 ? "ffdhe4096" : bits >= 3072 ? "ffdhe3072" : "ffdhe2048";
  EVP_PKEY_CTX* pc = EVP_PKEY_CTX_new_from_name(nullptr, "DH", nullptr);
  EVP_PKEY* k = nullptr;
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("group", const_cast<char*>(group), 0),
                         OSSL_PARAM_construct_end()};
  if (pc && EVP_PKEY_paramgen_init(pc) > 0 && EVP_PKEY_CTX_set_params(pc, params) > 0)
    EVP_PKEY_paramgen(pc, &k);
  EVP_PKEY_CTX_free(pc);
  return k;
}

// Returns: true for a directory entry that is a certificate to load.
bool is_cert_entry(const std::string& name) {
  if (name.empty() || name[0] == '.') return false;
  for (const char* ext : {".key", ".issuer", ".ocsp", ".sctl"}) {
    const size_t n = std::strlen(ext);
    if (name.size() >= n && name.compare(name.size() - n, n, ext) == 0) return false;
  }
  return true;
}

}  // namespace

bool TlsServerContext::Loaded::read(const std::string& file, const std::string& pem,
                                    std::string* err) {
  Pem p;
  if (!read_pem(file, &p, err, &pem)) return false;
  path = file;
  cert = p.cert;
  chain = p.chain;
  p.cert = nullptr;
  p.chain = nullptr;
  return true;
}

bool TlsServerContext::Loaded::read_cert(const std::string& file, const std::string& pem,
                                         std::string* err) {
  PemObjects o;
  if (!parse_pem_objects(pem, &o) || sk_X509_num(o.certs) == 0) {
    *err = "no certificate found in '" + file + "'";
    return false;
  }
  path = file;
  cert = sk_X509_shift(o.certs);
  chain = o.certs;
  o.certs = sk_X509_new_null();
  return true;
}

void TlsServerContext::Loaded::clear() {
  X509_free(cert);
  sk_X509_pop_free(chain, X509_free);
  cert = nullptr;
  chain = nullptr;
}

TlsServerContext::~TlsServerContext() {
  for (auto& g : groups_) SSL_CTX_free(g->ctx);
  for (Loaded& l : loaded_) l.clear();
  SSL_CTX_free(base_);
}

std::unique_ptr<TlsServerContext> TlsServerContext::build(const TlsBindSettings& s,
                                                          std::shared_ptr<TlsTicketKeys> keys,
                                                          std::string* err) {
  std::unique_ptr<TlsServerContext> t(new TlsServerContext());
  t->settings_ = s;
  t->ticket_keys_ = std::move(keys);
  t->base_group_.settings = &t->settings_;
  t->base_ = t->new_ctx(t->settings_, &t->base_group_, err);
  if (!t->base_) return nullptr;
  for (const TlsCertEntry& e : t->settings_.certs) {
    if (!t->add_cert_entry(e, err)) {
      if (!e.origin().empty()) *err = "crt-list " + e.origin() + ": " + *err;
      return nullptr;
    }
  }
  if (t->groups_.empty()) {
    *err = "no certificate loaded: 'ssl' needs at least one 'crt' with a certificate";
    return nullptr;
  }
  return t;
}

bool TlsServerContext::add_cert_entry(const TlsCertEntry& e, std::string* err) {
  if (PemStore::certs().contains(e.path))
    return add_cert_file(e.path, e, err);  // loaded, or made at runtime
  struct stat st;
  if (stat(e.path.c_str(), &st) == 0)
    return S_ISDIR(st.st_mode) ? add_cert_dir(e.path, e, err) : add_cert_file(e.path, e, err);
  const std::string why = std::strerror(errno);
  // A multi-cert bundle: FILE.rsa, FILE.ecdsa, FILE.dsa, each a certificate.
  bool found = false;
  for (const char* ext : kBundleExtensions) {
    const std::string part = e.path + ext;
    if (!extra_files().bundle ||
        (!PemStore::certs().contains(part) && stat(part.c_str(), &st) != 0))
      continue;
    found = true;
    if (!add_cert_file(part, e, err)) return false;
  }
  if (!found) *err = "cannot open certificate '" + e.path + "': " + why;
  return found;
}

bool TlsServerContext::add_cert_dir(const std::string& dir, const TlsCertEntry& entry,
                                    std::string* err) {
  DIR* d = opendir(dir.c_str());
  if (!d) {
    *err = "cannot read certificate directory '" + dir + "': " + std::strerror(errno);
    return false;
  }
  std::vector<std::string> files;
  while (dirent* e = readdir(d))
    if (is_cert_entry(e->d_name)) files.push_back(e->d_name);
  closedir(d);
  std::sort(files.begin(), files.end());
  const std::string base = dir.back() == '/' ? dir : dir + "/";
  for (const std::string& f : files) {
    struct stat st;
    if (stat((base + f).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    if (!add_cert_file(base + f, entry, err)) return false;
  }
  return true;
}

bool TlsServerContext::add_cert_file(const std::string& path, const TlsCertEntry& entry,
                                     std::string* err) {
  Pem pem;
  if (!read_pem(path, &pem, err)) return false;
  std::vector<std::string> names = entry.filters;
  if (names.empty()) names = cert_names(pem.cert);
  const TlsBindSettings* settings = entry.own ? entry.own.get() : &settings_;
  // One context per certificate file: several certificates of one name (an
  // RSA and an ECDSA one) are chosen among in the ClientHello.
  auto fresh = std::make_unique<Group>();
  fresh->settings = settings;
  fresh->sig = key_sig(pem.key);
  fresh->ctx = new_ctx(*settings, fresh.get(), err);
  if (!fresh->ctx) return false;
  groups_.push_back(std::move(fresh));
  Group* g = groups_.back().get();
  const int idx = int(groups_.size() - 1);
  for (const std::string& n : names) {
    if (n.empty() || n[0] != '!')
      names_.add(n, idx);
    else
      names_.exclude(n.substr(1), idx);  // "!*" excludes nothing
  }
  if (SSL_CTX_use_cert_and_key(g->ctx, pem.cert, pem.key, pem.chain, 1) != 1) {
    *err = "OpenSSL refuses the certificate of '" + path + "': " + openssl_error();
    return false;
  }
  X509_up_ref(pem.cert);
  STACK_OF(X509)* chain = sk_X509_dup(pem.chain);
  for (int i = 0; i < sk_X509_num(chain); ++i) X509_up_ref(sk_X509_value(chain, i));
  loaded_.push_back({path, pem.cert, chain});
  if (pem.dh && SSL_CTX_set0_tmp_dh_pkey(g->ctx, pem.dh) == 1)
    pem.dh = nullptr;  // owned by the context now
  ++cert_count_;
  return true;
}

SSL_CTX* TlsServerContext::new_ctx(const TlsBindSettings& s, Group* g, std::string* err) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  auto fail = [&](const std::string& what) {
    *err = what + ": " + openssl_error();
    SSL_CTX_free(ctx);
    return nullptr;
  };
  if (!ctx) return fail("cannot create a TLS context");
  uint64_t opts = 0;
  if (!s.prefer_client_ciphers) opts |= SSL_OP_CIPHER_SERVER_PREFERENCE;
  if (s.no_tickets) opts |= SSL_OP_NO_TICKET;
  if (!set_common_ctx(ctx, opts, s.min_version, s.max_version, s.ciphers, s.ciphersuites, err)) {
    SSL_CTX_free(ctx);
    return nullptr;
  }
  if (!s.curves.empty() && SSL_CTX_set1_groups_list(ctx, s.curves.c_str()) != 1)
    return fail("OpenSSL refuses the curves '" + s.curves + "'");
  EVP_PKEY* dh = nullptr;
  if (!s.dh_param_file.empty()) {
    BIO* b = BIO_new_file(s.dh_param_file.c_str(), "r");
    dh = b ? PEM_read_bio_Parameters(b, nullptr) : nullptr;
    BIO_free(b);
    if (!dh) return fail("cannot read DH parameters from '" + s.dh_param_file + "'");
  } else if (s.dh_bits > 0) {
    dh = named_dh(s.dh_bits);
    if (!dh) return fail("cannot build DH parameters");
  }
  if (dh && SSL_CTX_set0_tmp_dh_pkey(ctx, dh) != 1) {
    EVP_PKEY_free(dh);
    return fail("OpenSSL refuses the DH parameters");
  }
  if (s.cache_size > 0) {
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER);
    SSL_CTX_sess_set_cache_size(ctx, s.cache_size);
  } else {
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  }
  SSL_CTX_set_timeout(ctx, s.lifetime_s);
  static const unsigned char kSidCtx[] = "hearth";
  SSL_CTX_set_session_id_context(ctx, kSidCtx, sizeof kSidCtx - 1);
  if (s.max_record > 0) SSL_CTX_set_max_send_fragment(ctx, std::clamp(s.max_record, 512, 16384));
  if (s.verify != TlsVerify::kNone) {
    int mode = SSL_VERIFY_PEER;
    if (s.verify == TlsVerify::kRequired) mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
    SSL_CTX_set_verify(ctx, mode, nullptr);
  }
  for (const std::string* f : {&s.ca_file, &s.ca_verify_file}) {
    if (f->empty()) continue;
    if (!load_ca_file(ctx, *f, f == &s.ca_file && !s.no_ca_names, err)) {
      SSL_CTX_free(ctx);
      return nullptr;
    }
  }
  if (!s.crl_file.empty() && !load_crl_file(ctx, s.crl_file, err)) {
    SSL_CTX_free(ctx);
    return nullptr;
  }
  if (ticket_keys_ && !ticket_keys_->install(ctx)) return fail("OpenSSL refuses the ticket keys");
  SSL_CTX_set_client_hello_cb(ctx, &TlsServerContext::on_client_hello, this);
  SSL_CTX_set_tlsext_servername_callback(ctx, &TlsServerContext::on_servername);
  g->alpn_wire = alpn_wire(s.alpn);
  if (!g->alpn_wire.empty()) SSL_CTX_set_alpn_select_cb(ctx, &TlsServerContext::on_alpn, g);
  return ctx;
}

SSL* TlsServerContext::new_ssl() const { return SSL_new(base_); }

bool TlsServerContext::switch_to(SSL* ssl, const Group& g) const {
  SSL_set_SSL_CTX(ssl, g.ctx);
  if (g.settings == &settings_) return true;  // the base context's settings already
  // SSL_set_SSL_CTX moves the certificates only: the line's settings follow.
  const TlsBindSettings& s = *g.settings;
  const std::string ciphers = s.ciphers.empty() ? std::string(kDefaultTlsCiphers) : s.ciphers;
  SSL_clear_options(ssl, SSL_get_options(ssl));
  SSL_set_options(ssl, SSL_CTX_get_options(g.ctx));
  SSL_set_verify(ssl, SSL_CTX_get_verify_mode(g.ctx), SSL_get_verify_callback(ssl));
  SSL_set_client_CA_list(ssl, nullptr);  // the new context's list then applies
  return SSL_set_min_proto_version(ssl, s.min_version) == 1 &&
         SSL_set_max_proto_version(ssl, s.max_version) == 1 &&
         SSL_set_cipher_list(ssl, ciphers.c_str()) == 1 &&
         SSL_set_ciphersuites(ssl, s.ciphersuites.empty() ? TLS_DEFAULT_CIPHERSUITES
                                                          : s.ciphersuites.c_str()) == 1 &&
         (s.curves.empty() || SSL_set1_groups_list(ssl, s.curves.c_str()) == 1);
}

// Among the certificates of `host`'s exact name, then of the wildcards that
// cover it, the first of each key type counts: an ECDSA one if the client
// accepts ECDSA, else an RSA one if it accepts RSA, else one of another type,
// else whichever there is (the handshake may then fail, as with HAProxy).
int TlsServerContext::choose(SSL* ssl, std::string_view host) const {
  std::vector<int> exact, wild;
  names_.candidates(host, &exact, &wild);
  if (exact.empty() && wild.empty()) return -1;
  int first[3] = {-1, -1, -1};
  for (const std::vector<int>* tier : {&exact, &wild})
    for (int i : *tier) {
      int& slot = first[groups_[size_t(i)]->sig];
      if (slot < 0) slot = i;
    }
  bool rsa = false, ecdsa = false;
  client_signatures(ssl, &rsa, &ecdsa);
  if (ecdsa && first[kSigEcdsa] >= 0) return first[kSigEcdsa];
  if (rsa && first[kSigRsa] >= 0) return first[kSigRsa];
  if (first[kSigOther] >= 0) return first[kSigOther];
  return first[kSigEcdsa] >= 0 ? first[kSigEcdsa] : first[kSigRsa];
}

// Before anything is negotiated: moves the connection to the certificate
// group of its SNI (exact names, then wildcards), to the default (first)
// group when none matches, or refuses it under strict-sni.
int TlsServerContext::on_client_hello(SSL* ssl, int* alert, void* arg) {
  auto* t = static_cast<TlsServerContext*>(arg);
  note_tls_client_hello(ssl);
  if (SSL_get_SSL_CTX(ssl) != t->base_) return SSL_CLIENT_HELLO_SUCCESS;  // a second ClientHello
  const unsigned char* ext = nullptr;
  size_t len = 0;
  std::string_view host;
  if (SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_server_name, &ext, &len) == 1)
    host = sni_from_extension(ext, len);
  int idx = host.empty() ? -1 : t->choose(ssl, host);
  if (idx < 0) {
    if (t->settings_.strict_sni) {
      *alert = SSL_AD_UNRECOGNIZED_NAME;
      return SSL_CLIENT_HELLO_ERROR;
    }
    idx = 0;
  }
  if (!t->switch_to(ssl, *t->groups_[size_t(idx)])) {
    ERR_clear_error();
    *alert = SSL_AD_INTERNAL_ERROR;
    return SSL_CLIENT_HELLO_ERROR;
  }
  return SSL_CLIENT_HELLO_SUCCESS;
}

// The choice was made on the ClientHello: acknowledges the name it carried.
int TlsServerContext::on_servername(SSL*, int*, void*) { return SSL_TLSEXT_ERR_OK; }

// ALPN: the first of the group's protocols the client offers; none: no ALPN at all.
int TlsServerContext::on_alpn(SSL*, const unsigned char** out, unsigned char* outlen,
                              const unsigned char* in, unsigned int inlen, void* arg) {
  auto* g = static_cast<Group*>(arg);
  unsigned char* sel = nullptr;
  const auto* ours = reinterpret_cast<const unsigned char*>(g->alpn_wire.data());
  if (SSL_select_next_proto(&sel, outlen, ours, unsigned(g->alpn_wire.size()), in, inlen) !=
      OPENSSL_NPN_NEGOTIATED)
    return SSL_TLSEXT_ERR_NOACK;
  *out = sel;
  return SSL_TLSEXT_ERR_OK;
}

}  // namespace hearth::net
