// Hashes and digests (HAProxy manual 7.3.1): sha1, sha2, digest and hmac
// through OpenSSL; crc32, crc32c, djb2, sdbm and wt6 as HAProxy's hash.c
// computes them, for the same results as its hash-based balancing.
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <xxhash.h>

#include <array>
#include <cstring>
#include <map>
#include <mutex>

#include "expr/converters_more.h"
#include "expr/hash.h"

namespace hearth::expr {
namespace {

using A = ArgType;
using T = SmpType;

// The digest OpenSSL knows as `name` (any name or alias it accepts), fetched
// once for the process so that evaluation does not fetch it again. Returns:
// nullptr if there is none.
const EVP_MD* digest_named(const std::string& name) {
  static std::mutex mu;
  // Never destroyed: the digests stay valid (and reachable) for the process.
  static auto& cache = *new std::map<std::string, const EVP_MD*>;
  std::lock_guard<std::mutex> g(mu);
  if (auto it = cache.find(name); it != cache.end()) return it->second;
  const EVP_MD* md = EVP_get_digestbyname(name.c_str());
  if (md) {
    if (const EVP_MD* fetched = EVP_MD_fetch(nullptr, EVP_MD_get0_name(md), nullptr)) md = fetched;
  }
  cache.emplace(name, md);
  return md;
}

// The digest resolved at load time, kept in an argument's integer.
const EVP_MD* md_of(const Arg& a) { return reinterpret_cast<const EVP_MD*>(intptr_t(a.sint)); }

// Replaces the sample with the digest of its bytes (in a chunk), through a
// context the thread reuses. Returns: false if OpenSSL fails.
bool digest_sample(const EVP_MD* md, Sample& smp) {
  struct Ctx {
    EVP_MD_CTX* p = EVP_MD_CTX_new();
    ~Ctx() { EVP_MD_CTX_free(p); }
  };
  static thread_local Ctx ctx;
  Chunk c = next_chunk();
  unsigned len = 0;
  if (!ctx.p || c.size < EVP_MAX_MD_SIZE || !EVP_DigestInit_ex(ctx.p, md, nullptr) ||
      !EVP_DigestUpdate(ctx.p, smp.str.data(), smp.str.size()) ||
      !EVP_DigestFinal_ex(ctx.p, reinterpret_cast<unsigned char*>(c.data), &len))
    return false;
  smp.set_bin(std::string_view(c.data, len));
  return true;
}

bool conv_sha1(const Arg*, size_t, Sample& smp, FetchContext&) {
  static const EVP_MD* md = digest_named("SHA1");
  return md && digest_sample(md, smp);
}

// sha2([bits]): 224, 256 (the default), 384 or 512.
bool conv_sha2(const Arg* a, size_t n, Sample& smp, FetchContext&) {
  static const EVP_MD* const kMds[] = {digest_named("SHA224"), digest_named("SHA256"),
                                       digest_named("SHA384"), digest_named("SHA512")};
  const int64_t bits = n > 0 ? a[0].sint : 256;
  const EVP_MD* md = kMds[bits == 224 ? 0 : bits == 256 ? 1 : bits == 384 ? 2 : 3];
  return md && digest_sample(md, smp);
}

bool check_sha2(const ConvDef&, std::vector<Arg>& args, std::string* err) {
  if (args.empty()) return true;
  const int64_t b = args[0].sint;
  if (b == 224 || b == 256 || b == 384 || b == 512) return true;
  *err = "Unsupported number of bits: '" + std::to_string(b) + "'";
  return false;
}

bool conv_digest(const Arg* a, size_t, Sample& smp, FetchContext&) {
  return digest_sample(md_of(a[0]), smp);
}

// digest(alg) and hmac(alg,key): resolves the algorithm into args[0].sint.
bool check_digest(const ConvDef&, std::vector<Arg>& args, std::string* err) {
  const EVP_MD* md = digest_named(args[0].str);
  if (!md) {
    *err = "algorithm must be a valid OpenSSL message digest name.";
    return false;
  }
  args[0].sint = int64_t(reinterpret_cast<intptr_t>(md));
  return true;
}

// HMAC of `data` with `key` into `out` (EVP_MAX_MD_SIZE bytes), through a
// context the thread reuses. Returns: false if OpenSSL fails.
bool hmac(const EVP_MD* md, std::string_view key, std::string_view data, unsigned char* out,
          size_t* len) {
  struct Ctx {
    EVP_MAC_CTX* p = nullptr;
    Ctx() {
      EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
      if (mac) p = EVP_MAC_CTX_new(mac);
      EVP_MAC_free(mac);
    }
    ~Ctx() { EVP_MAC_CTX_free(p); }
  };
  static thread_local Ctx ctx;
  static const unsigned char kNoKey = 0;  // a null key would reuse the last one
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(
                             OSSL_MAC_PARAM_DIGEST, const_cast<char*>(EVP_MD_get0_name(md)), 0),
                         OSSL_PARAM_construct_end()};
  const auto* k = key.empty() ? &kNoKey : reinterpret_cast<const unsigned char*>(key.data());
  return ctx.p && EVP_MAC_init(ctx.p, k, key.size(), params) &&
         EVP_MAC_update(ctx.p, reinterpret_cast<const unsigned char*>(data.data()), data.size()) &&
         EVP_MAC_final(ctx.p, out, len, EVP_MAX_MD_SIZE);
}

// hmac(alg,key): a constant key was decoded from base64 at load time; a
// variable's value is decoded here.
bool conv_hmac(const Arg* a, size_t, Sample& smp, FetchContext& ctx) {
  std::string_view key;
  if (!base64_arg(a[1], ctx, &key)) return false;
  unsigned char md[EVP_MAX_MD_SIZE];
  size_t len = 0;
  if (!hmac(md_of(a[0]), key, smp.str, md, &len)) return false;
  Chunk c = next_chunk();
  std::memcpy(c.data, md, len);
  smp.set_bin(std::string_view(c.data, len));
  return true;
}

// The key: empty, a variable name, or base64 (decoded now), as HAProxy's
// sample_check_arg_base64().
bool check_hmac(const ConvDef& def, std::vector<Arg>& args, std::string* err) {
  if (!check_digest(def, args, err)) return false;
  if (args[1].str.empty() || check_base64_arg(args[1])) return true;
  *err =
      "failed to parse key : argument needs to be base64 encoded, and can either be a string "
      "or a variable";
  return false;
}

}  // namespace

