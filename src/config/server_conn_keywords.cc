// Server options about how its connections are made (server_keywords.cc has
// the rest): id, source, tfo, redir, cookie, init-addr; and the proxy's "source".
#include <arpa/inet.h>

#include "config/keywords.h"
#include "config/units.h"

namespace hearth::config::detail {
namespace {

// Returns: true if `ip` is an IPv4 or IPv6 address (no brackets, no port).
bool is_ip(const std::string& ip) {
  in_addr v4;
  in6_addr v6;
  return inet_pton(AF_INET, ip.c_str(), &v4) == 1 || inet_pton(AF_INET6, ip.c_str(), &v6) == 1;
}

// "IP", "IP:PORT", "[IP6]" or "[IP6]:PORT", PORT in 0..65535 (0: any).
// Returns: an empty string if acceptable, else the reason.
std::string check_source(const std::string& text) {
  std::string host = text, port;
  if (!text.empty() && text[0] == '[') {
    const size_t close = text.find(']');
    if (close == std::string::npos) return "missing ']'";
    host = text.substr(1, close - 1);
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':') return "expects ':PORT' after ']'";
      port = text.substr(close + 2);
    }
  } else if (size_t colon = text.rfind(':');
             colon != std::string::npos && text.find(':') == colon) {
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  if (!is_ip(host)) return "'" + host + "' is not an IPv4 or IPv6 address";
  if (!port.empty()) {
    auto n = parse_int(port);
    if (!n || *n < 0 || *n > 65535 || port.find_first_not_of("0123456789") != std::string::npos)
      return "invalid port '" + port + "': expects a number between 0 and 65535";
  }
  return "";
}

bool apply_source(const Directive& d, size_t v, const std::string& kw, std::string* out,
                  Reporter& rep) {
  const std::string text = v < d.size() ? d[v] : "";
  const std::string why = text.empty() ? "expects ADDR[:PORT]" : check_source(text);
  if (!why.empty()) {
    rep.error(d.loc, kw, "'source': " + why);
    return false;
  }
  if (v + 1 < d.size() && (d[v + 1] == "usesrc" || d[v + 1] == "interface")) {
    rep.error(d.loc, kw, "'source ... " + d[v + 1] + "' is not supported by Hearth yet");
    return false;
  }
  *out = text;
  return true;
}

// "init-addr METHOD[,METHOD...]": last, libc, none or an IP, tried in order.
bool apply_init_addr(const Directive& d, size_t v, const std::string& kw, ServerConfig& sv,
                     Reporter& rep) {
  const std::string list = v < d.size() ? d[v] : "";
  std::vector<std::string> methods;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    const std::string m = list.substr(start, comma - start);
    if (m != "last" && m != "libc" && m != "none" && !is_ip(m)) {
      rep.error(d.loc, kw,
                "init-addr expects a comma-separated list of last, libc, none or an IP address, "
                "got '" +
                    m + "'");
      return false;
    }
    methods.push_back(m);
    start = comma + 1;
  }
  sv.init_addr = std::move(methods);
  return true;
}

}  // namespace

int apply_server_conn_option(const Directive& d, size_t v, const std::string& o,
                             const std::string& kw, ServerConfig& sv, Reporter& rep) {
  if (o == "id") {
    auto n = v < d.size() ? parse_int(d[v]) : std::nullopt;
    if (!n || *n < 1 || *n > 2147483647) {
      rep.error(d.loc, kw,
                "option 'id' expects a positive integer, got '" + (v < d.size() ? d[v] : "") + "'");
      return -1;
    }
    if (kw == "default-server") {
      rep.error(d.loc, kw, "option 'id' names one server: write it on the server line");
      return -1;
    }
    sv.id = static_cast<int>(*n);
  } else if (o == "source") {
    if (!apply_source(d, v, kw, &sv.source, rep)) return -1;
  } else if (o == "redir") {
    if (v >= d.size() || d[v].empty()) {
      rep.error(d.loc, kw, "option 'redir' expects a prefix such as http://www.example.com");
      return -1;
    }
    sv.redir = d[v];
  } else if (o == "cookie") {
    if (v >= d.size() || d[v].empty()) {
      rep.error(d.loc, kw,
                "option 'cookie' expects a value (the persistence cookie's for this server)");
      return -1;
    }
    sv.cookie = d[v];
  } else if (o == "init-addr") {
    if (!apply_init_addr(d, v, kw, sv, rep)) return -1;
  } else {
    return 0;
  }
  return 1;
}

void parse_proxy_source(const Directive& d, ProxySection& s, Reporter& rep) {
  // usesrc / interface get their own message from apply_source.
  const bool known_extra = d.size() > 2 && (d[2] == "usesrc" || d[2] == "interface");
  if (!known_extra && !check_arity(d, "source", 2, 2, "source ADDR[:PORT]", rep)) return;
  apply_source(d, 1, "source", &s.proxy.source, rep);
}

}  // namespace hearth::config::detail
