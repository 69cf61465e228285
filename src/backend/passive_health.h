#pragma once
// Passive health ("observe", "error-limit", "on-error"): what a server's own
// traffic says about it, as HAProxy 2.6 reads it. Streams on any thread
// report events; each error that is not followed by a success adds one to
// the server's count of consecutive errors, and the error that reaches
// `error-limit` hands the on-error action to the server's health check, on
// the check's own thread (HealthCheck::apply_passive). This file is pure
// logic plus atomics: no I/O, no locks.
//
// Which events count, per mode (HAProxy's table):
//   event                              layer4    layer7
//   connection established             success   ignored
//   connection failed or timed out     error     error
//   HTTP response 100-499, 501, 505    ignored   success
//   HTTP response with another status  ignored   error
//   invalid response head, invalid     ignored   error
//   response, read error, read
//   timeout, close before a response
#include <atomic>
#include <cstdint>

#include "config/enums.h"

namespace hearth::backend {

class Backend;
class Server;

using ObserveMode = config::ObserveMode;
using OnError = config::OnError;

// An event of a server's traffic (HAProxy's "HANA" statuses).
enum class PassiveEvent : uint8_t {
  kL4Ok,             // a connection to the server was established (or reused)
  kL4Err,            // a connection attempt failed or timed out
  kHttpOk,           // a response whose status does not blame the server
  kHttpSts,          // a response with a 5xx status other than 501 and 505 (or < 100)
  kHttpHdrRsp,       // an invalid response head
  kHttpRsp,          // an invalid response (payload framing)
  kHttpReadError,    // an error on the connection before a response
  kHttpReadTimeout,  // no response within timeout server
  kHttpBrokenPipe,   // the server closed before a response
};

// Returns: HAProxy's words for the event ("L4 unsuccessful connection"...).
const char* passive_event_text(PassiveEvent e);
// Returns: the event an HTTP response with `status` is.
PassiveEvent http_status_event(int status);

enum class PassiveVerdict : uint8_t { kIgnored, kSuccess, kError };
PassiveVerdict passive_verdict(ObserveMode mode, PassiveEvent e);

// A server's passive health settings and count. Settings are written at
// load (or by "add server" before the server is published); the count by
// any thread.
class PassiveHealth {
 public:
  ObserveMode mode = ObserveMode::kNone;
  int error_limit = 10;
  OnError on_error = OnError::kFailCheck;

  // Records one event. Returns: true if this error made the count reach
  // error_limit: the caller then hands the action over, and the count
  // starts again from 0 (exactly one caller sees each time the limit is
  // reached, whatever the threads).
  bool record(PassiveEvent e);
  // A health check passed: errors before it no longer count as consecutive.
  void clear() { consecutive_.store(0, std::memory_order_relaxed); }
  int consecutive() const { return consecutive_.load(std::memory_order_relaxed); }
  // Times the limit was reached (show stat's hanafail).
  uint64_t failed() const { return failed_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int> consecutive_{0};
  std::atomic<uint64_t> failed_{0};
};

// Any thread: reports an event of `s`'s traffic. Without "observe" or
// without a health check it does nothing (as HAProxy); when the limit is
// reached, the action is posted to the check's thread.
void note_passive(Server& s, PassiveEvent e);

}  // namespace hearth::backend