bool check_base64_arg(Arg& a) {
  std::string why;
  if (to_var_arg(a, &why)) return true;
  std::string dec(a.str.size() / 4 * 3, '\0');
  const long n = base64_decode(a.str, dec.data(), dec.size());
  if (n < 0) return false;
  dec.resize(size_t(n));
  a.str = std::move(dec);
  return true;
}

bool base64_arg(const Arg& a, FetchContext& ctx, std::string_view* out) {
  if (a.type != ArgType::kVar) {
    *out = a.str;
    return true;
  }
  Sample v;
  if (!var_arg(a, ctx, SmpType::kStr, &v)) return false;
  Chunk c = next_chunk();
  const long n = base64_decode(v.str, c.data, c.size);
  if (n < 0) return false;
  *out = std::string_view(c.data, size_t(n));
  return true;
}

namespace {

uint32_t sdbm(std::string_view s) { return hash_sdbm(s); }

// The 32-bit hashes: an unsigned value in a signed integer sample.
template <uint32_t (*kHash)(std::string_view)>
bool conv_hash32(const Arg* a, size_t n, Sample& smp, FetchContext&) {
  const uint32_t h = kHash(smp.str);
  smp.set_sint(n > 0 && a[0].sint ? full_hash(h) : h);
  return true;
}

// xxh32([seed]): unsigned 32 bits; xxh64 and xxh3 ([seed]): 64 bits shown
// signed, as HAProxy stores them (libxxhash).
bool conv_xxh32(const Arg* a, size_t n, Sample& smp, FetchContext&) {
  smp.set_sint(XXH32(smp.str.data(), smp.str.size(), n > 0 ? uint32_t(a[0].sint) : 0));
  return true;
}

bool conv_xxh64(const Arg* a, size_t n, Sample& smp, FetchContext&) {
  smp.set_sint(int64_t(XXH64(smp.str.data(), smp.str.size(), n > 0 ? uint64_t(a[0].sint) : 0)));
  return true;
}

bool conv_xxh3(const Arg* a, size_t n, Sample& smp, FetchContext&) {
  smp.set_sint(int64_t(
      XXH3_64bits_withSeed(smp.str.data(), smp.str.size(), n > 0 ? uint64_t(a[0].sint) : 0)));
  return true;
}

const ConvDef kConverters[] = {
    {"sha1", {}, T::kBin, T::kBin, conv_sha1},
    {"sha2", {0, {A::kSint}}, T::kBin, T::kBin, conv_sha2, check_sha2},
    {"digest", {1, {A::kStr}}, T::kBin, T::kBin, conv_digest, check_digest},
    {"hmac", {2, {A::kStr, A::kStr}}, T::kBin, T::kBin, conv_hmac, check_hmac},
    {"crc32", {0, {A::kSint}}, T::kBin, T::kSint, conv_hash32<hash_crc32>},
    {"crc32c", {0, {A::kSint}}, T::kBin, T::kSint, conv_hash32<hash_crc32c>},
    {"djb2", {0, {A::kSint}}, T::kBin, T::kSint, conv_hash32<hash_djb2>},
    {"sdbm", {0, {A::kSint}}, T::kBin, T::kSint, conv_hash32<sdbm>},
    {"wt6", {0, {A::kSint}}, T::kBin, T::kSint, conv_hash32<hash_wt6>},
    {"xxh32", {0, {A::kSint}}, T::kBin, T::kSint, conv_xxh32},
    {"xxh64", {0, {A::kSint}}, T::kBin, T::kSint, conv_xxh64},
    {"xxh3", {0, {A::kSint}}, T::kBin, T::kSint, conv_xxh3},
};

}  // namespace

const ConvDef* find_hash_converter(std::string_view name) {
  for (const ConvDef& c : kConverters)
    if (c.name == name) return &c;
  return nullptr;
}

}  // namespace hearth::expr
