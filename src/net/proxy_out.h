#pragma once
// The PROXY header a new server connection sends before anything else (the
// TLS handshake included): send-proxy, send-proxy-v2 and their options, and
// check-send-proxy. Built when the connection is opened, queued on it
// (Connection::pp_out, from Pool<ProxyOut>), and written by
// Connection::connect_status() once the socket is connected; the connection
// is not established until the whole header is out.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/pool.h"
#include "net/address.h"

namespace hearth::net {

class Connection;

// What a v2 header carries besides the addresses (the values of
// config::ProxyV2Opt, which app/server_build checks).
enum ProxyV2Bits : uint16_t {
  kPpOptSsl = 1u << 0,
  kPpOptCertCn = 1u << 1,
  kPpOptSslCipher = 1u << 2,
  kPpOptCertSig = 1u << 3,
  kPpOptCertKey = 1u << 4,
  kPpOptAuthority = 1u << 5,
  kPpOptCrc32c = 1u << 6,
  kPpOptUniqueId = 1u << 7,
};

struct ProxyOut {
  static constexpr size_t kCap = 2048;
  uint16_t len = 0, sent = 0;
  uint8_t bytes[kCap];
  static Pool<ProxyOut>& pool();
};

// What the header describes: the client connection (null for a health
// check: v1 UNKNOWN, v2 LOCAL) and the addresses its stream sees.
struct ProxySource {
  const Connection* client = nullptr;  // its TLS details, ALPN, received authority
  const Address* src = nullptr;
  const Address* dst = nullptr;
  std::string_view authority;  // the authority the client's own PROXY header carried
  std::string_view unique_id;  // the stream's unique id ("": none)
};

// Builds the header of `version` (1 or 2) with the v2 options `opts` and
// queues it on c. Returns: false if it did not fit or no memory was left
// (the caller fails the connect).
bool queue_proxy_header(Connection* c, int version, uint16_t opts, const ProxySource& from);

// Returns: a key of what the header would say for one client connection
// (addresses and unique id; the rest is the client connection's own): a
// connection opened with one key serves only requests with the same one.
uint64_t proxy_header_key(const ProxySource& from, uint16_t opts);

enum class ProxySendStatus { kDone, kPending, kFailed };
// Writes what is left of c->pp_out, freeing it once all is sent.
ProxySendStatus send_proxy_out(Connection* c);

}  // namespace hearth::net
