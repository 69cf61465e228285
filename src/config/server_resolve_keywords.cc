// The run-time resolution options of a server line: resolvers NAME,
// resolve-prefer ipv4|ipv6, resolve-net NET[,NET...], resolve-opts OPT[,OPT...].
#include <arpa/inet.h>

#include "config/keywords.h"
#include "config/units.h"

namespace hearth::config::detail {
namespace {

std::vector<std::string> split_commas(const std::string& v) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    const size_t comma = v.find(',', start);
    out.push_back(v.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

// "ADDR/BITS" or "ADDR/MASK" (IPv4 dotted mask), or a bare address (a host).
bool parse_net(const std::string& text, ResolveNet* n) {
  const size_t slash = text.find('/');
  const std::string ip = text.substr(0, slash);
  const bool v6 = ip.find(':') != std::string::npos;
  n->family = v6 ? AF_INET6 : AF_INET;
  if (inet_pton(n->family, ip.c_str(), n->addr) != 1) return false;
  const int max = v6 ? 128 : 32;
  if (slash == std::string::npos) {
    n->prefix = max;
    return true;
  }
  const std::string bits = text.substr(slash + 1);
  if (!v6 && bits.find('.') != std::string::npos) {  // a dotted mask: contiguous ones only
    in_addr m;
    if (inet_pton(AF_INET, bits.c_str(), &m) != 1) return false;
    const uint32_t mask = ntohl(m.s_addr);
    int ones = 0;
    while (ones < 32 && (mask & (0x80000000u >> ones))) ++ones;
    if (ones < 32 && (mask << ones) != 0) return false;
    n->prefix = ones;
    return true;
  }
  const auto p = parse_int(bits);
  if (!p || *p < 0 || *p > max) return false;
  n->prefix = int(*p);
  return true;
}

}  // namespace

int apply_server_resolve_option(const Directive& d, size_t v, const std::string& o,
                                const std::string& kw, ServerConfig& sv, Reporter& rep) {
  if (o != "resolvers" && o != "resolve-prefer" && o != "resolve-net" && o != "resolve-opts")
    return 0;
  if (v >= d.size()) {
    rep.error(d.loc, kw, "option '" + o + "' expects a value");
    return -1;
  }
  const std::string& val = d[v];
  ServerResolveConfig& r = sv.resolve;
  if (o == "resolvers") {
    r.resolvers = val;
  } else if (o == "resolve-prefer") {
    if (val != "ipv4" && val != "ipv6") {
      rep.error(d.loc, kw, "option 'resolve-prefer' expects 'ipv4' or 'ipv6', got '" + val + "'");
      return -1;
    }
    r.prefer = val == "ipv4" ? ResolveFamily::kIpv4 : ResolveFamily::kIpv6;
  } else if (o == "resolve-net") {
    std::vector<ResolveNet> nets;
    for (const std::string& item : split_commas(val)) {
      ResolveNet n;
      if (!parse_net(item, &n)) {
        rep.error(d.loc, kw,
                  "option 'resolve-net' expects networks such as 10.0.0.0/8 or fd00::/8, "
                  "comma-separated, got '" +
                      item + "'");
        return -1;
      }
      nets.push_back(n);
    }
    r.nets = std::move(nets);
  } else {
    for (const std::string& item : split_commas(val)) {
      if (item == "allow-dup-ip")
        r.dup_ip = 1;
      else if (item == "prevent-dup-ip")
        r.dup_ip = 0;
      else if (item == "ignore-weight")
        r.ignore_weight = true;
      else {
        rep.error(d.loc, kw,
                  "option 'resolve-opts' expects allow-dup-ip, prevent-dup-ip or ignore-weight, "
                  "comma-separated, got '" +
                      item + "'");
        return -1;
      }
    }
  }
  return 1;
}

}  // namespace hearth::config::detail
