// JSON Web Tokens (HAProxy manual 7.3.1): jwt_header_query and
// jwt_payload_query decode one base64url part of a token and query it as
// json_query does; jwt_verify checks a JWS compact token's signature with
// HMAC (HS256/384/512), RSA PKCS#1 v1.5 (RS*) or ECDSA (ES*) through
// OpenSSL, and answers HAProxy's codes: 1 valid, 0 not, -1 unknown
// algorithm, -2 unmanaged one (PS*), -3 invalid token, -4 out of memory,
// -5 unknown certificate.
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstring>
#include <memory>

#include "expr/converters_more.h"
#include "expr/json_query.h"
#include "expr/jwt_keys.h"

namespace hearth::expr {
namespace {

using A = ArgType;
using T = SmpType;

enum class Family { kUnknown, kHmac, kRsa, kEcdsa, kPss, kNone };

struct Alg {
  Family family = Family::kUnknown;
  const EVP_MD* md = nullptr;
  size_t ec_half = 0;  // ES*: the size of r and of s in the signature
};

// RFC 7518 section 3.1's names.
Alg alg_of(std::string_view name) {
  struct Row {
    std::string_view name;
    Family family;
    int bits;
  };
  static const Row kRows[] = {
      {"HS256", Family::kHmac, 256},  {"HS384", Family::kHmac, 384},
      {"HS512", Family::kHmac, 512},  {"RS256", Family::kRsa, 256},
      {"RS384", Family::kRsa, 384},   {"RS512", Family::kRsa, 512},
      {"ES256", Family::kEcdsa, 256}, {"ES384", Family::kEcdsa, 384},
      {"ES512", Family::kEcdsa, 512}, {"PS256", Family::kPss, 256},
      {"PS384", Family::kPss, 384},   {"PS512", Family::kPss, 512},
      {"none", Family::kNone, 0},
  };
  for (const Row& r : kRows) {
    if (r.name != name) continue;
    Alg a;
    a.family = r.family;
    a.md = r.bits == 256 ? EVP_sha256() : r.bits == 384 ? EVP_sha384() : EVP_sha512();
    a.ec_half = r.bits == 256 ? 32 : r.bits == 384 ? 48 : 66;
    return a;
  }
  return {};
}

// A string argument, or the variable it names (kVar), as text.
bool text_arg(const Arg& a, FetchContext& ctx, std::string_view* out) {
  if (a.type != A::kVar) {
    *out = a.str;
    return true;
  }
  Sample v;
  if (!var_arg(a, ctx, T::kStr, &v)) return false;
  // The variable's text may sit in a scratch chunk the next cast reuses.
  Chunk c = next_chunk();
  if (v.str.size() > c.size) return false;
  std::memcpy(c.data, v.str.data(), v.str.size());
  *out = std::string_view(c.data, v.str.size());
  return true;
}

// jwt_header_query / jwt_payload_query: part 0 or 1 of the token.
bool jwt_query(const Arg* a, size_t n, Sample& smp, int part) {
  std::string_view tok = smp.str;
  const size_t dot1 = tok.find('.');
  if (dot1 == std::string_view::npos) return false;
  std::string_view piece = tok.substr(0, dot1);
  if (part == 1) {
    const size_t dot2 = tok.find('.', dot1 + 1);  // none: the payload ends the token
    piece = tok.substr(dot1 + 1, dot2 == std::string_view::npos ? dot2 : dot2 - dot1 - 1);
  }
  Chunk c = next_chunk();
  const long len = base64url_decode(piece, c.data, c.size);
  if (len < 0) return false;
  const std::string_view json(c.data, size_t(len));
  if (n == 0 || !a[0].json) {
    smp.set_str(json);
    return true;
  }
  return json_query_sample(json, *a[0].json, n > 1 && a[1].sint, smp);
}

bool conv_jwt_header(const Arg* a, size_t n, Sample& smp, FetchContext&) {
  return jwt_query(a, n, smp, 0);
}

bool conv_jwt_payload(const Arg* a, size_t n, Sample& smp, FetchContext&) {
  return jwt_query(a, n, smp, 1);
}

bool check_jwt_query(const ConvDef&, std::vector<Arg>& args, std::string* err) {
  if (!args.empty() && !args[0].str.empty())
    args[0].json = std::make_shared<const JsonPath>(args[0].str);
  if (args.size() > 1 && !args[1].str.empty()) {
    if (args[1].str != "int") {
      *err = "the output type can only be 'int'";
      return false;
    }
    args[1].sint = 1;
  }
  return true;
}

// JOSE's ECDSA signature is r then s, fixed size; OpenSSL wants DER.
// Returns: the DER length in `der`, or 0.
int ecdsa_der(std::string_view raw, size_t half, unsigned char* der, size_t cap) {
  if (raw.size() != 2 * half) return 0;
  ECDSA_SIG* sig = ECDSA_SIG_new();
  if (!sig) return 0;
  BIGNUM* r = BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()), int(half), nullptr);
  BIGNUM* s =
      BN_bin2bn(reinterpret_cast<const unsigned char*>(raw.data()) + half, int(half), nullptr);
  int len = 0;
  if (r && s && ECDSA_SIG_set0(sig, r, s)) {
    r = s = nullptr;  // owned by sig now
    if (size_t(i2d_ECDSA_SIG(sig, nullptr)) <= cap) {
      unsigned char* p = der;
      len = i2d_ECDSA_SIG(sig, &p);
    }
  }
  BN_free(r);
  BN_free(s);
  ECDSA_SIG_free(sig);
  return len > 0 ? len : 0;
}

