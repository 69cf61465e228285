#include "proxyproto/writer.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstdio>
#include <cstring>

#include "proxyproto/crc32c.h"
#include "proxyproto/header.h"

namespace hearth::proxyproto {
namespace {

bool is_ip(const sockaddr* a) { return a && (a->sa_family == AF_INET || a->sa_family == AF_INET6); }

// The IPv6 form of an IP address (IPv4-mapped for an IPv4 one) and its port.
void as_v6(const sockaddr* a, in6_addr* ip, uint16_t* port_be) {
  if (a->sa_family == AF_INET6) {
    const auto* s = reinterpret_cast<const sockaddr_in6*>(a);
    *ip = s->sin6_addr;
    *port_be = s->sin6_port;
    return;
  }
  const auto* s = reinterpret_cast<const sockaddr_in*>(a);
  std::memset(ip, 0, sizeof *ip);
  ip->s6_addr[10] = ip->s6_addr[11] = 0xFF;
  std::memcpy(&ip->s6_addr[12], &s->sin_addr, 4);
  *port_be = s->sin_port;
}

}  // namespace

size_t write_v1(const sockaddr* src, const sockaddr* dst, char* out, size_t cap) {
  int n;
  if (!is_ip(src) || !is_ip(dst)) {
    n = std::snprintf(out, cap, "PROXY UNKNOWN\r\n");
  } else if (src->sa_family == AF_INET && dst->sa_family == AF_INET) {
    const auto* s = reinterpret_cast<const sockaddr_in*>(src);
    const auto* d = reinterpret_cast<const sockaddr_in*>(dst);
    char sa[INET_ADDRSTRLEN], da[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &s->sin_addr, sa, sizeof sa);
    inet_ntop(AF_INET, &d->sin_addr, da, sizeof da);
    n = std::snprintf(out, cap, "PROXY TCP4 %s %s %u %u\r\n", sa, da, ntohs(s->sin_port),
                      ntohs(d->sin_port));
  } else {
    in6_addr si, di;
    uint16_t sp, dp;
    as_v6(src, &si, &sp);
    as_v6(dst, &di, &dp);
    char sa[INET6_ADDRSTRLEN], da[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, &si, sa, sizeof sa);
    inet_ntop(AF_INET6, &di, da, sizeof da);
    n = std::snprintf(out, cap, "PROXY TCP6 %s %s %u %u\r\n", sa, da, ntohs(sp), ntohs(dp));
  }
  return n > 0 && size_t(n) < cap ? size_t(n) : 0;
}

void V2Writer::begin(const sockaddr* src, const sockaddr* dst) {
  len_ = 0;
  overflow_ = false;
  put(kV2Signature, sizeof kV2Signature);
  if (!is_ip(src) || !is_ip(dst)) {
    const uint8_t h[4] = {0x20, 0x00, 0, 0};  // LOCAL, UNSPEC
    put(h, 4);
    return;
  }
  if (src->sa_family == AF_INET && dst->sa_family == AF_INET) {
    const uint8_t h[4] = {0x21, 0x11, 0, 0};
    put(h, 4);
    const auto* s = reinterpret_cast<const sockaddr_in*>(src);
    const auto* d = reinterpret_cast<const sockaddr_in*>(dst);
    put(&s->sin_addr, 4);
    put(&d->sin_addr, 4);
    put(&s->sin_port, 2);
    put(&d->sin_port, 2);
    return;
  }
  const uint8_t h[4] = {0x21, 0x21, 0, 0};
  put(h, 4);
  in6_addr si, di;
  uint16_t sp, dp;
  as_v6(src, &si, &sp);
  as_v6(dst, &di, &dp);
  put(&si, 16);
  put(&di, 16);
  put(&sp, 2);
  put(&dp, 2);
}

void V2Writer::put(const void* p, size_t n) {
  if (overflow_ || n > cap_ - len_) {
    overflow_ = true;
    return;
  }
  std::memcpy(buf_ + len_, p, n);
  len_ += n;
}

size_t V2Writer::open(uint8_t type) {
  const size_t at = len_;
  const uint8_t h[3] = {type, 0, 0};
  put(h, 3);
  return at;
}

void V2Writer::close(size_t at) {
  if (overflow_) return;
  const size_t n = len_ - at - 3;
  if (n > 0xFFFF) {
    overflow_ = true;
    return;
  }
  buf_[at + 1] = uint8_t(n >> 8);
  buf_[at + 2] = uint8_t(n);
}

void V2Writer::add(uint8_t type, std::string_view value) {
  const size_t at = open(type);
  put(value.data(), value.size());
  close(at);
}

size_t V2Writer::finish(bool crc) {
  size_t crc_at = 0;
  if (crc) {
    crc_at = open(kTlvCrc32c) + 3;
    const uint8_t zeros[4] = {0, 0, 0, 0};
    put(zeros, 4);
    close(crc_at - 3);
  }
  if (overflow_ || len_ < 16 || len_ - 16 > 0xFFFF) return 0;
  buf_[14] = uint8_t((len_ - 16) >> 8);
  buf_[15] = uint8_t(len_ - 16);
  if (crc) {
    const uint32_t c = crc32c(buf_, len_);
    buf_[crc_at] = uint8_t(c >> 24);
    buf_[crc_at + 1] = uint8_t(c >> 16);
    buf_[crc_at + 2] = uint8_t(c >> 8);
    buf_[crc_at + 3] = uint8_t(c);
  }
  return len_;
}

}  // namespace hearth::proxyproto
