// show tls-keys / set ssl tls-key: the ticket keys of the bind lines with
// tls-ticket-keys. A key file is one reference ("#ID" or its name); the
// lines sharing it rotate together.
#include <openssl/evp.h>

#include <algorithm>

#include "admin/ssl_commands.h"
#include "expr/converters_more.h"

namespace hearth::admin {
namespace {

// A key file and the ticket keys of every line that uses it.
struct KeyRef {
  std::string file;
  std::vector<net::TlsTicketKeys*> keys;
};

// Returns: the key files by id: as HAProxy 2.6 numbers them, the last one
// declared is #0.
std::vector<KeyRef> key_refs() {
  std::vector<KeyRef> out;
  for (net::TlsBindState* b : net::TlsBindRegistry::instance().all()) {
    net::TlsTicketKeys* k = b->ticket_keys();
    if (!k) continue;
    KeyRef* ref = nullptr;
    for (KeyRef& r : out)
      if (r.file == k->file()) ref = &r;
    if (!ref) ref = &out.emplace_back(KeyRef{k->file(), {}});
    ref->keys.push_back(k);
  }
  std::reverse(out.begin(), out.end());
  return out;
}

// Returns: true if `ref` ("*", "#ID" or a file name) names reference `id`.
bool matches(const std::string& ref, size_t id, const KeyRef& r) {
  return ref == "*" || ref == "#" + std::to_string(id) || ref == r.file;
}

// Returns: the raw key as base64.
std::string base64(const net::TlsTicketKey& k) {
  const std::string raw = k.name + k.hmac + k.aes;
  std::string out(4 * ((raw.size() + 2) / 3) + 1, '\0');
  const int n =
      EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                      reinterpret_cast<const unsigned char*>(raw.data()), int(raw.size()));
  out.resize(size_t(n));
  return out;
}

std::string show(const std::vector<std::string>& w, bool admin) {
  const std::vector<KeyRef> refs = key_refs();
  if (w.size() < 3) {
    std::string out = "# id (file)\n";
    for (size_t i = 0; i < refs.size(); ++i) out += std::to_string(i) + " (" + refs[i].file + ")\n";
    return out + "\n";
  }
  if (!admin) return "Permission denied\n\n";  // the keys are secrets
  std::string out = "# id secret\n";
  bool found = false;
  for (size_t i = 0; i < refs.size(); ++i) {
    if (!matches(w[2], i, refs[i])) continue;
    found = true;
    out += "# " + std::to_string(i) + " (" + refs[i].file + ")\n";
    const auto ring = refs[i].keys[0]->snapshot();
    const size_t n = net::TlsTicketKeys::kInUse;
    for (size_t j = 0; j < n; ++j)  // oldest first: the one before the encrypting key
      out += std::to_string(i) + "." + std::to_string(j) + " " +
             base64(ring->keys[(ring->enc + n - 1 + j) % n]) + "\n";
  }
  if (!found) return "'show tls-keys' unable to locate referenced filename\n\n";
  return out + "\n";
}

std::string set(const std::vector<std::string>& w, bool admin) {
  if (!admin) return "Permission denied\n\n";
  if (w.size() < 5)
    return "'set ssl tls-key' expects a filename and the new TLS key in base64 encoding.\n\n";
  const std::vector<KeyRef> refs = key_refs();
  const KeyRef* ref = nullptr;
  for (size_t i = 0; i < refs.size() && !ref; ++i)
    if (w[3] != "*" && matches(w[3], i, refs[i])) ref = &refs[i];
  if (!ref) return "'set ssl tls-key' unable to locate referenced filename\n\n";
  char raw[96];
  const long n = expr::base64_decode(w[4], raw, sizeof raw);
  if (n < 0) return "'set ssl tls-key' received invalid base64 encoded TLS key.\n\n";
  const size_t half = ref->keys[0]->snapshot()->keys[0].aes.size();  // 16 or 32
  if (size_t(n) != 16 + 2 * half) return "'set ssl tls-key' received a key of wrong size.\n\n";
  const net::TlsTicketKey key{std::string(raw, 16), std::string(raw + 16, half),
                              std::string(raw + 16 + half, half)};
  for (net::TlsTicketKeys* k : ref->keys) k->rotate(key);
  return "TLS ticket key updated!\n\n";
}

}  // namespace

std::string cli_tls_key_command(const std::vector<std::string>& w, bool admin) {
  if (w.size() >= 2 && w[0] == "show" && w[1] == "tls-keys") return show(w, admin);
  if (w.size() >= 3 && w[0] == "set" && w[1] == "ssl" && w[2] == "tls-key") return set(w, admin);
  return "";
}

}  // namespace hearth::admin
