#include "app/master_cli_commands.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "config/build_info.h"

namespace hearth::app {
namespace {

const char kHelp[] =
    "Master CLI commands:\n"
    "  @<n> [CMD]          : run CMD (or every next command) on the current worker n (1)\n"
    "  @!<pid> [CMD]       : run CMD (or every next command) on the worker with that pid\n"
    "  @master [CMD], @    : run CMD (or every next command) on the master\n"
    "  show proc           : the master, its workers (current, old) and programs\n"
    "  show version        : the version of the running binary\n"
    "  show cli level      : this session's level (admin, operator or user)\n"
    "  operator, user      : lower this session's level\n"
    "  reload              : reload the configuration, as SIGUSR2 (operator or admin)\n"
    "  prompt              : switch the interactive prompt on or off\n"
    "  help                : this list\n"
    "  quit                : close the connection\n";

std::string uptime(time_t secs) {
  if (secs < 0) secs = 0;
  char buf[64];
  snprintf(buf, sizeof buf, "%lldd%02dh%02dm%02ds", static_cast<long long>(secs / 86400),
           int(secs / 3600 % 24), int(secs / 60 % 60), int(secs % 60));
  return buf;
}

void row(std::string* out, const std::string& a, const std::string& b, const std::string& c,
         const std::string& d, std::string_view e) {
  char buf[512];
  snprintf(buf, sizeof buf, "%-15s %-15s %-15s %-15s %-15.*s\n", a.c_str(), b.c_str(), c.c_str(),
           d.c_str(), int(e.size()), e.data());
  *out += buf;
}

// The processes of one "show proc" group.
void rows(std::string* out, const MasterState& st, time_t now, bool program, bool old,
          std::string_view version) {
  for (const MasterProc& p : st.procs)
    if (p.program == program && p.old == old)
      row(out, std::to_string(p.pid), p.type, std::to_string(p.reloads), uptime(now - p.started),
          program ? "-" : version);
}

bool any(const MasterState& st, bool program, bool old) {
  for (const MasterProc& p : st.procs)
    if (p.program == program && p.old == old) return true;
  return false;
}

// "@1" (the current worker: HAProxy 2.6 has one process per generation),
// "@!PID" (any worker, current or old), "@" or "@master".
// Returns: the pid (0: the master), or -1 if there is no such process.
pid_t resolve(const std::string& prefix, const MasterState& st) {
  const std::string id = prefix.substr(1);
  if (id.empty() || id == "master") return 0;
  const bool by_pid = id[0] == '!';
  const std::string num = by_pid ? id.substr(1) : id;
  char* end = nullptr;
  const long n = std::strtol(num.c_str(), &end, 10);
  if (num.empty() || *end != '\0' || n <= 0) return -1;
  long rank = 0;
  for (const MasterProc& p : st.procs) {
    if (p.program) continue;
    if (by_pid ? p.pid == pid_t(n) : (!p.old && ++rank == n)) return p.pid;
  }
  return -1;
}

const MasterProc* find_worker(const MasterState& st, pid_t pid) {
  for (const MasterProc& p : st.procs)
    if (!p.program && p.pid == pid) return &p;
  return nullptr;
}

CliAction run_on_master(const std::string& cmd, const MasterState& st, CliContext* ctx,
                        std::string* out) {
  if (cmd == "help") {
    *out += kHelp;
    *out += "\n";
  } else if (cmd == "prompt") {
    ctx->prompt = !ctx->prompt;
  } else if (cmd == "quit") {
    return {CliAction::kQuit};
  } else if (cmd == "show proc") {
    *out += show_proc(st, time(nullptr), config::hearth_version());
  } else if (cmd == "show version") {
    *out += std::string(config::hearth_version()) + "\n\n";
  } else if (cmd == "show cli level") {
    *out += std::string(cli_level_name(ctx->level)) + "\n\n";
  } else if (cmd == "operator" || cmd == "user") {
    const CliLevel want = parse_cli_level(cmd);
    if (want > ctx->level)
      *out += "Permission denied!\n";  // lower only
    else
      ctx->level = want;
  } else if (cmd == "reload") {
    if (ctx->level == CliLevel::kUser) {
      *out += "Permission denied\n\n";
      return {};
    }
    return {CliAction::kReload};
  } else {
    *out += "Unknown command '" + cmd + "'. ";
    *out += kHelp;
    *out += "\n";
  }
  return {};
}

}  // namespace

CliLevel parse_cli_level(const std::string& name) {
  return name == "user"       ? CliLevel::kUser
         : name == "operator" ? CliLevel::kOperator
                              : CliLevel::kAdmin;
}

const char* cli_level_name(CliLevel level) {
  return level == CliLevel::kUser ? "user" : level == CliLevel::kOperator ? "operator" : "admin";
}

std::string show_proc(const MasterState& st, time_t now, std::string_view version) {
  std::string out;
  row(&out, "#<PID>", "<type>", "<reloads>", "<uptime>", "<version>");
  row(&out, std::to_string(getpid()), "master",
      std::to_string(st.reloads) + " [failed: " + std::to_string(st.failed_reloads) + "]",
      uptime(now - st.started), version);
  out += "# workers\n";
  rows(&out, st, now, false, false, version);
  if (any(st, false, true)) {
    out += "# old workers\n";
    rows(&out, st, now, false, true, version);
  }
  out += "# programs\n";
  rows(&out, st, now, true, false, version);
  if (any(st, true, true)) {
    out += "# old programs\n";
    rows(&out, st, now, true, true, version);
  }
  out += "\n";
  return out;
}

std::string prompt(const MasterState& st, const CliContext& ctx) {
  if (ctx.target != 0) return std::to_string(ctx.target) + "> ";
  return st.last_reload_failed ? "master[ReloadFailed]> " : "master> ";
}

CliAction run_master_command(const std::string& command, const MasterState& st, CliContext* ctx,
                             std::string* out) {
  pid_t target = ctx->target;
  std::string cmd = command;
  if (cmd[0] == '@') {
    const size_t sp = cmd.find_first_of(" \t");
    const std::string prefix = cmd.substr(0, sp);
    target = resolve(prefix, st);
    if (target < 0) {
      *out += "No process matches the prefix '" + prefix + "'\n";
      return {CliAction::kFail};
    }
    cmd = sp == std::string::npos ? "" : cmd.substr(cmd.find_first_not_of(" \t", sp));
    if (cmd.empty()) {  // a prefix alone: the target of the commands that follow
      ctx->target = target;
      return {};
    }
  }
  if (target == 0) return run_on_master(cmd, st, ctx, out);
  const MasterProc* w = find_worker(st, target);
  if (!w || w->cli_channel < 0) {
    *out += "No process matches the prefix '@!" + std::to_string(target) + "'\n";
    return {CliAction::kFail};
  }
  return {CliAction::kForward, w->cli_channel, cmd};
}

}  // namespace hearth::app
