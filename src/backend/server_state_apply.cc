#include "backend/server_state_apply.h"

#include "backend/backend.h"
#include "backend/server.h"

namespace hearth::backend {

int check_status_number(CheckStatus s) {
  // HAProxy's enumeration of check statuses; Hearth produces a subset.
  switch (s) {
    case CheckStatus::kNone:
    case CheckStatus::kInit:
      return 1;
    case CheckStatus::kChecked:
      return 3;
    case CheckStatus::kHana:
      return 4;
    case CheckStatus::kSockErr:
      return 5;
    case CheckStatus::kL4Ok:
      return 6;
    case CheckStatus::kL4Timeout:
      return 7;
    case CheckStatus::kL4Con:
      return 8;
    case CheckStatus::kL6Ok:
      return 9;
    case CheckStatus::kL6Timeout:
      return 10;
    case CheckStatus::kL6Rsp:
      return 11;
    case CheckStatus::kL7Timeout:
      return 12;
    case CheckStatus::kL7Rsp:
      return 13;
    case CheckStatus::kL7Ok:
      return 15;
    case CheckStatus::kL7OkCd:
      return 16;
    case CheckStatus::kL7Sts:
      return 17;
    case CheckStatus::kProcErr:
      return 18;
    case CheckStatus::kProcTout:
      return 19;
    case CheckStatus::kProcOk:
      return 20;
  }
  return 0;
}

namespace {

// The check-result column: 0 unknown, 2 failed, 3 passed.
int check_result_number(CheckStatus s) {
  if (s == CheckStatus::kNone || s == CheckStatus::kInit) return 0;
  return check_passed(s) ? 3 : 2;
}

// Check flag bits of the format: configured, enabled, paused, agent.
constexpr int kCheckConfigured = 0x02, kCheckEnabled = 0x04, kCheckPaused = 0x08,
              kCheckAgent = 0x10;

}  // namespace

ServerStateRow server_state_row(const Backend& be, const Server& s, int64_t now_ms) {
  const ServerHealth& h = s.health;
  const bool maint = s.in_maintenance();
  ServerStateRow r;
  r.be_id = be.id;
  r.be_forced_id = be.id_forced ? 1 : 0;
  r.be_name = be.name();
  r.srv_id = s.puid;
  r.srv_forced_id = s.puid_forced ? 1 : 0;
  r.srv_name = s.name;
  char ip[64];
  const net::Address addr = s.address();
  const bool resolved = s.has_addr.load();
  r.addr = resolved && !addr.is_unix() ? addr.ip_str(ip, sizeof ip) : "";  // UNIX: "-", as HAProxy
  r.op_state = !maint && resolved && s.up.load() ? (s.stopping.load() ? kOpStopping : kOpRunning)
                                                 : kOpStopped;
  // As HAProxy: a slot an SRV record filled carries the FQDN bit (for good).
  r.fqdn = s.hostname();
  r.srvrecord = s.srv_record;
  r.admin_state =
      (s.disabled.load() ? kAdminForcedMaint : 0) | (s.imaint.load() ? kAdminInheritMaint : 0) |
      (s.idrain.load() ? kAdminInheritDrain : 0) | (s.config_maint.load() ? kAdminConfigMaint : 0) |
      (s.drain.load() ? kAdminForcedDrain : 0) | (resolved ? 0 : kAdminResolveMaint) |
      (s.fqdn_set.load() ? kAdminFqdnMaint : 0);
  r.uweight = s.weight;
  r.iweight = s.iweight;
  r.since_change_s = (now_ms - h.last_change_ms()) / 1000;
  const ServerHealth::LastCheck last = h.last();
  r.check_status = check_status_number(h.checked ? last.status : CheckStatus::kNone);
  r.check_result = h.checked ? check_result_number(last.status) : 0;
  // An unchecked server reads as HAProxy shows it: 0 once it entered
  // maintenance (its stored value, kept after), 0 without an address; its
  // check "paused" when the configuration disabled it.
  r.check_health = !h.checked && !resolved ? 0 : h.health.load();
  r.check_state = h.checked ? kCheckConfigured | (h.enabled.load() ? kCheckEnabled : 0) |
                                  (maint ? kCheckPaused : 0)
                            : (s.config_maint.load() ? kCheckPaused : 0);
  r.port = addr.port();
  r.use_ssl = s.use_ssl.load();
  r.check_port = s.check_port;
  r.check_addr = s.check_addr;
  if (s.agent_health.checked) {
    r.agent_state =
        kCheckConfigured | kCheckAgent | (s.agent_health.enabled.load() ? kCheckEnabled : 0);
    r.agent_addr = s.agent_addr;
    r.agent_port = s.agent_port;
  }
  return r;
}

std::string server_states_text(const std::vector<Backend*>& backends, const Backend* only,
                               int64_t now_ms) {
  std::string o = "1\n";
  o += kServerStateColumns;
  o += '\n';
  for (const Backend* b : backends) {
    if (only && b != only) continue;
    for (const auto& s : b->servers()) {
      o += format_server_state_row(server_state_row(*b, *s, now_ms));
      o += '\n';
    }
  }
  return o;
}

bool apply_server_state(const ServerStateRow& row, bool checked, Server& s, AppliedState* out,
                        std::string* msg) {
  msg->clear();
  if (!row.invalid.empty()) {
    *msg = row.invalid;
    return false;
  }
  if (row.admin_state & kAdminForcedMaint) {
    s.disabled.store(true);
    if (!checked && !s.track.srv) s.health.health.store(0);  // as entering it at run time
  }
  if (row.admin_state & kAdminForcedDrain) {
    s.drain.store(true);
    *msg = "remains in forced drain mode.";
  }
  // A weight changed at run time survives, unless the configuration's own
  // weight changed since the file was written.
  if (row.iweight == s.iweight) s.weight = row.uweight;
  if (net::Address a = s.address(); row.port != 0 && row.port != a.port()) {
    a.set_port(uint16_t(row.port));
    s.set_address(a);
  }
  if (checked && !s.disabled.load()) {
    const bool down = row.op_state == kOpStopped;
    out->check_start = down ? InitState::kFullyDown : InitState::kFullyUp;
    if (down) *msg = "is DOWN, changed from server-state after a reload.";
  }
  out->since_change_s = row.since_change_s;
  return true;
}

}  // namespace hearth::backend
