#pragma once
// What a "bind ... ssl" line asks of TLS, as plain data: the config layer
// fills it (with the global ssl-default-bind-* and crt-base/ca-base already
// applied), net/tls_context turns it into OpenSSL contexts.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace hearth::net {

enum class TlsVerify : uint8_t { kNone, kOptional, kRequired };

// Protocol versions by their wire number: 0x0300 SSLv3 ... 0x0304 TLSv1.3.
inline constexpr int kSslV3 = 0x0300;
inline constexpr int kTlsV10 = 0x0301;
inline constexpr int kTlsV11 = 0x0302;
inline constexpr int kTlsV12 = 0x0303;
inline constexpr int kTlsV13 = 0x0304;

// The ALPN wire format of `protos`: each name after its length byte.
inline std::string alpn_wire(const std::vector<std::string>& protos) {
  std::string wire;
  for (const std::string& p : protos) {
    wire.push_back(char(p.size()));
    wire.append(p);
  }
  return wire;
}

struct TlsBindSettings;

// One certificate source of a bind line: a "crt" (file or directory) or a
// crt-list line.
struct TlsCertEntry {
  std::string path;  // PEM file or directory
  std::vector<std::string>
      filters;  // SNI filters ("*.a.b", "!x.a.b"); none: the certificate's names
  // The line's own settings (a crt-list line with options); nullptr: the bind line's.
  std::shared_ptr<const TlsBindSettings> own;
  std::string list;                  // the crt-list file ("": a "crt" of the bind line)
  int line = 0;                      // its line in the list
  std::vector<std::string> options;  // the line's options as written (between the brackets)
  // Returns: "FILE:LINE" of a crt-list line, for messages; "" for a crt.
  std::string origin() const { return list.empty() ? "" : list + ":" + std::to_string(line); }
};

// A TLS session ticket key (tls-ticket-keys): 16-byte name, HMAC-SHA256 key
// and AES key (16 bytes each for a 48-byte key, 32 for an 80-byte one).
struct TlsTicketKey {
  std::string name, hmac, aes;
};

struct TlsBindSettings {
  std::vector<TlsCertEntry> certs;  // in order; the first certificate is the default
  std::string ca_file;              // trusted CAs for client certificates, names sent
  std::string ca_verify_file;       // trusted CAs, names not sent
  std::string crl_file;
  TlsVerify verify = TlsVerify::kNone;
  std::vector<std::string> alpn;  // protocols offered, in preference order
  int min_version = kTlsV12;      // inclusive bounds, wire numbers
  int max_version = kTlsV13;
  std::string ciphers;       // TLS <= 1.2 (OpenSSL cipher list); empty: Hearth's default
  std::string ciphersuites;  // TLS 1.3; empty: OpenSSL's
  std::string curves;        // key exchange groups; empty: OpenSSL's
  bool prefer_client_ciphers = false;
  bool no_tickets = false;
  bool strict_sni = false;
  bool no_ca_names = false;  // the ca-file's names are not sent
  // Client-certificate verification errors that do not end the handshake
  // (crt-ignore-err at depth 0, ca-ignore-err above); *_all: every one.
  std::vector<int> crt_ignore, ca_ignore;
  bool crt_ignore_all = false, ca_ignore_all = false;
  // tls-ticket-keys: the keys in file order (empty: OpenSSL's own random keys).
  std::vector<TlsTicketKey> ticket_keys;
  std::string ticket_keys_file;
  std::string dh_param_file;  // ssl-dh-param-file; empty: a named group of dh_bits
  int dh_bits = 0;            // tune.ssl.default-dh-param; 0: no DHE (unless a PEM has DH)
  int cache_size = 20000;     // tune.ssl.cachesize: sessions kept; 0 disables the cache
  int lifetime_s = 300;       // tune.ssl.lifetime
  int max_record = 0;         // tune.ssl.maxrecord: bytes per record; 0: no limit
};

// What a "server ... ssl" line asks of TLS toward that server, as plain data
// (app/tls_server fills it, with ssl-default-server-* and ca-base/crt-base
// applied). Everything here is the same for every connection of the server;
// only the SNI differs per connection (see tls_client_prepare).
struct TlsClientSettings {
  TlsVerify verify = TlsVerify::kRequired;  // kNone or kRequired
  std::string ca_file;                      // trusted CAs for the server's certificate
  std::string crl_file;
  std::string crt;         // the client certificate (PEM, key inside or in crt.key); "": none
  std::string verifyhost;  // the name checked when no SNI is sent; "": none
  std::vector<std::string> alpn;  // protocols offered, in preference order
  int min_version = kTlsV12;      // inclusive bounds, wire numbers
  int max_version = kTlsV13;
  std::string ciphers;        // TLS <= 1.2; empty: Hearth's default
  std::string ciphersuites;   // TLS 1.3; empty: OpenSSL's
  bool session_reuse = true;  // keep one session per thread to resume (no-ssl-reuse: false)
  bool no_tickets = false;    // no-tls-tickets: TLS <= 1.2 session tickets not asked for
};

// The cipher list used when neither "ciphers" nor ssl-default-bind-ciphers
// is set: AEAD ciphers with forward secrecy only.
inline constexpr const char* kDefaultTlsCiphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384";

}  // namespace hearth::net
