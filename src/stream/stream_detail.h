#pragma once
// The formatters of "show sess" (stream_detail.cc): one line per stream
// (describe_stream, declared in live_stream.h), and for "show sess all" and
// "show sess ID" one stream in detail, a block of lines laid out as HAProxy
// 2.6 lays out its own (a head line with the accept date, then frontend,
// backend, server, task, transaction, both stream connectors and both
// channels), with what Hearth has in each: its own states, no internal
// flags. Operators read it; no tool parses it.
#include <cstdint>
#include <string>
#include <string_view>

namespace hearth::net {
class Connection;
}
namespace hearth::backend {
class Backend;
}

namespace hearth::stream {

class Frontend;
class ServerSide;

struct StreamDetail {
  const void* id = nullptr;
  const net::Connection* client = nullptr;  // the client's connection
  const Frontend* fe = nullptr;
  const backend::Backend* be = nullptr;  // null: none chosen yet
  const ServerSide* ss = nullptr;        // the server side (server, connection, retries)
  int64_t start_ms = 0;                  // loop time the stream began
  const char* state = "";                // the stream's phase
  int64_t exp_ms = 0;                    // its next deadline (kNever: none)
  uint64_t calls = 0;                    // calls of its tasklet
  uint64_t req_total = 0;                // bytes received from the client
  uint64_t res_total = 0;                // bytes sent to the client
  // HTTP only (http false: a TCP stream, no transaction line).
  bool http = false;
  std::string_view method;
  int status = -1;             // sent to the client (-1: none yet)
  bool req_done = false;       // the whole request was received
  bool res_head_done = false;  // the response head was sent
  bool res_done = false;       // the whole response was sent
};

// Returns: the block of lines (each ending with "\n").
std::string describe_stream_detail(const StreamDetail& d, int64_t now_ms);

}  // namespace hearth::stream
