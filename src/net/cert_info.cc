#include "net/cert_info.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

namespace hearth::net {
namespace {

// Returns: what `print` wrote to a memory BIO.
template <typename F>
std::string through_bio(F print) {
  BIO* b = BIO_new(BIO_s_mem());
  print(b);
  char* data = nullptr;
  const long n = BIO_get_mem_data(b, &data);
  std::string out(data, size_t(n > 0 ? n : 0));
  BIO_free(b);
  return out;
}

// Returns: the name in the one-line "/O=x/CN=y" form.
std::string oneline(const X509_NAME* name) {
  char buf[1024];
  return X509_NAME_oneline(name, buf, sizeof buf) ? buf : "";
}

// Returns: the subjectAltName entries as "DNS:a, DNS:b" ("" without any).
std::string alt_names(X509* cert) {
  auto* sans =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  std::string out;
  for (int i = 0; sans && i < sk_GENERAL_NAME_num(sans); ++i) {
    const GENERAL_NAME* g = sk_GENERAL_NAME_value(sans, i);
    if (g->type != GEN_DNS) continue;
    const ASN1_IA5STRING* s = g->d.dNSName;
    if (!out.empty()) out += ", ";
    out += "DNS:";
    out.append(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
               size_t(ASN1_STRING_length(s)));
  }
  GENERAL_NAMES_free(sans);
  return out;
}

// Returns: the key's algorithm and size, "RSA2048", "EC256", ...
std::string algorithm(X509* cert) {
  EVP_PKEY* k = X509_get0_pubkey(cert);
  if (!k) return "";
  const int bits = EVP_PKEY_get_bits(k);
  switch (EVP_PKEY_get_base_id(k)) {
    case EVP_PKEY_RSA:
      return "RSA" + std::to_string(bits);
    case EVP_PKEY_EC:
      return "EC" + std::to_string(bits);
    case EVP_PKEY_DSA:
      return "DSA" + std::to_string(bits);
    default:
      return OBJ_nid2sn(EVP_PKEY_get_base_id(k));
  }
}

// Returns: `len` bytes as upper-case hex.
std::string hex(const unsigned char* p, size_t len) {
  static const char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (size_t i = 0; i < len; ++i) {
    out.push_back(kDigits[p[i] >> 4]);
    out.push_back(kDigits[p[i] & 15]);
  }
  return out;
}

}  // namespace

std::string describe_certificate(X509* cert, STACK_OF(X509) * chain) {
  std::string out;
  BIGNUM* serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr);
  char* serial_hex = serial ? BN_bn2hex(serial) : nullptr;
  out += "Serial: " + std::string(serial_hex ? serial_hex : "") + "\n";
  OPENSSL_free(serial_hex);
  BN_free(serial);
  out +=
      "notBefore: " + through_bio([&](BIO* b) { ASN1_TIME_print(b, X509_get0_notBefore(cert)); }) +
      "\n";
  out += "notAfter: " + through_bio([&](BIO* b) { ASN1_TIME_print(b, X509_get0_notAfter(cert)); }) +
         "\n";
  out += "Subject Alternative Name: " + alt_names(cert) + "\n";
  out += "Algorithm: " + algorithm(cert) + "\n";
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  X509_digest(cert, EVP_sha1(), md, &md_len);
  out += "SHA1 FingerPrint: " + hex(md, md_len) + "\n";
  out += "Subject: " + oneline(X509_get_subject_name(cert)) + "\n";
  out += "Issuer: " + oneline(X509_get_issuer_name(cert)) + "\n";
  for (int i = 0; chain && i < sk_X509_num(chain); ++i) {
    X509* c = sk_X509_value(chain, i);
    out += "Chain Subject: " + oneline(X509_get_subject_name(c)) + "\n";
    out += "Chain Issuer: " + oneline(X509_get_issuer_name(c)) + "\n";
  }
  return out;
}

namespace {
// Returns: `n` in upper-case hex, whole bytes ("03", "1008").
std::string serial_hex(const ASN1_INTEGER* n) {
  BIGNUM* bn = ASN1_INTEGER_to_BN(n, nullptr);
  char* text = bn ? BN_bn2hex(bn) : nullptr;
  std::string out = text ? text : "";
  OPENSSL_free(text);
  BN_free(bn);
  return out;
}

std::string time_text(const ASN1_TIME* t) {
  return t ? through_bio([&](BIO* b) { ASN1_TIME_print(b, t); }) : "";
}
}  // namespace

std::string describe_crl(X509_CRL* crl) {
  std::string out = "Version " + std::to_string(X509_CRL_get_version(crl) + 1) + "\n";
  const X509_ALGOR* alg = nullptr;
  X509_CRL_get0_signature(crl, nullptr, &alg);
  const ASN1_OBJECT* oid = nullptr;
  if (alg) X509_ALGOR_get0(&oid, nullptr, nullptr, alg);
  out += "Signature Algorithm: " + std::string(oid ? OBJ_nid2ln(OBJ_obj2nid(oid)) : "") + "\n";
  out += "Issuer: " + oneline(X509_CRL_get_issuer(crl)) + "\n";
  out += "Last Update: " + time_text(X509_CRL_get0_lastUpdate(crl)) + "\n";
  out += "Next Update: " + time_text(X509_CRL_get0_nextUpdate(crl)) + "\n";
  STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl);
  if (sk_X509_REVOKED_num(revoked) <= 0) return out + "No Revoked Certificates.\n";
  out += "Revoked Certificates:\n";
  for (int i = 0; i < sk_X509_REVOKED_num(revoked); ++i) {
    const X509_REVOKED* r = sk_X509_REVOKED_value(revoked, i);
    out += "    Serial Number: " + serial_hex(X509_REVOKED_get0_serialNumber(r)) + "\n";
    out += "        Revocation Date: " + time_text(X509_REVOKED_get0_revocationDate(r)) + "\n";
  }
  return out;
}

}  // namespace hearth::net
