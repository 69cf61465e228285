// aes_gcm_dec(BITS,NONCE,KEY,TAG) (HAProxy manual 7.3.1): decrypts the binary
// input with AES-128/192/256-GCM through OpenSSL. NONCE, KEY and TAG are
// base64 text, written in the configuration (decoded at load) or held by a
// variable (decoded per call). A tag that does not verify gives no sample.
#include <openssl/evp.h>

#include <cstring>

#include "expr/converters_more.h"

namespace hearth::expr {
namespace {

using A = ArgType;
using T = SmpType;

const EVP_CIPHER* cipher_of(int64_t bits) {
  return bits == 128   ? EVP_aes_128_gcm()
         : bits == 192 ? EVP_aes_192_gcm()
         : bits == 256 ? EVP_aes_256_gcm()
                       : nullptr;
}

bool conv_aes_gcm_dec(const Arg* a, size_t, Sample& smp, FetchContext& ctx) {
  std::string_view nonce, key, tag;
  if (!base64_arg(a[1], ctx, &nonce) || !base64_arg(a[2], ctx, &key) ||
      !base64_arg(a[3], ctx, &tag))
    return false;
  const EVP_CIPHER* cipher = cipher_of(a[0].sint);
  if (int(key.size()) != EVP_CIPHER_get_key_length(cipher) || nonce.empty() || tag.empty() ||
      tag.size() > 16)
    return false;
  Chunk c = next_chunk();
  const std::string_view in = smp.str;
  if (in.size() > c.size) return false;
  EVP_CIPHER_CTX* cx = EVP_CIPHER_CTX_new();
  if (!cx) return false;
  int len = 0, fin = 0;
  auto u = [](std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); };
  bool ok = EVP_DecryptInit_ex(cx, cipher, nullptr, nullptr, nullptr) == 1 &&
            EVP_CIPHER_CTX_ctrl(cx, EVP_CTRL_GCM_SET_IVLEN, int(nonce.size()), nullptr) == 1 &&
            EVP_DecryptInit_ex(cx, nullptr, nullptr, u(key), u(nonce)) == 1 &&
            EVP_DecryptUpdate(cx, reinterpret_cast<unsigned char*>(c.data), &len, u(in),
                              int(in.size())) == 1 &&
            EVP_CIPHER_CTX_ctrl(cx, EVP_CTRL_GCM_SET_TAG, int(tag.size()),
                                const_cast<char*>(tag.data())) == 1 &&
            EVP_DecryptFinal_ex(cx, reinterpret_cast<unsigned char*>(c.data) + len, &fin) == 1;
  EVP_CIPHER_CTX_free(cx);
  if (!ok) return false;
  smp.set_bin(std::string_view(c.data, size_t(len + fin)));
  return true;
}

// BITS is 128, 192 or 256; the others are variables or base64 text, decoded
// now.
bool check_aes_gcm_dec(const ConvDef&, std::vector<Arg>& args, std::string* err) {
  if (!cipher_of(args[0].sint)) {
    *err = "key size must be 128, 192 or 256 (bits).";
    return false;
  }
  static const char* const kWhat[] = {"", "nonce", "key", "aead_tag"};
  for (size_t i = 1; i < 4; ++i) {
    if (check_base64_arg(args[i])) continue;
    *err = std::string("failed to parse ") + kWhat[i] +
           " : argument needs to be base64 encoded, and can either be a string or a variable";
    return false;
  }
  return true;
}

const ConvDef kAesGcmDec = {"aes_gcm_dec",    {4, {A::kSint, A::kStr, A::kStr, A::kStr}},
                            T::kBin,          T::kBin,
                            conv_aes_gcm_dec, check_aes_gcm_dec};

}  // namespace

const ConvDef* find_aead_converter(std::string_view name) {
  return name == kAesGcmDec.name ? &kAesGcmDec : nullptr;
}

}  // namespace hearth::expr
