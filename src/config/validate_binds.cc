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
