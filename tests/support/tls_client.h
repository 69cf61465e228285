#pragma once
// A blocking TLS client over loopback (OpenSSL), for tests that need more
// than curl: many requests on one connection, large bodies, the negotiated
// session's details. Every socket operation is bounded by a 10 s timeout.
#include <openssl/ssl.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace hearth::test {

struct TlsClientOptions {
  std::string sni;   // "": no server name sent
  std::string alpn;  // comma-separated protocols offered; "": none
  std::string cert;  // client certificate (PEM) and its key; "": none
  std::string key;
  int max_version = 0;  // TLS1_2_VERSION ...; 0: OpenSSL's highest
  int min_version = 0;
};

class TlsClient {
 public:
  // Connects to 127.0.0.1:port and completes the handshake (see ok()).
  explicit TlsClient(uint16_t port, const TlsClientOptions& o = {});
  ~TlsClient();
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;

  // Returns: true once the handshake completed.
  bool ok() const { return ok_; }
  // Returns: why the connection or handshake failed.
  const std::string& error() const { return error_; }
  SSL* ssl() const { return ssl_; }

  // Returns: false unless all of `data` was written.
  bool write_all(std::string_view data);
  // Reads one HTTP/1.1 response framed by content-length (or by the close
  // when there is none). Returns: its status (0 on failure); the head and
  // body go to *head and *body.
  int read_response(std::string* head, std::string* body);
  // Returns: true if the peer closed the connection (close_notify or EOF)
  // before 10 s passed.
  bool wait_closed();

 private:
  // Reads into buf_ until it holds at least n bytes. Returns: false on EOF/error.
  bool fill_to(size_t n);
  int fd_ = -1;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  bool ok_ = false;
  std::string error_;
  std::string buf_;
};

}  // namespace hearth::test
