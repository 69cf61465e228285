#include "config/validate_binds.h"

#include <set>
#include <string>

#include "config/address.h"
#include "config/proxy_ids.h"

namespace hearth::config {

void validate_binds(const ProxyConfig& p, int nbthread, ParseResult& r) {
  auto error = [&r](const SourceLoc& loc, std::string msg) {
    r.errors.push_back(Diagnostic{loc, "bind", std::move(msg)});
  };
  std::set<int> ids;
  for (const BindConfig& b : p.binds) {
    const std::string why = check_bind_address(b.address);
    if (!why.empty()) error(b.loc, "invalid address '" + b.address + "': " + why);
    const BindOptions& o = b.opts;
    const bool unix_socket = check_unix_address(b.address).has_value();
    if (!o.unix_option.empty() && !unix_socket)
      r.warnings.push_back(Diagnostic{b.loc, "bind",
                                      "'" + o.unix_option +
                                          "' applies to UNIX sockets only: "
                                          "ignored on '" +
                                          b.address + "'"});
    const char* tcp_only = o.tfo                  ? "tfo"
                           : o.defer_accept       ? "defer-accept"
                           : o.transparent        ? "transparent"
                           : !o.interface.empty() ? "interface"
                           : o.mss                ? "mss"
                           : o.tcp_ut_ms          ? "tcp-ut"
                           : o.v6only >= 0        ? (o.v6only ? "v6only" : "v4v6")
                                                  : nullptr;
    if (unix_socket && tcp_only)
      r.warnings.push_back(Diagnostic{b.loc, "bind",
                                      std::string("'") + tcp_only +
                                          "' applies to TCP sockets only: ignored on the UNIX "
                                          "socket '" +
                                          b.address + "'"});
    const bool http = p.mode == Mode::kHttp;
    if (!o.proto.empty() && http != (o.proto == "h1"))
      error(b.loc, "'proto " + o.proto + "' does not suit '" + p.name + "', which is in mode " +
                       (http ? "http" : "tcp"));
    if (o.thread_max > nbthread)  // "all", "odd" and "even" mean the threads that exist
      error(b.loc, "'thread' names thread " + std::to_string(o.thread_max) +
                       ", which does not exist (nbthread " + std::to_string(nbthread) + ")");
    if (o.id && !ids.insert(o.id).second)
      error(b.loc, "'id " + std::to_string(o.id) + "' is already used by another bind of '" +
                       p.name + "'");
  }
}

std::vector<int> bind_ids(const ProxyConfig& p) {
  std::vector<int> fixed;
  for (const BindConfig& b : p.binds) fixed.push_back(b.opts.id);
  return number_ids(fixed);
}

}  // namespace hearth::config
