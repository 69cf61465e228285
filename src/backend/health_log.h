#pragma once
// The lines a backend writes about its servers' health, worded as HAProxy 2.6
// words them (tools grep for these): a server going UP or DOWN, a backend left
// without any server, and, under "option log-health-checks", every check
// result that moves a server's health counter. Each line goes to stderr and
// to the backend's own log targets (BackendSettings::event_log).
#include <cstdint>
#include <string>
#include <string_view>

#include "backend/health.h"

namespace hearth::backend {

class Backend;
class Server;

// One completed check, as the lines describe it.
struct CheckOutcome {
  CheckStatus status = CheckStatus::kNone;
  int code = 0;  // HTTP status of an HTTP check, else 0
  std::string_view info;
  int64_t duration_ms = 0;  // < 0: none (an on-error action), left out of the lines
  // The sessions the server held when the cause happened (-1: as it is now).
  int sessions = -1;
};

// Appends ", reason: R[, code: N][, info: "I"], check duration: Dms".
void append_check_outcome(const CheckOutcome& o, std::string* out);

// "Health check for [backup ]server B/S succeeded|failed, reason: ...,
// status: H/N UP|DOWN.", where the status is the counter after this check:
// for an UP server, the failures it can still take of `fall`; for a DOWN one,
// the successes it has of `rise`.
std::string check_result_text(const Backend& be, const Server& s, bool passed,
                              const CheckOutcome& o, const HealthCounter& after);

// "[Backup ]Server B/S is UP|DOWN[, reason: ...]. N active and M backup
// servers online|left. ..." with the session and queue counts. `why`: the
// check that caused it, or null (the reason is left out, as HAProxy does
// under log-health-checks where the check's own line already gave it).
// `sessions`: the sessions to report as active (-1: the server's count now).
std::string server_state_text(Backend& be, const Server& s, bool up, const CheckOutcome* why,
                              int sessions = -1);
// "[Backup ]Server B/S is stopping, reason: ... ." with the counts: a check
// that passed conditionally (disable-on-404); `why` null as above.
std::string server_stopping_text(Backend& be, const Server& s, const CheckOutcome* why);
// "[Backup ]Server B/S is UP|DOWN|stopping, WHY. ..." with the counts: a
// change an operator made ("changed from CLI").
std::string server_state_changed_text(Backend& be, const Server& s, std::string_view state,
                                      std::string_view why);

// "[Backup ]Server B/S is going DOWN for maintenance[ (REASON)]. ..." with
// the counts (REASON: why resolution took it out, "DNS NX status"...).
std::string maintenance_text(Backend& be, const Server& s, const std::string& reason = "");
// "[Backup ]Server B/S was DOWN and now enters maintenance[ via VB/VS]."
// (HAProxy's line, at notice level, for a server already DOWN: its checks
// took it, or a tracker whose tracked server did).
std::string maintenance_from_down_text(const Backend& be, const Server& s,
                                       const std::string& via = "");
// "[Backup ]Server B/S is UP/READY (leaving forced maintenance)." (or DOWN
// when its checks start it DOWN).
std::string maintenance_left_text(const Backend& be, const Server& s);

// "[Backup ]Server B/S is UP|DOWN|stopping via VB/VS. ..." with the counts,
// and "... is going DOWN for maintenance via VB/VS. ...": a tracker
// following the server it tracks (server_track.h).
std::string tracked_state_text(Backend& be, const Server& s, std::string_view state,
                               const std::string& via);
std::string tracked_maintenance_text(Backend& be, const Server& s, const std::string& via);
// "[Backup ]Server B/S enters drain state[ via VB/VS]. ..." with the counts
// (`entering`), or "... is UP|DOWN (leaving forced drain)." as HAProxy words
// it for the server and for its trackers.
std::string drain_text(Backend& be, const Server& s, bool entering, const std::string& via = "");
// "[Backup ]Server B/S is UP|DOWN/READY|DRAIN (leaving maintenance)." (a
// tracker whose tracked server left maintenance).
std::string tracked_maintenance_left_text(const Backend& be, const Server& s);

// Returns: "backend B has no server available!" ("proxy B" for a listen
// section) when no server of `be` is
// usable, else "".
std::string no_server_text(const Backend& be);
// Logs no_server_text() as an alert when it is not empty.
void log_if_no_server(const Backend& be);

// Writes `text` on stderr (with `tag`, such as "[WARNING]") and sends it at
// `level` (config::LogLevel) to the backend's event log, if it has one.
void emit_backend_event(const Backend& be, const char* tag, int8_t level, const std::string& text);

}  // namespace hearth::backend
