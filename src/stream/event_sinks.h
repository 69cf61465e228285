#pragma once
// The runtime side of the debug converter's event sinks (expr/event_sink.h):
// the built-in ring "buf0" and the writer that lays an event out in its
// ring's format.
#include <cstddef>

namespace hearth::stream {

// HAProxy's built-in in-memory ring: 1 MiB, "timed" format.
constexpr size_t kBuf0Size = 1 << 20;

// Registers buf0 (if `with_buf0`: the configuration has no ring of that
// name) and installs the writer. Requires: no worker runs yet.
void install_event_sinks(bool with_buf0);

}  // namespace hearth::stream
