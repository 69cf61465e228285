#pragma once
// `hearth -v` and `hearth -vv`: the version, and the build description in the
// layout of `haproxy -vv`, which HAProxy's test runners read (the "HAProxy
// version" line, TARGET, "Feature list :", "Available services :").

namespace hearth::app {

// Prints to stdout: the version lines (level 1), plus the build options,
// features and libraries (level 2).
void print_version(int level);

}  // namespace hearth::app
