#pragma once
// What a stream's end adds to its backend's and server's error counters:
// eresp (failed_resp), cli_abrt and srv_abrt, judged from its termination
// code as HAProxy 2.6 counts them (compared side by side in
// tests/integration/stat_errors_vs_haproxy_test.cc):
//
//   CD cD CH   the client aborted (or timed out) once a server was chosen: cli_abrt
//   SD         the server aborted the payload: srv_abrt and eresp
//   sD         the server timed out during the payload: srv_abrt only
//   SH sH      the server closed, failed or timed out before its response: eresp
//
// An invalid response head (PH, 502) is counted by the HTTP stream itself,
// the same code also meaning a denied response (dresp).
namespace hearth::backend {
class Backend;
class Server;
}  // namespace hearth::backend

namespace hearth::stream {

// Counts `term` (a termination code: two characters at least) in `be`'s and
// `srv`'s tallies (either may be null).
void count_stream_end(const char* term, backend::Backend* be, backend::Server* srv);

// Counts a response that failed (eresp) in `be`'s and `srv`'s tallies.
void count_failed_response(backend::Backend* be, backend::Server* srv);

}  // namespace hearth::stream
