#include "stream/ssl_cert_fetch.h"

#include <openssl/evp.h>

namespace hearth::stream {
namespace {

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

// YYMMDDhhmmssZ: a GeneralizedTime loses its century, as in UTCTime.
std::string_view short_time(const ASN1_TIME* t) {
  std::string_view v = asn1_text(t);
  if (ASN1_STRING_type(t) == V_ASN1_GENERALIZEDTIME && v.size() > 2) v.remove_prefix(2);
  return v;
}

// Appends `cert` in DER. Returns: false if it cannot be encoded.
bool append_der(X509* cert, std::string* out) {
  const int len = i2d_X509(cert, nullptr);
  if (len <= 0) return false;
  const size_t at = out->size();
  out->resize(at + size_t(len));
  auto* p = reinterpret_cast<unsigned char*>(out->data() + at);
  return i2d_X509(cert, &p) == len;
}

bool set_short_name(int nid, expr::Sample& out) {
  if (nid == NID_undef) return false;
  const char* sn = OBJ_nid2sn(nid);
  if (!sn) return false;
  out.set_str(sn);
  return true;
}

}  // namespace

bool fetch_cert_field(CertField field, X509* cert, SSL* ssl, const expr::Arg* args, size_t nargs,
                      std::string* s, expr::Sample& out) {
  if (!cert) return false;
  s->clear();
  switch (field) {
    case CertField::kDer:
      if (!append_der(cert, s)) return false;
      out.set_bin(*s);
      return true;
    case CertField::kChainDer: {
      STACK_OF(X509)* chain = ssl ? SSL_get_peer_cert_chain(ssl) : nullptr;
      if (!chain) return false;
      for (int i = 0; i < sk_X509_num(chain); ++i)
        if (!append_der(sk_X509_value(chain, i), s)) return false;
      out.set_bin(*s);
      return true;
    }
    case CertField::kKeyAlg: {
      ASN1_OBJECT* alg = nullptr;
      if (X509_PUBKEY_get0_param(&alg, nullptr, nullptr, nullptr, X509_get_X509_PUBKEY(cert)) != 1)
        return false;
      return set_short_name(OBJ_obj2nid(alg), out);
    }
    case CertField::kNotAfter:
      s->assign(short_time(X509_get0_notAfter(cert)));
      out.set_str(*s);
      return true;
    case CertField::kNotBefore:
      s->assign(short_time(X509_get0_notBefore(cert)));
      out.set_str(*s);
      return true;
    case CertField::kIssuerDn:
    case CertField::kSubjectDn: {
      const X509_NAME* n =
          field == CertField::kSubjectDn ? X509_get_subject_name(cert) : X509_get_issuer_name(cert);
      if (!fetch_dn(n, args, nargs, s)) return false;
      out.set_str(*s);
      return true;
    }
    case CertField::kSerial:
      s->assign(asn1_text(X509_get0_serialNumber(cert)));
      out.set_bin(*s);
      return true;
    case CertField::kSha1: {
      unsigned char md[EVP_MAX_MD_SIZE];
      unsigned int len = 0;
      if (X509_digest(cert, EVP_sha1(), md, &len) != 1) return false;
      s->assign(reinterpret_cast<const char*>(md), len);
      out.set_bin(*s);
      return true;
    }
    case CertField::kSigAlg: {
      const ASN1_OBJECT* alg = nullptr;
      X509_ALGOR_get0(&alg, nullptr, nullptr, X509_get0_tbs_sigalg(cert));
      return set_short_name(OBJ_obj2nid(alg), out);
    }
    case CertField::kVersion:
      out.set_sint(1 + X509_get_version(cert));
      return true;
  }
  return false;
}

}  // namespace hearth::stream
