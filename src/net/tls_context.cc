#include "net/tls_context.h"

#include <dirent.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstring>

#include "net/tls_pem.h"

namespace hearth::net {
namespace {

// Returns: the DNS names of the subjectAltName, or the CN when there is none,
// normalized and sorted.
std::vector<std::string> cert_names(X509* cert) {
  std::vector<std::string> out;
  auto* sans =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; sans && i < sk_GENERAL_NAME_num(sans); ++i) {
    const GENERAL_NAME* g = sk_GENERAL_NAME_value(sans, i);
    if (g->type != GEN_DNS) continue;
    const ASN1_IA5STRING* s = g->d.dNSName;
    out.push_back(normalize_server_name(std::string_view(
        reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), size_t(ASN1_STRING_length(s)))));
  }
  GENERAL_NAMES_free(sans);
  if (out.empty()) {
    X509_NAME* subject = X509_get_subject_name(cert);
    const int at = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
    if (at >= 0) {
      ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, at));
      out.push_back(normalize_server_name(std::string_view(
          reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), size_t(ASN1_STRING_length(s)))));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Returns: a bit for the key's algorithm family, so that one context holds at
// most one certificate per family.
int key_type_bit(EVP_PKEY* k) {
  switch (EVP_PKEY_get_base_id(k)) {
    case EVP_PKEY_RSA:
      return 1;
    case EVP_PKEY_EC:
      return 2;
    case EVP_PKEY_DSA:
      return 4;
    default:
      return 8;
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

TlsServerContext::~TlsServerContext() {
  for (Group& g : groups_) SSL_CTX_free(g.ctx);
}

std::unique_ptr<TlsServerContext> TlsServerContext::build(const TlsBindSettings& s,
                                                          std::string* err) {
  std::unique_ptr<TlsServerContext> t(new TlsServerContext());
  t->settings_ = s;
  for (const std::string& p : s.alpn) {
    t->alpn_wire_.push_back(char(p.size()));
    t->alpn_wire_.append(p);
  }
  for (const std::string& path : s.crts) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) {
      *err = "cannot open certificate '" + path + "': " + std::strerror(errno);
      return nullptr;
    }
    if (!(S_ISDIR(st.st_mode) ? t->add_cert_dir(path, err) : t->add_cert_file(path, err)))
      return nullptr;
  }
  if (t->groups_.empty()) {
    *err = "no certificate loaded: 'ssl' needs at least one 'crt' with a certificate";
    return nullptr;
  }
  return t;
}

bool TlsServerContext::add_cert_dir(const std::string& dir, std::string* err) {
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
    if (!add_cert_file(base + f, err)) return false;
  }
  return true;
}

bool TlsServerContext::add_cert_file(const std::string& path, std::string* err) {
  Pem pem;
  if (!read_pem(path, &pem, err)) return false;
  const std::vector<std::string> names = cert_names(pem.cert);
  const int bit = key_type_bit(pem.key);
  Group* g = nullptr;
  for (Group& each : groups_)
    if (each.names == names && !(each.key_types & bit)) g = &each;
  if (!g) {
    SSL_CTX* ctx = new_ctx(err);
    if (!ctx) return false;
    groups_.push_back(Group{ctx, names, 0});
    g = &groups_.back();
    for (const std::string& n : names) names_.add(n, int(groups_.size() - 1));
  }
  if (SSL_CTX_use_cert_and_key(g->ctx, pem.cert, pem.key, pem.chain, 1) != 1) {
    *err = "OpenSSL refuses the certificate of '" + path + "': " + openssl_error();
    return false;
  }
  g->key_types |= bit;
  if (pem.dh && SSL_CTX_set0_tmp_dh_pkey(g->ctx, pem.dh) == 1)
    pem.dh = nullptr;  // owned by the context now
  ++cert_count_;
  return true;
}

SSL_CTX* TlsServerContext::new_ctx(std::string* err) {
  const TlsBindSettings& s = settings_;
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
    if (SSL_CTX_load_verify_locations(ctx, f->c_str(), nullptr) != 1)
      return fail("cannot load CA file '" + *f + "'");
  }
  if (!s.ca_file.empty()) {
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(s.ca_file.c_str());
    if (!names) return fail("no CA names in '" + s.ca_file + "'");
    SSL_CTX_set_client_CA_list(ctx, names);
  }
  if (!s.crl_file.empty() && !load_crl_file(ctx, s.crl_file, err)) {
    SSL_CTX_free(ctx);
    return nullptr;
  }
  SSL_CTX_set_tlsext_servername_callback(ctx, &TlsServerContext::on_servername);
  SSL_CTX_set_tlsext_servername_arg(ctx, this);
  if (!alpn_wire_.empty()) SSL_CTX_set_alpn_select_cb(ctx, &TlsServerContext::on_alpn, this);
  return ctx;
}

SSL* TlsServerContext::new_ssl() const { return SSL_new(groups_[0].ctx); }

// SNI: switches the connection to the certificates of the name it asked for;
// the default (first) ones otherwise, unless strict-sni refuses it.
int TlsServerContext::on_servername(SSL* ssl, int* alert, void* arg) {
  auto* t = static_cast<TlsServerContext*>(arg);
  const char* host = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  const int idx = host ? t->names_.find(host) : -1;
  if (idx < 0) {
    if (!t->settings_.strict_sni) return SSL_TLSEXT_ERR_OK;
    *alert = SSL_AD_UNRECOGNIZED_NAME;
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  }
  if (idx > 0) SSL_set_SSL_CTX(ssl, t->groups_[size_t(idx)].ctx);
  return SSL_TLSEXT_ERR_OK;
}

// ALPN: the first of our protocols the client offers; none: no ALPN at all.
int TlsServerContext::on_alpn(SSL*, const unsigned char** out, unsigned char* outlen,
                              const unsigned char* in, unsigned int inlen, void* arg) {
  auto* t = static_cast<TlsServerContext*>(arg);
  unsigned char* sel = nullptr;
  const auto* ours = reinterpret_cast<const unsigned char*>(t->alpn_wire_.data());
  if (SSL_select_next_proto(&sel, outlen, ours, unsigned(t->alpn_wire_.size()), in, inlen) !=
      OPENSSL_NPN_NEGOTIATED)
    return SSL_TLSEXT_ERR_NOACK;
  *out = sel;
  return SSL_TLSEXT_ERR_OK;
}

}  // namespace hearth::net
