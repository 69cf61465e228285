#pragma once
// Server state files: the text `show servers state` prints and
// `load-server-state-from-file` reads back at start-up (HAProxy's format,
// version 1: one header line "1", a "#" line naming the columns, then one line
// of space-separated fields per server). Pure text handling; what a row does to
// a live server is in server_state_apply.h.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hearth::backend {

// The operational states of the format (column srv_op_state).
enum ServerOpState : int { kOpStopped = 0, kOpStarting = 1, kOpRunning = 2, kOpStopping = 3 };

// Bits of the administrative state (column srv_admin_state).
enum ServerAdminBits : int {
  kAdminForcedMaint = 0x01,   // put in maintenance at run time (or by the state file)
  kAdminInheritMaint = 0x02,  // maintenance inherited from a tracked server
  kAdminConfigMaint = 0x04,   // "disabled" in the configuration
  kAdminForcedDrain = 0x08,   // put in drain at run time
  kAdminInheritDrain = 0x10,  // drain inherited from a tracked server
  kAdminResolveMaint = 0x20,  // address resolution failed
  kAdminFqdnMaint = 0x40,     // FQDN set from the runtime API
};

// One server's line. Text columns print "-" when empty.
struct ServerStateRow {
  int be_id = 0;
  std::string be_name;
  int srv_id = 0;
  std::string srv_name;
  std::string addr;
  int op_state = kOpRunning;
  int admin_state = 0;
  int uweight = 1;             // the weight in effect
  int iweight = 1;             // the weight the configuration gave
  int64_t since_change_s = 0;  // seconds since the operational state changed
  int check_status = 0;        // HAProxy's numeric check status (check_status_number)
  int check_result = 0;        // 0 unknown, 1 neutral, 2 failed, 3 passed, 4 conditionally passed
  int check_health = 0;        // the rise/fall counter
  int check_state = 0;         // check flag bits: 0x02 configured, 0x04 enabled, 0x08 paused
  int agent_state = 0;
  int be_forced_id = 0;   // 1 when the backend's id was set by "id"
  int srv_forced_id = 0;  // 1 when the server's id was set by "id"
  std::string fqdn;
  int port = 0;
  std::string srvrecord;
  int use_ssl = 0;
  int check_port = 0;
  std::string check_addr;
  std::string agent_addr;
  int agent_port = 0;
  // Non-empty when a column the loader relies on is not valid, e.g.
  // "invalid srv_op_state value '7'": that server is skipped with this reason.
  std::string invalid;
};

// The column-name line that follows the version line.
extern const char* const kServerStateColumns;

// Returns: the row as one line of the file, without the line break.
std::string format_server_state_row(const ServerStateRow& row);

// Parses a whole state file. Blank lines and lines starting with '#' are
// skipped; the first other line must be the version, "1". A data line needs
// the 25 columns (more are ignored). A column with a bad value only marks its
// row (ServerStateRow::invalid), as HAProxy, which skips that server alone.
// Returns: kOk with every row; kNoVersion; or kCorrupted with *bad_line set to
// the first short line, counted from the line after the version (HAProxy's
// numbering). Nothing of a file that is not kOk may be applied.
enum class StateFileStatus { kOk, kNoVersion, kCorrupted };
StateFileStatus parse_server_state(std::string_view text, std::vector<ServerStateRow>* rows,
                                   int* bad_line);

}  // namespace hearth::backend
