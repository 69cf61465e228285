#include "support/tls_client.h"

#include <openssl/err.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdlib>

#include "support/client.h"

namespace hearth::test {
namespace {

std::string ssl_errors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char b[256];
    ERR_error_string_n(e, b, sizeof b);
    out += std::string(out.empty() ? "" : "; ") + b;
  }
  return out;
}

// Returns: the protocols of "a,b" in ALPN's wire format.
std::string alpn_wire(const std::string& list) {
  std::string out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    out.push_back(char(comma - start));
    out.append(list, start, comma - start);
    start = comma + 1;
  }
  return out;
}

}  // namespace

TlsClient::TlsClient(uint16_t port, const TlsClientOptions& o) {
  fd_ = connect_tcp(port);
  if (fd_ < 0) {
    error_ = "connect failed";
    return;
  }
  timeval tv{10, 0};
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  ctx_ = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_verify(ctx_, SSL_VERIFY_NONE, nullptr);
  if (o.max_version) SSL_CTX_set_max_proto_version(ctx_, o.max_version);
  if (o.min_version) SSL_CTX_set_min_proto_version(ctx_, o.min_version);
  if (!o.cert.empty() &&
      (SSL_CTX_use_certificate_file(ctx_, o.cert.c_str(), SSL_FILETYPE_PEM) != 1 ||
       SSL_CTX_use_PrivateKey_file(ctx_, o.key.c_str(), SSL_FILETYPE_PEM) != 1)) {
    error_ = "client certificate: " + ssl_errors();
    return;
  }
  ssl_ = SSL_new(ctx_);
  SSL_set_fd(ssl_, fd_);
  if (!o.sni.empty()) SSL_set_tlsext_host_name(ssl_, o.sni.c_str());
  if (!o.alpn.empty()) {
    const std::string w = alpn_wire(o.alpn);
    SSL_set_alpn_protos(ssl_, reinterpret_cast<const unsigned char*>(w.data()), unsigned(w.size()));
  }
  if (SSL_connect(ssl_) != 1) {
    error_ = "handshake: " + ssl_errors();
    return;
  }
  ok_ = true;
}

TlsClient::~TlsClient() {
  if (ssl_) SSL_free(ssl_);
  if (ctx_) SSL_CTX_free(ctx_);
  if (fd_ >= 0) close(fd_);
}

bool TlsClient::write_all(std::string_view data) {
  while (ok_ && !data.empty()) {
    size_t n = 0;
    if (SSL_write_ex(ssl_, data.data(), data.size(), &n) != 1) {
      error_ = "write: " + ssl_errors();
      return false;
    }
    data.remove_prefix(n);
  }
  return ok_;
}

bool TlsClient::fill_to(size_t n) {
  char chunk[16384];
  while (buf_.size() < n) {
    size_t got = 0;
    if (SSL_read_ex(ssl_, chunk, sizeof chunk, &got) != 1) return false;
    buf_.append(chunk, got);
  }
  return true;
}

int TlsClient::read_response(std::string* head, std::string* body) {
  size_t end;
  while ((end = buf_.find("\r\n\r\n")) == std::string::npos)
    if (!fill_to(buf_.size() + 1)) return 0;
  *head = buf_.substr(0, end + 4);
  buf_.erase(0, end + 4);
  const int status = std::atoi(head->c_str() + 9);
  size_t at = 0;
  long long len = -1;
  while ((at = head->find("\r\n", at)) != std::string::npos) {
    at += 2;
    if (strncasecmp(head->c_str() + at, "content-length:", 15) == 0)
      len = std::atoll(head->c_str() + at + 15);
  }
  if (len < 0) {
    while (fill_to(buf_.size() + 1)) {
    }
    len = (long long)buf_.size();
  }
  if (!fill_to(size_t(len))) return 0;
  *body = buf_.substr(0, size_t(len));
  buf_.erase(0, size_t(len));
  return status;
}

bool TlsClient::wait_closed() {
  char c;
  size_t n = 0;
  const int r = SSL_read_ex(ssl_, &c, 1, &n);
  if (r == 1) return false;
  const int e = SSL_get_error(ssl_, r);
  ERR_clear_error();
  return e == SSL_ERROR_ZERO_RETURN || (e == SSL_ERROR_SYSCALL && errno != EAGAIN);
}

}  // namespace hearth::test
