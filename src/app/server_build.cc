#include "app/server_build.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdlib>
#include <set>

#include "net/proxy_out.h"

namespace hearth::app {
namespace {

std::string where(const config::ServerConfig& sc) {
  return sc.loc.file + ":" + std::to_string(sc.loc.line) + ": 'server': server '" + sc.name + "' ";
}

// Returns: "IP:PORT" text for `ip` (brackets added for IPv6) and `port`.
std::string with_port(const std::string& ip, int port) {
  const bool v6 = ip.find(':') != std::string::npos;
  return (v6 ? "[" + ip + "]" : ip) + ":" + std::to_string(port);
}

bool is_any(const net::Address& a) {
  if (a.family() == AF_INET) return a.ss.v4.sin_addr.s_addr == htonl(INADDR_ANY);
  if (a.family() == AF_INET6) return IN6_IS_ADDR_UNSPECIFIED(&a.ss.v6.sin6_addr);
  return false;
}

}  // namespace

std::vector<int> server_ids(const config::ProxyConfig& p) {
  std::set<int> used;
  for (const config::ServerConfig& sc : p.servers)
    if (sc.id > 0) used.insert(sc.id);
  std::vector<int> ids;
  for (size_t k = 0; k < p.servers.size(); ++k) {
    if (p.servers[k].id > 0) {
      ids.push_back(p.servers[k].id);
      continue;
    }
    int next = int(k) + 1;  // its position, if no server took it
    while (used.count(next)) ++next;
    used.insert(next);
    ids.push_back(next);
  }
  return ids;
}

bool init_server_addr(const config::ServerConfig& sc, backend::Server* s,
                      std::vector<std::string>* errors, const std::string* last) {
  std::string why;
  for (const std::string& method : sc.init_addr) {
    std::string err;
    std::optional<net::Address> a;
    if (method == "none") {
      s->has_addr = false;  // the address stays unknown; the port is kept
      const size_t colon = sc.address.rfind(':');
      a = net::Address::parse(
          "0.0.0.0:" + (colon == std::string::npos ? "0" : sc.address.substr(colon + 1)), &err);
    } else if (method == "libc") {
      a = net::Address::parse(sc.address, &err);
    } else {  // an IP or the state file's, with the port written on the server line
      const size_t colon = sc.address.rfind(':');
      const int p = colon == std::string::npos ? 0 : std::atoi(sc.address.c_str() + colon + 1);
      if (method != "last")
        a = net::Address::parse(with_port(method, p), &err);
      else if (last)
        a = net::Address::parse(with_port(*last, p), &err);
      else
        err = "no address in a server state file";
    }
    if (!a) {
      why += (why.empty() ? "" : "; ") + method + ": " + err;
      continue;
    }
    s->set_address(*a);
    s->addr_from_client = s->has_addr && is_any(*a);
    s->port_from_client = sc.port_from_client;
    s->port_offset = sc.port_offset;
    return true;
  }
  errors->push_back(where(sc) + "address '" + sc.address + "': " + why);
  return false;
}

// The net layer reads the v2 options with its own names for the same bits.
static_assert(uint16_t(config::kPpSsl) == net::kPpOptSsl &&
              uint16_t(config::kPpCertCn) == net::kPpOptCertCn &&
              uint16_t(config::kPpSslCipher) == net::kPpOptSslCipher &&
              uint16_t(config::kPpCertSig) == net::kPpOptCertSig &&
              uint16_t(config::kPpCertKey) == net::kPpOptCertKey &&
              uint16_t(config::kPpAuthority) == net::kPpOptAuthority &&
              uint16_t(config::kPpCrc32c) == net::kPpOptCrc32c &&
              uint16_t(config::kPpUniqueId) == net::kPpOptUniqueId);

static void set_proxy_protocol(const config::ServerConfig& sc, backend::Server* s) {
  s->pp_version = sc.send_proxy_v2 ? 2 : sc.send_proxy_v1 ? 1 : 0;
  s->pp_opts = sc.proxy_v2_opts;
  // As HAProxy: checks follow the traffic unless they go elsewhere ("port",
  // "addr"); check-send-proxy forces a header (v1 unless v2 is set).
  const bool elsewhere = sc.check_port.has_value() || !sc.check_addr.empty();
  if (sc.check_send_proxy)
    s->check_pp_version = s->pp_version ? s->pp_version : 1;
  else
    s->check_pp_version = elsewhere ? 0 : s->pp_version;
}

bool set_connect_options(const config::ServerConfig& sc, const std::string& source,
                         const SocketBuffers& bufs, backend::Server* s,
                         std::vector<std::string>* errors) {
  set_proxy_protocol(sc, s);
  if (!sc.socks4.empty()) {  // checked at parse time; resolved here as the server's address
    std::string err;
    s->socks4 = net::Address::parse(sc.socks4, &err);
    if (!s->socks4) {
      errors->push_back(where(sc) + "socks4 '" + sc.socks4 + "': " + err);
      return false;
    }
  }
  s->check_via_socks4 = s->socks4 && sc.check_via_socks4;
  net::ConnectOptions& o = s->conn_opts;
  o.tfo = sc.tfo;
  o.sndbuf = bufs.sndbuf;
  o.rcvbuf = bufs.rcvbuf;
  if (source.empty()) return true;
  // "IP", "IP:PORT", "[IP6]" or "[IP6]:PORT" (checked at parse time).
  std::string text = source;
  const size_t colons = std::count(text.begin(), text.end(), ':');
  if (text[0] == '[')
    text = text.back() == ']' ? text + ":0" : text;
  else if (colons == 0)
    text += ":0";
  else if (colons > 1)
    text = "[" + text + "]:0";
  std::string err;
  auto a = net::Address::parse(text, &err);
  if (!a) {
    errors->push_back(where(sc) + "source '" + source + "': " + err);
    return false;
  }
  o.has_source = true;
  o.source = *a;
  return true;
}

}  // namespace hearth::app
