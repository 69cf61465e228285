#pragma once
// Fatal errors of the test harness itself (not of the code under test).

namespace hearth::test {

// Prints "hearth test support: <what>: <strerror(errno)>" to stderr and aborts.
// Used only where the environment is broken (cannot bind loopback, cannot
// create a temp dir): a test cannot say anything useful past that point.
[[noreturn]] void fatal_errno(const char* what);

}  // namespace hearth::test
