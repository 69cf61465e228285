#include "app/version.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <openssl/crypto.h>
#include <openssl/opensslv.h>
#include <pcre2.h>
#include <sys/utsname.h>

#include <cstdio>

#include "config/build_info.h"
#include "core/pool.h"

#ifndef HEARTH_BUILD_TYPE
#define HEARTH_BUILD_TYPE "unknown"
#endif

namespace hearth::app {
namespace {

void print_build_options() {
  printf("Build options :\n");
  printf("  TARGET  = linux-glibc\n");
  printf("  CPU     = generic\n");
#if defined(__clang__)
  printf("  CC      = clang %s\n", __clang_version__);
#else
  printf("  CC      = gcc %s\n", __VERSION__);
#endif
  printf("  CFLAGS  = (CMake build type %s)\n", HEARTH_BUILD_TYPE);
  printf("  OPTIONS = USE_OPENSSL=1 USE_PCRE2=1 USE_PCRE2_JIT=1 USE_LIBCRYPT=1 USE_THREAD=1\n");
  printf("  DEBUG   = \n\n");
  printf("Feature list :");
  for (const config::Feature& f : config::build_features())
    printf(" %c%.*s", f.present ? '+' : '-', int(f.name.size()), f.name.data());
  printf("\n\n");
}

void print_libraries() {
  printf("Built with multi-threading support (MAX_THREADS=%d, default=1).\n", kMaxThreads);
  printf("Built with OpenSSL version : %s\n", OPENSSL_VERSION_TEXT);
  printf("Running on OpenSSL version : %s\n", OpenSSL_version(OPENSSL_VERSION));
  printf("OpenSSL is used for digests and MACs only: Hearth does not terminate TLS.\n");
  char pcre_version[64] = "";
  pcre2_config(PCRE2_CONFIG_VERSION, pcre_version);
  uint32_t jit = 0;
  pcre2_config(PCRE2_CONFIG_JIT, &jit);
  printf("Built with PCRE2 version : %s\n", pcre_version);
  printf("PCRE2 library supports JIT : %s\n", jit ? "yes" : "no (USE_PCRE2_JIT not set)");
  printf("Encrypted password support via crypt(3): yes\n");
#if defined(__clang__)
  printf("Built with clang compiler version %s\n\n", __clang_version__);
#else
  printf("Built with gcc compiler version %s\n\n", __VERSION__);
#endif
  printf("Available polling systems :\n");
  printf("      epoll : pref=300,  test result OK\n");
  printf("Total: 1 (1 usable), will use epoll.\n\n");
  printf("Available multiplexer protocols :\n");
  printf("(protocols marked as <default> cannot be specified using 'proto' keyword)\n");
  printf("  <default> : mode=HTTP  side=FE|BE  mux=H1    flags=HTX\n");
  printf("  <default> : mode=TCP   side=FE|BE  mux=PASS  flags=\n\n");
  printf("Available services : prometheus-exporter\n\n");
  printf("Available filters : none\n");
}

}  // namespace

void print_version(int level) {
  const std::string_view v = config::hearth_version();
  printf("HAProxy version %d.%d.%d-compatible (Hearth %.*s)\n", config::kCompatMajor,
         config::kCompatMinor, config::kCompatPatch, int(v.size()), v.data());
  printf("Status: Hearth, a reverse proxy that reads haproxy.cfg and behaves as HAProxy %d.%d.\n",
         config::kCompatMajor, config::kCompatMinor);
  utsname u{};
  if (uname(&u) == 0)
    printf("Running on: %s %s %s %s\n", u.sysname, u.release, u.version, u.machine);
  if (level < 2) return;
  print_build_options();
  printf("Default settings :\n  bufsize = 16384, maxpollevents = 256\n\n");
  print_libraries();
}

}  // namespace hearth::app
