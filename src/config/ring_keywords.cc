// "ring NAME" sections (HAProxy manual 3.9): description, format, maxlen,
// size, timeout connect|server, server NAME ADDR [log-proto P].
#include "config/address.h"
#include "config/keywords.h"
#include "config/parse_context.h"
#include "config/units.h"
#include "expr/event_sink.h"

namespace hearth::config::detail {
namespace {

void parse_ring_server(const Directive& d, RingConfig& ring, Reporter& rep) {
  const char* usage = "server NAME ADDR:PORT [log-proto legacy|octet-count]";
  if (d.size() < 3) return rep.error(d.loc, "server", std::string("expects ") + usage);
  RingServerConfig s;
  s.loc = d.loc;
  s.name = d[1];
  s.address = d[2];
  if (std::string why = check_server_address(s.address); !why.empty())
    return rep.error(d.loc, "server", "'" + s.address + "': " + why);
  for (size_t i = 3; i < d.size(); i += 2) {
    if (d[i] != "log-proto") {
      // Ring servers take HAProxy's server options; Hearth only the framing.
      return rep.error(
          d.loc, "server",
          "option '" + d[i] + "' is not supported on a ring's server: expects " + usage);
    }
    if (i + 1 >= d.size() || (d[i + 1] != "legacy" && d[i + 1] != "octet-count"))
      return rep.error(d.loc, "server", "'log-proto' expects 'legacy' or 'octet-count'");
    s.octet_count = d[i + 1] == "octet-count";
  }
  for (const RingServerConfig& other : ring.servers)
    if (other.name == s.name)
      return rep.error(d.loc, "server",
                       "ring '" + ring.name + "' already has a server named '" + s.name + "'");
  ring.servers.push_back(std::move(s));
}

void parse_ring_timeout(const Directive& d, RingConfig& ring, Reporter& rep) {
  if (d.size() != 3 || (d[1] != "connect" && d[1] != "server"))
    return rep.error(d.loc, "timeout", "expects 'timeout connect T' or 'timeout server T'");
  const auto ms = parse_duration_ms(d[2]);
  if (!ms) return rep.error(d.loc, "timeout " + d[1], "invalid duration '" + d[2] + "'");
  (d[1] == "connect" ? ring.timeout_connect_ms : ring.timeout_server_ms) = *ms;
}

}  // namespace

int open_ring(const Directive& d, Config& config, Reporter& rep) {
  if (d.size() != 2) return rep.error(d.loc, "ring", "expects one argument: ring NAME"), -1;
  if (!is_valid_name(d[1])) {
    rep.error(d.loc, "ring",
              "invalid name '" + d[1] + "': expects letters, digits, '-', '_', '.' or ':'");
    return -1;
  }
  for (const RingConfig& r : config.rings)
    if (r.name == d[1]) return rep.error(d.loc, "ring", "a ring named '" + d[1] + "' exists"), -1;
  RingConfig r;
  r.loc = d.loc;
  r.name = d[1];
  r.size = size_t(config.global.tune_bufsize);
  r.maxlen = config.global.tune_bufsize;
  expr::declare_event_sink(r.name);  // the debug converter may name it from now on
  config.rings.push_back(std::move(r));
  return int(config.rings.size()) - 1;
}

void parse_ring_keyword(const Directive& d, RingConfig& ring, int bufsize, Reporter& rep) {
  const std::string& kw = d[0];
  if (kw == "server") return parse_ring_server(d, ring, rep);
  if (kw == "timeout") return parse_ring_timeout(d, ring, rep);
  if (kw == "description") {
    if (d.size() != 2)
      return rep.error(d.loc, kw, "expects one argument: quote a description with spaces");
    ring.description = d[1];
    return;
  }
  if (kw == "format") {
    if (d.size() != 2 || !parse_syslog_format(d[1], &ring.format))
      return rep.error(d.loc, kw,
                       "expects one of local, rfc3164, rfc5424, priority, short, timed, iso, raw");
    return;
  }
  if (kw == "maxlen") {
    const auto n = d.size() == 2 ? parse_int(d[1]) : std::nullopt;
    if (!n || *n <= 0 || *n > 65535 * 16)
      return rep.error(d.loc, kw, "expects a positive length in bytes");
    ring.maxlen = int(*n);
    return;
  }
  if (kw == "size") {
    const auto n = d.size() == 2 ? parse_size(d[1]) : std::nullopt;
    if (!n) return rep.error(d.loc, kw, "expects a size in bytes (k, m, g allowed)");
    // HAProxy refuses to shrink a ring below its starting size, tune.bufsize.
    if (*n < bufsize)
      return rep.error(d.loc, kw,
                       "size " + d[1] + " is below tune.bufsize (" + std::to_string(bufsize) +
                           "), the smallest ring");
    ring.size = size_t(*n);
    return;
  }
  if (kw == "backing-file")
    return rep.error(d.loc, kw, "Hearth does not support file-backed rings yet");
  rep.error(d.loc, kw,
            "unknown keyword in a ring section: expects description, format, maxlen, size, "
            "timeout or server");
}

}  // namespace hearth::config::detail
