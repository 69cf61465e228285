#pragma once
// The last invalid request of each frontend and the last invalid response of
// each backend, kept for the runtime API's "show errors" (HAProxy's error
// snapshots): when it came, which proxy, server and client, the bytes the
// parser was given and the offset of the byte it found wrong. Errors are
// rare: one process-wide mutex guards the store.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hearth::stream {

struct ErrorCapture {
  int64_t when_ms = 0;    // wall clock
  bool response = false;  // an invalid response (from a server), else a request
  // The proxy that keeps it (the frontend of a request, the backend of a
  // response) and the other side ("" / -1: none).
  std::string proxy;
  int proxy_id = 0;
  std::string other_proxy = "<NONE>";
  int other_id = -1;
  std::string server = "<NONE>";
  int server_id = -1;
  uint64_t event = 0;  // how many errors the process captured before this one
  std::string src;     // the client's "ADDR:PORT"
  std::string data;    // the buffer the parser read (at most one buffer)
  size_t buffer_size = 0;
  size_t error_at = 0;
  std::string reason;  // the parser's reason
  int status = 0;      // what was answered
};

// Keeps `c` as its proxy's last capture of its kind (c.event is set here).
// Thread-safe.
void capture_error(ErrorCapture c);

// Returns: every capture kept, and the number of errors captured since start.
std::vector<ErrorCapture> captured_errors(uint64_t* total);

// Returns: "show errors" for the captures (the proxy filter and kind already
// applied), `now_ms` the wall-clock time of the dump.
std::string format_errors(const std::vector<ErrorCapture>& captures, uint64_t total,
                          int64_t now_ms);

// HAProxy's dump of captured bytes: lines of "  OFFSET  TEXT", a row per
// line of input (ending after its LF), long lines continued on rows marked
// "OFFSET+"; bytes outside printable ASCII as \xHH, and \t \r \n \\ escaped.
std::string dump_text(std::string_view data);

}  // namespace hearth::stream
