#pragma once
// Included by model.h (after SourceLoc). The parsed "resolvers" sections
// (HAProxy manual 5.3.2) and what a server
// line says about its run-time name resolution. Plain data.
#include <cstdint>
#include <string>
#include <vector>

namespace hearth::config {

struct NameserverConfig {
  SourceLoc loc;
  std::string name;     // "nameserver NAME ..."; the address text for parse-resolv-conf's
  std::string address;  // "IP:PORT" (53 when none was written), IPv6 in brackets
};

struct ResolversConfig {
  SourceLoc loc;
  std::string name;
  std::vector<NameserverConfig> nameservers;  // in order, parse-resolv-conf's in place
  int accepted_payload_size = 512;            // EDNS0 payload announced (512..65535)
  int resolve_retries = 3;                    // queries before giving up
  int64_t timeout_resolve_ms = 1000;          // between two resolutions of a name
  int64_t timeout_retry_ms = 1000;            // before a query is sent again
  // hold PERIOD by status: how long a name keeps its last valid answer after
  // this status (valid: between resolutions that succeed, do-resolve only;
  // obsolete: an SRV record missing from newer answers).
  int64_t hold_valid_ms = 10000;
  int64_t hold_obsolete_ms = 0;
  int64_t hold_nx_ms = 30000;
  int64_t hold_other_ms = 30000;
  int64_t hold_refused_ms = 30000;
  int64_t hold_timeout_ms = 30000;
  // Created by Hearth, as HAProxy does, when no section is named "default":
  // the nameservers of /etc/resolv.conf, used by nothing unless named.
  bool implicit = false;
};

// "resolve-prefer": the family chosen when an answer has both.
enum class ResolveFamily : uint8_t { kIpv6, kIpv4 };

// A network of "resolve-net" (addresses of that family within prefix bits).
struct ResolveNet {
  int family = 0;  // AF_INET or AF_INET6
  uint8_t addr[16] = {};
  int prefix = 0;
};

// What a server line says about run-time resolution.
struct ServerResolveConfig {
  std::string resolvers;  // "resolvers NAME" ("": none)
  ResolveFamily prefer = ResolveFamily::kIpv6;
  std::vector<ResolveNet> nets;  // "resolve-net"
  int dup_ip = -1;             // resolve-opts: -1 unset (prevent), 0 prevent-dup-ip, 1 allow-dup-ip
  bool ignore_weight = false;  // resolve-opts ignore-weight
};

// Appends the nameservers of a resolv.conf file (parse-resolv-conf, and the
// implicit "default" section) not already listed. Returns: false with *why
// if the file cannot be read.
bool append_resolv_conf(const std::string& path, const SourceLoc& loc, ResolversConfig& r,
                        std::string* why);

}  // namespace hearth::config
