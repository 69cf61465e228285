#pragma once
// A server connection tunnelled through a SOCKS4 proxy (server option
// "socks4 ADDR:PORT", and "check-via-socks4" for its checks): the socket
// connects to the proxy, then sends a SOCKS4 CONNECT naming the server's
// IPv4 address and port (user id "HAProxy", as HAProxy sends) and reads the
// proxy's 8-byte reply. Connection::connect_status() runs it once the socket
// is connected, before a PROXY header and the TLS handshake; the connection
// is not established until the proxy granted the request (0x5A). Bytes after
// the reply are left in the socket for the transport.
#include <cstdint>
#include <string>

#include "core/pool.h"
#include "net/address.h"

namespace hearth::net {

class Connection;

struct Socks4Out {
  static constexpr uint8_t kRequestLen = 16;  // VN CD PORT(2) IP(4) "HAProxy\0"
  static constexpr uint8_t kReplyLen = 8;     // VN CD PORT(2) IP(4)
  enum class Failure : uint8_t { kNone, kSend, kRecv, kDeny };
  uint8_t request[kRequestLen];
  uint8_t reply[kReplyLen];
  uint8_t sent = 0, got = 0;
  Failure failure = Failure::kNone;
  int err = 0;  // the socket error of a failed send or recv (0: none)
  static Pool<Socks4Out>& pool();
};

// Queues on c (connecting to the proxy) a CONNECT to `server`. Returns: false
// if `server` is not IPv4 (SOCKS4 carries no other family) or no memory was
// left; the caller fails the connect.
bool queue_socks4_connect(Connection* c, const Address& server);

enum class Socks4Status { kDone, kWantSend, kWantRecv, kFailed };
// Sends what is left of the request, then reads the reply. Frees c->socks4
// once the proxy granted the request; on a failure keeps it (its reason).
Socks4Status socks4_step(Connection* c);

// Returns: why c's SOCKS4 handshake failed, in HAProxy's words (a socket
// error's reason in parentheses), or "" if it did not.
std::string socks4_failure(const Connection* c);

}  // namespace hearth::net
