// "resolvers NAME" sections (HAProxy manual 5.3.2): nameserver,
// parse-resolv-conf, accepted_payload_size, resolve_retries, timeout
// resolve|retry, hold STATUS PERIOD.
#include <arpa/inet.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "config/keywords.h"
#include "config/parse_context.h"
#include "config/units.h"

namespace hearth::config::detail {
namespace {

const char* const kResolversKeywords =
    "nameserver, parse-resolv-conf, accepted_payload_size, resolve_retries, timeout, hold";

// "IP", "IP:PORT", "[IP6]", "[IP6]:PORT" or a bare IPv6 address, after an
// optional datagram prefix. Returns: "IP:PORT" (IPv6 bracketed), or "" with
// *why set.
std::string nameserver_address(std::string text, std::string* why) {
  for (const char* p : {"udp@", "udp4@", "udp6@", "ipv4@", "ipv6@"}) {
    const std::string pre = p;
    if (text.compare(0, pre.size(), pre) == 0) {
      text = text.substr(pre.size());
      break;
    }
  }
  if (text.find('@') != std::string::npos) {
    *why = text.compare(0, 3, "tcp") == 0
               ? "stream (tcp@) nameservers are not supported by Hearth: use a datagram address"
               : "unknown address prefix: expects an IP address, optionally udp@, udp4@ or udp6@";
    return "";
  }
  std::string host = text, port = "53";
  if (!text.empty() && text[0] == '[') {
    const size_t close = text.find(']');
    if (close == std::string::npos) return *why = "missing ']'", "";
    host = text.substr(1, close - 1);
    if (close + 1 < text.size()) {
      if (text[close + 1] != ':') return *why = "expects ':PORT' after ']'", "";
      port = text.substr(close + 2);
    }
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    host = text.substr(0, text.find(':'));
    port = text.substr(text.find(':') + 1);
  }
  const auto p = parse_int(port);
  if (!p || *p < 1 || *p > 65535) return *why = "invalid port '" + port + "'", "";
  unsigned char buf[16];
  if (inet_pton(AF_INET, host.c_str(), buf) == 1) return host + ":" + port;
  if (inet_pton(AF_INET6, host.c_str(), buf) == 1) return "[" + host + "]:" + port;
  *why = "'" + host + "' is not an IPv4 or IPv6 address (Hearth resolves no nameserver name)";
  return "";
}

bool has_nameserver(const ResolversConfig& r, const std::string& name) {
  for (const NameserverConfig& n : r.nameservers)
    if (n.name == name) return true;
  return false;
}

void parse_nameserver(const Directive& d, ResolversConfig& r, Reporter& rep) {
  if (d.size() != 3)
    return rep.error(d.loc, d[0], "expects 'nameserver NAME ADDRESS[:PORT]' (no other option)");
  std::string why;
  const std::string addr = nameserver_address(d[2], &why);
  if (addr.empty()) return rep.error(d.loc, d[0], "'" + d[2] + "': " + why);
  if (has_nameserver(r, d[1]))
    return rep.error(d.loc, d[0],
                     "resolvers '" + r.name + "' already has a nameserver named '" + d[1] + "'");
  r.nameservers.push_back({d.loc, d[1], addr});
}

void parse_resolv_conf(const Directive& d, ResolversConfig& r, Reporter& rep) {
  if (d.size() != 1) return rep.error(d.loc, d[0], "takes no argument");
  std::string why;
  if (!append_resolv_conf("/etc/resolv.conf", d.loc, r, &why)) rep.error(d.loc, d[0], why);
}

void parse_timeout(const Directive& d, ResolversConfig& r, Reporter& rep) {
  if (d.size() != 3 || (d[1] != "resolve" && d[1] != "retry"))
    return rep.error(d.loc, "timeout", "expects 'timeout resolve TIME' or 'timeout retry TIME'");
  const auto ms = parse_duration_ms(d[2]);
  if (!ms || *ms == 0)
    return rep.error(d.loc, "timeout " + d[1], "expects a non-zero duration, got '" + d[2] + "'");
  (d[1] == "resolve" ? r.timeout_resolve_ms : r.timeout_retry_ms) = *ms;
}

void parse_hold(const Directive& d, ResolversConfig& r, Reporter& rep) {
  const char* usage = "expects 'hold nx|other|refused|timeout|valid|obsolete PERIOD'";
  if (d.size() != 3) return rep.error(d.loc, "hold", usage);
  int64_t* slot = d[1] == "nx"         ? &r.hold_nx_ms
                  : d[1] == "other"    ? &r.hold_other_ms
                  : d[1] == "refused"  ? &r.hold_refused_ms
                  : d[1] == "timeout"  ? &r.hold_timeout_ms
                  : d[1] == "valid"    ? &r.hold_valid_ms
                  : d[1] == "obsolete" ? &r.hold_obsolete_ms
                                       : nullptr;
  if (!slot) return rep.error(d.loc, "hold", "unknown status '" + d[1] + "': " + usage);
  const auto ms = parse_duration_ms(d[2]);
  if (!ms) return rep.error(d.loc, "hold " + d[1], "invalid duration '" + d[2] + "'");
  *slot = *ms;
}

void parse_count(const Directive& d, int lo, int hi, int* out, Reporter& rep) {
  const auto n = d.size() == 2 ? parse_int(d[1]) : std::nullopt;
  if (!n || *n < lo || *n > hi)
    return rep.error(d.loc, d[0],
                     "expects one integer between " + std::to_string(lo) + " and " +
                         std::to_string(hi) + (d.size() > 1 ? ", got '" + d[1] + "'" : ""));
  *out = int(*n);
}

}  // namespace

int open_resolvers(const Directive& d, Config& config, Reporter& rep) {
  if (d.size() != 2)
    return rep.error(d.loc, "resolvers", "expects one argument: resolvers NAME"), -1;
  if (!is_valid_name(d[1])) {
    rep.error(d.loc, "resolvers",
              "invalid name '" + d[1] + "': expects letters, digits, '-', '_', '.' or ':'");
    return -1;
  }
  for (const ResolversConfig& r : config.resolvers)
    if (r.name == d[1])
      return rep.error(d.loc, "resolvers", "a resolvers section named '" + d[1] + "' exists"), -1;
  ResolversConfig r;
  r.loc = d.loc;
  r.name = d[1];
  config.resolvers.push_back(std::move(r));
  return int(config.resolvers.size()) - 1;
}

void parse_resolvers_keyword(const Directive& d, ResolversConfig& r, Reporter& rep) {
  const std::string& kw = d[0];
  if (kw == "nameserver") return parse_nameserver(d, r, rep);
  if (kw == "parse-resolv-conf") return parse_resolv_conf(d, r, rep);
  if (kw == "timeout") return parse_timeout(d, r, rep);
  if (kw == "hold") return parse_hold(d, r, rep);
  if (kw == "resolve_retries") return parse_count(d, 1, 1000, &r.resolve_retries, rep);
  if (kw == "accepted_payload_size") {
    parse_count(d, 12, 65535, &r.accepted_payload_size, rep);
    if (r.accepted_payload_size > 4096)
      rep.warning(d.loc, kw,
                  "Hearth announces at most 4096 bytes (the most c-ares reads over UDP); "
                  "larger answers come over TCP instead");
    return;
  }
  rep.error(d.loc, kw,
            std::string("unknown keyword in a resolvers section: expects ") + kResolversKeywords);
}

void finish_resolvers(const ResolversConfig& r, Reporter& rep) {
  if (r.nameservers.empty())
    rep.warning(r.loc, "resolvers",
                "resolvers '" + r.name + "' has no nameserver: its names will never resolve");
}

}  // namespace hearth::config::detail

namespace hearth::config {

bool append_resolv_conf(const std::string& path, const SourceLoc& loc, ResolversConfig& r,
                        std::string* why) {
  std::ifstream in(path);
  if (!in) {
    *why = "cannot read " + path;
    return false;
  }
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string kw, value;
    if (!(words >> kw >> value) || kw != "nameserver") continue;
    std::string bad;
    // A bracketless IPv6 address keeps its colons: nameserver_address takes it.
    const std::string addr = detail::nameserver_address(value, &bad);
    if (addr.empty() || detail::has_nameserver(r, value)) continue;  // as HAProxy: skipped
    r.nameservers.push_back({loc, value, addr});
  }
  return true;
}

}  // namespace hearth::config
