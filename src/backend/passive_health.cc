#include "backend/passive_health.h"

#include "backend/health_check.h"
#include "backend/server.h"

namespace hearth::backend {

const char* passive_event_text(PassiveEvent e) {
  switch (e) {
    case PassiveEvent::kL4Ok:
      return "L4 successful connection";
    case PassiveEvent::kL4Err:
      return "L4 unsuccessful connection";
    case PassiveEvent::kHttpOk:
      return "Correct http response";
    case PassiveEvent::kHttpSts:
      return "Wrong http response";
    case PassiveEvent::kHttpHdrRsp:
      return "Invalid http response (headers)";
    case PassiveEvent::kHttpRsp:
      return "Invalid http response";
    case PassiveEvent::kHttpReadError:
      return "Read error (http)";
    case PassiveEvent::kHttpReadTimeout:
      return "Read timeout (http)";
    case PassiveEvent::kHttpBrokenPipe:
      return "Close from server (http)";
  }
  return "Unknown";
}

PassiveEvent http_status_event(int status) {
  // 501 and 505 answer what the client asked for, not a failing server.
  const bool fine = status >= 100 && (status < 500 || status == 501 || status == 505);
  return fine ? PassiveEvent::kHttpOk : PassiveEvent::kHttpSts;
}

PassiveVerdict passive_verdict(ObserveMode mode, PassiveEvent e) {
  switch (mode) {
    case ObserveMode::kNone:
      return PassiveVerdict::kIgnored;
    case ObserveMode::kLayer4:
      if (e == PassiveEvent::kL4Ok) return PassiveVerdict::kSuccess;
      return e == PassiveEvent::kL4Err ? PassiveVerdict::kError : PassiveVerdict::kIgnored;
    case ObserveMode::kLayer7:
      if (e == PassiveEvent::kL4Ok) return PassiveVerdict::kIgnored;
      return e == PassiveEvent::kHttpOk ? PassiveVerdict::kSuccess : PassiveVerdict::kError;
  }
  return PassiveVerdict::kIgnored;
}

bool PassiveHealth::record(PassiveEvent e) {
  switch (passive_verdict(mode, e)) {
    case PassiveVerdict::kIgnored:
      return false;
    case PassiveVerdict::kSuccess:
      clear();
      return false;
    case PassiveVerdict::kError:
      break;
  }
  // Each increment is seen by exactly one thread: the one that lands on the
  // limit acts and starts the count again.
  if (consecutive_.fetch_add(1, std::memory_order_relaxed) + 1 != error_limit) return false;
  consecutive_.store(0, std::memory_order_relaxed);
  failed_.fetch_add(1, std::memory_order_relaxed);
  return true;
}

void note_passive(Server& s, PassiveEvent e) {
  if (s.passive.mode == ObserveMode::kNone || !s.check) return;
  if (!s.passive.record(e)) return;
  // What HAProxy's text reports: the sessions the server held when the limit
  // was reached, this one included.
  const int sessions = s.cur_sess.load(std::memory_order_relaxed);
  const int errors = s.passive.error_limit;
  s.check->post_admin(
      [e, errors, sessions](HealthCheck& hc) { hc.apply_passive(e, errors, sessions); });
}

}  // namespace hearth::backend
