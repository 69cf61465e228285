#pragma once
// Helpers of the access log (stream/access_log.h): the request line as the
// log keeps it, and the wall clock.
#include <cstdint>
#include <string>
#include <string_view>

namespace hearth::stream {

// Longest request-target kept for the log, in bytes.
inline constexpr size_t kMaxLoggedTarget = 1024;

// Returns: "METHOD TARGET HTTP/M.m" with the target cut to kMaxLoggedTarget
// bytes. Bytes are kept raw; the log format encodes them.
std::string capture_request_line(std::string_view method, std::string_view target,
                                 int version_major, int version_minor);

// Returns: the wall-clock time in milliseconds since the epoch.
int64_t wall_clock_ms();

}  // namespace hearth::stream
