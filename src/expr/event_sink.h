#pragma once
// The event sinks the debug converter writes to (HAProxy's "show events"
// sinks): "stdout", "stderr", the built-in in-memory ring "buf0", and the
// configuration's ring sections. The configuration parser declares each
// ring as it reads it, so that a converter naming an unknown sink is
// refused at load time; the runtime installs the writer that reaches the
// rings. Without one (hearth -c, tests) stdout and stderr are still written
// and ring events are dropped.
#include <string_view>

namespace hearth::expr {

// A new configuration: only the built-in sinks are known.
void reset_event_sinks();
// A ring section called `name` exists (config parser).
void declare_event_sink(std::string_view name);
// Returns: whether `name` is a built-in sink or a declared ring.
bool event_sink_known(std::string_view name);

// Writes one event (without a trailing newline) to the ring `sink`.
using EventSinkWriter = void (*)(std::string_view sink, std::string_view event);
// Set before any worker runs.
void set_event_sink_writer(EventSinkWriter w);
// Writes `event` to `sink`: a line on the file descriptor for stdout and
// stderr, one ring event otherwise.
void write_event_sink(std::string_view sink, std::string_view event);

}  // namespace hearth::expr
