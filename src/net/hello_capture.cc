#include "net/hello_capture.h"

#include <openssl/crypto.h>
#include <openssl/ssl.h>
#include <xxhash.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <new>

#include "core/pool.h"

namespace hearth::net {
namespace {

constexpr uint16_t kSupportedGroups = 0x000a;
constexpr uint16_t kEcPointFormats = 0x000b;

// A bounds-checked reader over the message.
struct Reader {
  std::string_view s;
  bool ok = true;
  size_t num(size_t bytes) {
    if (s.size() < bytes) return ok = false, 0;
    size_t v = 0;
    for (size_t i = 0; i < bytes; ++i) v = v << 8 | uint8_t(s[i]);
    s.remove_prefix(bytes);
    return v;
  }
  std::string_view take(size_t n) {
    if (s.size() < n) return ok = false, std::string_view();
    std::string_view out = s.substr(0, n);
    s.remove_prefix(n);
    return out;
  }
  // A vector with a `prefix`-byte length.
  std::string_view vec(size_t prefix) { return take(num(prefix)); }
};

// Appends what fits of `src` (bytes) at *used. Returns: the bytes copied.
uint32_t put(std::string_view src, uint8_t* out, size_t cap, size_t* used) {
  const size_t n = std::min(src.size(), cap - *used);
  if (n) memcpy(out + *used, src.data(), n);
  *used += n;
  return uint32_t(n);
}

std::atomic<size_t> g_size{0};
std::unique_ptr<BlockPool> g_pool;

int capture_index() {
  static const int idx = SSL_get_ex_new_index(
      0, nullptr, nullptr, nullptr, [](void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) {
        if (ptr && g_pool) g_pool->put(ptr);
      });
  return idx;
}

// OpenSSL's message callback: a received ClientHello is captured.
void on_message(int write_p, int, int content_type, const void* buf, size_t len, SSL* ssl, void*) {
  const auto* p = static_cast<const uint8_t*>(buf);
  if (write_p || content_type != SSL3_RT_HANDSHAKE || len < 4 || p[0] != SSL3_MT_CLIENT_HELLO)
    return;
  const size_t cap = hello_capture_size();
  if (!cap || !g_pool) return;
  const int idx = capture_index();
  auto* c = static_cast<HelloCapture*>(SSL_get_ex_data(ssl, idx));
  if (!c) {  // a second ClientHello (after a HelloRetryRequest) reuses the block
    void* block = g_pool->get();
    if (!block) return;
    c = new (block) HelloCapture;
    SSL_set_ex_data(ssl, idx, c);
  }
  fill_hello_capture({reinterpret_cast<const char*>(buf), len}, cap, c);
}

}  // namespace

bool fill_hello_capture(std::string_view msg, size_t cap, HelloCapture* c) {
  *c = HelloCapture{};
  Reader r{msg};
  if (r.num(1) != 1) return false;
  Reader body{r.vec(3)};
  if (!r.ok) return false;
  const uint16_t version = uint16_t(body.num(2));
  body.take(32);  // random
  body.vec(1);    // legacy_session_id
  const std::string_view ciphers = body.vec(2);
  body.vec(1);  // compression methods
  Reader exts{body.s.empty() ? std::string_view() : body.vec(2)};
  if (!body.ok) return false;
  // The extension types and the two lists, read before anything is kept.
  std::string_view groups, formats;
  uint8_t types[2 * 256];
  size_t n_types = 0;
  while (!exts.s.empty()) {
    const uint16_t type = uint16_t(exts.num(2));
    Reader data{exts.vec(2)};
    if (!exts.ok) return false;
    if (n_types < sizeof types) {
      types[n_types++] = uint8_t(type >> 8);
      types[n_types++] = uint8_t(type);
    }
    if (type == kSupportedGroups) groups = data.vec(2);
    if (type == kEcPointFormats) formats = data.vec(1);
    if (!data.ok) return false;
  }
  c->version = version;
  c->ciphers_xxh64 = XXH64(ciphers.data(), ciphers.size(), 0);
  size_t used = 0;
  uint8_t* out = c->data();
  c->ciphers_len = put(ciphers, out, cap, &used);
  c->ext_len = put({reinterpret_cast<const char*>(types), n_types}, out, cap, &used);
  c->groups_len = put(groups, out, cap, &used);
  c->formats_len = put(formats, out, cap, &used);
  return true;
}

void set_hello_capture_size(size_t bytes) {
  // A handshake message is at most 2^24 bytes: a larger buffer would never
  // hold more, so none is allocated.
  bytes = std::min<size_t>(bytes, size_t(1) << 24);
  g_size = bytes;
  if (bytes) g_pool = std::make_unique<BlockPool>("ssl_capture", sizeof(HelloCapture) + bytes);
}

size_t hello_capture_size() { return g_size.load(std::memory_order_relaxed); }

void watch_client_hello(SSL* ssl) {
  if (hello_capture_size()) SSL_set_msg_callback(ssl, &on_message);
}

const HelloCapture* hello_capture(const SSL* ssl) {
  if (!hello_capture_size()) return nullptr;
  return static_cast<const HelloCapture*>(SSL_get_ex_data(ssl, capture_index()));
}

}  // namespace hearth::net