int64_t verify_with_key(const Alg& alg, EVP_PKEY* key, std::string_view msg, std::string_view sig) {
  unsigned char der[256];
  const unsigned char* s = reinterpret_cast<const unsigned char*>(sig.data());
  size_t slen = sig.size();
  if (alg.family == Family::kEcdsa) {
    const int n = ecdsa_der(sig, alg.ec_half, der, sizeof der);
    if (n == 0) return 0;
    s = der;
    slen = size_t(n);
  }
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (!ctx) return -4;
  int ok = EVP_DigestVerifyInit(ctx, nullptr, alg.md, nullptr, key);
  if (ok == 1)
    ok = EVP_DigestVerify(ctx, s, slen, reinterpret_cast<const unsigned char*>(msg.data()),
                          msg.size());
  EVP_MD_CTX_free(ctx);
  return ok == 1 ? 1 : 0;
}

bool conv_jwt_verify(const Arg* a, size_t, Sample& smp, FetchContext& ctx) {
  std::string_view alg_name, key;
  if (!text_arg(a[0], ctx, &alg_name) || !text_arg(a[1], ctx, &key)) return false;
  const Alg alg = alg_of(alg_name);
  auto answer = [&](int64_t v) {
    smp.set_sint(v);
    return true;
  };
  if (alg.family == Family::kUnknown || alg.family == Family::kNone) return answer(-1);
  if (alg.family == Family::kPss) return answer(-2);
  // Compact serialization: exactly three parts.
  const std::string_view tok = smp.str;
  const size_t dot1 = tok.find('.');
  const size_t dot2 = dot1 == std::string_view::npos ? dot1 : tok.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || tok.find('.', dot2 + 1) != std::string_view::npos)
    return answer(-3);
  const std::string_view msg = tok.substr(0, dot2);
  Chunk c = next_chunk();
  const long slen = base64url_decode(tok.substr(dot2 + 1), c.data, c.size);
  if (slen <= 0) return answer(-3);
  const std::string_view sig(c.data, size_t(slen));
  if (alg.family == Family::kHmac) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!HMAC(alg.md, key.data(), int(key.size()),
              reinterpret_cast<const unsigned char*>(msg.data()), msg.size(), md, &mdlen))
      return answer(-4);
    return answer(sig.size() == mdlen && CRYPTO_memcmp(sig.data(), md, mdlen) == 0 ? 1 : 0);
  }
  EVP_PKEY* pkey = find_jwt_key(key);
  if (!pkey) return answer(-5);
  return answer(verify_with_key(alg, pkey, msg, sig));
}

// Each argument may name a variable. A literal key with an algorithm that
// is not (or may not be) an HMAC one names a file, read now; as in HAProxy,
// one that cannot be read is not an error (verifying with it gives -5).
bool check_jwt_verify(const ConvDef&, std::vector<Arg>& args, std::string* err) {
  std::string why;
  for (Arg& a : args) {
    if (!a.str.empty()) to_var_arg(a, &why);  // stays a literal if it names none
  }
  const bool alg_literal = args[0].type != A::kVar;
  const Alg alg = alg_of(args[0].str);
  if (alg_literal && alg.family == Family::kUnknown) {
    *err = "unknown JWT algorithm: " + args[0].str;
    return false;
  }
  if (alg_literal && alg.family == Family::kPss) {
    *err = "RSASSA-PSS JWS signing not managed yet";
    return false;
  }
  if (args[1].type == A::kVar ||
      (alg_literal && alg.family != Family::kRsa && alg.family != Family::kEcdsa))
    return true;
  std::string ignored;
  load_jwt_key(args[1].str, &ignored);
  return true;
}

const ConvDef kJwt[] = {
    {"jwt_header_query",
     {0, {A::kStr, A::kStr}},
     T::kStr,
     T::kAny,
     conv_jwt_header,
     check_jwt_query},
    {"jwt_payload_query",
     {0, {A::kStr, A::kStr}},
     T::kStr,
     T::kAny,
     conv_jwt_payload,
     check_jwt_query},
    {"jwt_verify", {2, {A::kStr, A::kStr}}, T::kStr, T::kSint, conv_jwt_verify, check_jwt_verify},
};

}  // namespace

const ConvDef* find_jwt_converter(std::string_view name) {
  for (const ConvDef& c : kJwt)
    if (c.name == name) return &c;
  return nullptr;
}

}  // namespace hearth::expr
