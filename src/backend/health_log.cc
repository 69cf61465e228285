#include "backend/health_log.h"

#include <cstdio>

#include "backend/backend.h"
#include "backend/server.h"
#include "config/log_model.h"

namespace hearth::backend {

void append_check_outcome(const CheckOutcome& o, std::string* out) {
  out->append(", reason: ").append(check_status_reason(o.status));
  // As HAProxy: the statuses that carry layer 5-7 data always show a code.
  if (o.status == CheckStatus::kL7Ok || o.status == CheckStatus::kL7OkCd ||
      o.status == CheckStatus::kL7Sts || o.status == CheckStatus::kProcErr ||
      o.status == CheckStatus::kProcTout || o.status == CheckStatus::kProcOk)
    out->append(", code: ").append(std::to_string(o.code));
  if (!o.info.empty()) out->append(", info: \"").append(o.info).append("\"");
  if (o.duration_ms >= 0)
    out->append(", check duration: ").append(std::to_string(o.duration_ms)).append("ms");
}

std::string check_result_text(const Backend& be, const Server& s, bool passed,
                              const CheckOutcome& o, const HealthCounter& after) {
  std::string t = "Health check for ";
  if (s.backup) t += "backup ";
  t += "server " + be.name() + "/" + s.name +
       (!passed                            ? " failed"
        : o.status == CheckStatus::kL7OkCd ? " conditionally succeeded"
                                           : " succeeded");
  append_check_outcome(o, &t);
  const bool up = after.up();
  const int shown = up ? after.health() - after.rise() + 1 : after.health();
  t += ", status: " + std::to_string(shown) + "/" +
       std::to_string(up ? after.fall() : after.rise()) + (up ? " UP." : " DOWN.");
  return t;
}

namespace {

std::string server_id(const Backend& be, const Server& s) {
  return (s.backup ? "Backup Server " : "Server ") + be.name() + "/" + s.name;
}

// ". N active and M backup servers left|online.[ Running on backup.]"
std::string usable_counts(const Backend& be, bool online) {
  const Backend::UsableCount n = be.usable_servers();
  std::string t = ". " + std::to_string(n.active) + " active and " + std::to_string(n.backup) +
                  " backup servers " + (online ? "online." : "left.");
  if (n.active == 0 && n.backup > 0) t += " Running on backup.";
  return t;
}

// Hearth queues in the backend only: a server leaving has no queue of its
// own to requeue from or leave entries in.
std::string left_sessions(const Server& s, int sessions = -1) {
  return " " + std::to_string(sessions >= 0 ? sessions : s.cur_sess.load()) +
         " sessions active, 0 requeued, 0 remaining in queue.";
}

}  // namespace

std::string server_state_text(Backend& be, const Server& s, bool up, const CheckOutcome* why,
                              int sessions) {
  std::string t = server_id(be, s) + (up ? " is UP" : " is DOWN");
  if (why) append_check_outcome(*why, &t);
  t += usable_counts(be, up);
  if (up)
    t += " 0 sessions requeued, " + std::to_string(be.queue_length()) + " total in queue.";
  else
    t += left_sessions(s, sessions);
  return t;
}

// The end of an UP/DOWN line: the usable servers, then the requeued and
// queued sessions (UP) or the sessions left on the server (DOWN).
static std::string state_line_tail(Backend& be, const Server& s, bool down) {
  std::string t = usable_counts(be, !down);
  if (!down)
    t += " 0 sessions requeued, " + std::to_string(be.queue_length()) + " total in queue.";
  else
    t += left_sessions(s);
  return t;
}

std::string server_stopping_text(Backend& be, const Server& s, const CheckOutcome* why) {
  std::string t = server_id(be, s) + " is stopping";
  if (why) append_check_outcome(*why, &t);
  return t + state_line_tail(be, s, false);
}

std::string server_state_changed_text(Backend& be, const Server& s, std::string_view state,
                                      std::string_view why) {
  return server_id(be, s) + " is " + std::string(state) + ", " + std::string(why) +
         state_line_tail(be, s, state == "DOWN");
}

std::string maintenance_text(Backend& be, const Server& s, const std::string& reason) {
  return server_id(be, s) + " is going DOWN for maintenance" +
         (reason.empty() ? "" : " (" + reason + ")") + usable_counts(be, false) + left_sessions(s);
}

std::string maintenance_from_down_text(const Backend& be, const Server& s, const std::string& via) {
  return server_id(be, s) + " was DOWN and now enters maintenance" +
         (via.empty() ? "" : " via " + via) + ".";
}

std::string maintenance_left_text(const Backend& be, const Server& s) {
  // A tracker says DOWN/READY, as HAProxy.
  const char* down = s.track.srv ? " is DOWN/READY" : " is DOWN";
  return server_id(be, s) + (s.up.load() ? " is UP/READY" : down) +
         " (leaving forced maintenance).";
}

std::string tracked_state_text(Backend& be, const Server& s, std::string_view state,
                               const std::string& via) {
  return server_id(be, s) + " is " + std::string(state) + " via " + via +
         state_line_tail(be, s, state == "DOWN");
}

std::string tracked_maintenance_text(Backend& be, const Server& s, const std::string& via) {
  return server_id(be, s) + " is going DOWN for maintenance via " + via + usable_counts(be, false) +
         left_sessions(s);
}

std::string drain_text(Backend& be, const Server& s, bool entering, const std::string& via) {
  if (!entering)
    return server_id(be, s) + (s.up.load() ? " is UP" : " is DOWN") + " (leaving forced drain).";
  return server_id(be, s) + " enters drain state" + (via.empty() ? "" : " via " + via) +
         usable_counts(be, true) + " 0 sessions requeued, " + std::to_string(be.queue_length()) +
         " total in queue.";
}

std::string tracked_maintenance_left_text(const Backend& be, const Server& s) {
  return server_id(be, s) + (s.up.load() ? " is UP/" : " is DOWN/") +
         (s.draining() ? "DRAIN" : "READY") + " (leaving maintenance).";
}

std::string no_server_text(const Backend& be) {
  const Backend::UsableCount n = be.usable_servers();
  if (n.active + n.backup > 0) return "";
  return (be.settings.listen ? "proxy " : "backend ") + be.name() + " has no server available!";
}

void log_if_no_server(const Backend& be) {
  std::string t = no_server_text(be);
  if (!t.empty()) emit_backend_event(be, "[ALERT]", config::kLogEmerg, t);
}

void emit_backend_event(const Backend& be, const char* tag, int8_t level, const std::string& text) {
  std::fprintf(stderr, "%s %s\n", tag, text.c_str());  // one call: threads' lines never mix
  std::fflush(stderr);
  if (be.settings.event_log) be.settings.event_log(level, text);
}

}  // namespace hearth::backend
