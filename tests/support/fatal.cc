#include "support/fatal.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace hearth::test {

void fatal_errno(const char* what) {
  int err = errno;
  std::fprintf(stderr, "hearth test support: %s: %s\n", what, std::strerror(err));
  std::abort();
}

}  // namespace hearth::test
