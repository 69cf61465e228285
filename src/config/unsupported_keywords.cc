// HAProxy keywords and sections that Hearth recognises without implementing
// them, so that their errors can say "not supported yet" rather than
// "unknown keyword" (which usually means a typo).
#include <string_view>

#include "config/keywords.h"

namespace hearth::config::detail {
namespace {

template <size_t N>
bool listed(const char* const (&list)[N], const std::string& word) {
  for (const char* entry : list) {
    if (word == entry) return true;
  }
  return false;
}

bool has_prefix(const std::string& word, std::string_view prefix) {
  return word.compare(0, prefix.size(), prefix) == 0;
}

const char* const kSections[] = {"mailers", "cache",    "log-forward", "crt-store",
                                 "traces",  "fcgi-app", "acme",        "dynamic-update"};

const char* const kGlobal[] = {"busy-polling",
                               "cluster-secret",
                               "cpu-map",
                               "description",
                               "expose-experimental-directives",
                               "grace",
                               "insecure-setuid-wanted",
                               "lua-load",
                               "lua-load-per-thread",
                               "lua-prepend-path",
                               "maxcompcpuusage",
                               "maxcomprate",
                               "maxsslconn",
                               "maxzlibmem",
                               "nbproc",
                               "node",
                               "noepoll",
                               "nogetaddrinfo",
                               "nopoll",
                               "noreuseport",
                               "numa-cpu-mapping",
                               "presetenv",
                               "quiet",
                               "resetenv",
                               "set-dumpable",
                               "setenv",
                               "spread-checks",
                               "strict-limits",
                               "thread-groups",
                               "ulimit-n",
                               "unix-bind",
                               "unsetenv",
                               "zero-warning",
                               "h1-case-adjust",
                               "h1-case-adjust-file",
                               "harden"};

const char* const kProxy[] = {
    "backlog",     "bind-process", "compression",           "guid",
    "email-alert", "filter",       "http-send-name-header", "max-session-srv-conns",
    "persist",     "source",       "use-fcgi-app"};

}  // namespace

bool is_haproxy_section(const std::string& keyword) { return listed(kSections, keyword); }

bool is_haproxy_global_keyword(const std::string& keyword) {
  return listed(kGlobal, keyword) || has_prefix(keyword, "tune.") || has_prefix(keyword, "ssl-") ||
         has_prefix(keyword, "51degrees-") || has_prefix(keyword, "deviceatlas-") ||
         has_prefix(keyword, "wurfl-") || has_prefix(keyword, "ocsp-update.") ||
         has_prefix(keyword, "httpclient.") || has_prefix(keyword, "stats");
}

bool is_haproxy_proxy_keyword(const std::string& keyword) { return listed(kProxy, keyword); }

}  // namespace hearth::config::detail
