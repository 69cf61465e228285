#pragma once
// Helpers of the access log (stream/access_log.h): the request line as the
// log keeps it, and the wall clock.
#include <cstdint>
#include <string>
#include <string_view>

namespace hearth::stream {

// tune.http.logurilen: the longest request line the log keeps, in bytes
// (1023 unless set). Requires: before any worker runs.
void set_log_uri_len(size_t n);

// Returns: "METHOD TARGET HTTP/M.m" cut to the set_log_uri_len() first bytes,
// as HAProxy cuts its capture. Bytes are kept raw; the log format encodes them.
std::string capture_request_line(std::string_view method, std::string_view target,
                                 int version_major, int version_minor);

// Returns: the wall-clock time in milliseconds since the epoch.
int64_t wall_clock_ms();

}  // namespace hearth::stream
