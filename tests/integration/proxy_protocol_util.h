#pragma once
// Shared by the PROXY protocol integration tests (proxy_protocol_*_test.cc).
#include <arpa/inet.h>

#include <string>

#include "http_test_util.h"
#include "tcp_test_util.h"

namespace hearth::test::http::pp {

using tcp::connect_from;

inline const char kDefaults[] =
    "defaults\n  mode http\n  log global\n  timeout connect 2s\n  timeout client ${TC}\n"
    "  timeout server 5s\n";

// A receiving frontend on `port` (accept-proxy) that answers with what it
// saw, and logs %ci:%cp %fi:%fp for each request.
inline std::string receiver(uint16_t port, const std::string& timeout_client = "5s",
                            const std::string& global = "") {
  return expand("global\n  log stdout format raw local0 info\n" + global + std::string(kDefaults) +
                    "frontend rcv\n  bind 127.0.0.1:${P} accept-proxy name pp\n"
                    "  log-format \"pplog ci=%ci:%cp fi=%fi:%fp\"\n"
                    "  http-request return status 200 hdr x-src \"%[src]:%[src_port]\" "
                    "hdr x-dst \"%[dst]:%[dst_port]\" hdr x-fc-src \"%[fc_src]\" "
                    "hdr x-rcvd \"%[fc_rcvd_proxy]\" hdr x-auth \"%[fc_pp_authority]\" "
                    "hdr x-uid \"%[fc_pp_unique_id]\"\n",
                {{"P", std::to_string(port)}, {"TC", timeout_client}});
}

// One request from `ip` with connection: close; the raw response.
inline std::string get_from(const char* ip, uint16_t port, uint16_t* local_port = nullptr) {
  UniqueFd fd(connect_from(ip, port));
  if (!fd.valid()) return "";
  if (local_port) {
    sockaddr_in a{};
    socklen_t len = sizeof a;
    getsockname(fd.get(), reinterpret_cast<sockaddr*>(&a), &len);
    *local_port = ntohs(a.sin_port);
  }
  if (!send_all(fd.get(), "GET /hello HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")) return "";
  return recv_until_eof(fd.get(), milliseconds{5000});
}

inline std::string header_of(const std::string& raw, const std::string& name) {
  const std::string key = "\r\n" + name + ": ";
  const size_t at = raw.find(key);
  if (at == std::string::npos) return "<none>";
  const size_t end = raw.find("\r\n", at + key.size());
  return raw.substr(at + key.size(), end - at - key.size());
}

}  // namespace hearth::test::http::pp
