#include "config/build_info.h"

#include <iterator>

#ifndef HEARTH_VERSION
#define HEARTH_VERSION "0.0"
#endif
#ifndef HEARTH_RELEASE_DATE
#define HEARTH_RELEASE_DATE "unknown"
#endif

namespace hearth::config {
namespace {

// HAProxy 2.6's feature names. '+' only for what Hearth really does:
// - ACCEPT4, EPOLL, GETADDRINFO: the listener, event loop and resolver use them;
// - CRYPT_H, LIBCRYPT: userlist passwords through crypt(3);
// - OPENSSL: libcrypto is linked and the converters built on it (digest,
//   hmac, sha2, secure_memcmp, ...) exist. TLS is not implemented: "ssl"
//   on a bind or server line is refused at load (docs/configuration.md);
// - PCRE2, PCRE2_JIT: regexes are PCRE2, JIT-compiled when possible;
// - THREAD: nbthread; CPU_AFFINITY: cpu-map (sched_setaffinity).
constexpr Feature kFeatures[] = {
    {"51DEGREES", false},    {"ACCEPT4", true},      {"BACKTRACE", false},
    {"CLOSEFROM", false},    {"CPU_AFFINITY", true}, {"CRYPT_H", true},
    {"DEVICEATLAS", false},  {"DL", false},          {"ENGINE", false},
    {"EPOLL", true},         {"EVPORTS", false},     {"GETADDRINFO", true},
    {"KQUEUE", false},       {"LIBCRYPT", true},     {"LINUX_SPLICE", true},
    {"LINUX_TPROXY", false}, {"LUA", false},         {"MEMORY_PROFILING", false},
    {"NETFILTER", false},    {"NS", false},          {"OBSOLETE_LINKER", false},
    {"OPENSSL", true},       {"OT", false},          {"PCRE", false},
    {"PCRE2", true},         {"PCRE2_JIT", true},    {"PCRE_JIT", false},
    {"POLL", false},         {"PRCTL", false},       {"PROCCTL", false},
    {"PROMEX", true},        {"QUIC", false},        {"RT", false},
    {"SLZ", false},          {"STATIC_PCRE", false}, {"STATIC_PCRE2", false},
    {"SYSTEMD", true},       {"TFO", false},         {"THREAD", true},
    {"THREAD_DUMP", false},  {"TPROXY", false},      {"WURFL", false},
    {"ZLIB", false},
};

}  // namespace

std::string_view hearth_version() { return HEARTH_VERSION; }
std::string_view hearth_release_date() { return HEARTH_RELEASE_DATE; }

std::span<const Feature> build_features() { return {std::begin(kFeatures), std::end(kFeatures)}; }

bool has_feature(std::string_view name) {
  for (const Feature& f : kFeatures)
    if (f.name == name) return f.present;
  return false;
}

}  // namespace hearth::config
