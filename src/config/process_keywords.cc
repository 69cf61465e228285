// The global keywords that shape the process (process_model.h). Users and
// groups are looked up here, at load time, so that `hearth -c` reports a
// missing one and the running process needs no passwd file in its chroot.
#include <grp.h>
#include <pwd.h>

#include <cstring>

#include "config/keywords.h"

namespace hearth::config::detail {
namespace {

void parse_user(const Directive& d, ProcessConfig& p, Reporter& rep) {
  if (!check_arity(d, "user", 2, 2, "user NAME", rep)) return;
  const passwd* pw = getpwnam(d[1].c_str());
  if (pw == nullptr) {
    rep.error(d.loc, "user", "no user named '" + d[1] + "' on this system");
    return;
  }
  p.uid = int(pw->pw_uid);
  p.user_name = d[1];
}

void parse_group(const Directive& d, ProcessConfig& p, Reporter& rep) {
  if (!check_arity(d, "group", 2, 2, "group NAME", rep)) return;
  const group* gr = getgrnam(d[1].c_str());
  if (gr == nullptr) {
    rep.error(d.loc, "group", "no group named '" + d[1] + "' on this system");
    return;
  }
  p.gid = int(gr->gr_gid);
}

void parse_id(const Directive& d, ProcessConfig& p, Reporter& rep) {
  if (!check_arity(d, d[0], 2, 2, d[0] + " NUMBER", rep)) return;
  if (auto n = int_arg(d, 1, d[0], 0, 0x7fffffff, rep)) (d[0] == "uid" ? p.uid : p.gid) = int(*n);
}

void parse_chroot(const Directive& d, ProcessConfig& p, Reporter& rep) {
  if (!check_arity(d, "chroot", 2, 2, "chroot DIR", rep)) return;
  if (d[1].empty()) return rep.error(d.loc, "chroot", "expects a directory");
  p.chroot = d[1];
}

void parse_ulimit_n(const Directive& d, ProcessConfig& p, Reporter& rep) {
  if (!check_arity(d, "ulimit-n", 2, 2, "ulimit-n N", rep)) return;
  if (auto n = int_arg(d, 1, "ulimit-n", 1, 0x7fffffff, rep)) p.ulimit_n = int(*n);
}

// node NAME: letters, digits, '-' and '_' only, as in a host name.
void parse_node(const Directive& d, ProcessConfig& p, Reporter& rep) {
  if (!check_arity(d, "node", 2, 2, "node NAME", rep)) return;
  for (char c : d[1])
    if (!isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_')
      return rep.error(d.loc, "node",
                       "invalid name '" + d[1] + "': expects letters, digits, '-' and '_'");
  p.node = d[1];
}

void parse_description(const Directive& d, ProcessConfig& p, Reporter& rep) {
  if (!check_arity(d, "description", 2, 1000, "description TEXT", rep)) return;
  p.description.clear();
  for (size_t i = 1; i < d.size(); ++i) p.description += (i > 1 ? " " : "") + d[i];
}

void parse_localpeer(const Directive& d, ProcessConfig& p, Reporter& rep) {
  if (!check_arity(d, "localpeer", 2, 2, "localpeer NAME", rep)) return;
  p.localpeer = d[1];
}

void parse_flag(const Directive& d, ProcessConfig& p, Reporter& rep) {
  if (!check_arity(d, d[0], 1, 1, d[0], rep)) return;
  if (d[0] == "daemon") p.daemon = true;
  if (d[0] == "quiet") p.quiet = true;
  if (d[0] == "strict-limits") p.strict_limits = true;
}

void parse_grace(const Directive& d, ProcessConfig& p, Reporter& rep) {
  if (!check_arity(d, d[0], 2, 2, d[0] + " DURATION", rep)) return;
  auto ms = duration_arg(d, 1, d[0], rep);
  if (!ms) return;
  (d[0] == "grace" ? p.grace_ms : p.max_spread_checks_ms) = *ms;
}

void parse_spread_checks(const Directive& d, ProcessConfig& p, Reporter& rep) {
  if (!check_arity(d, "spread-checks", 2, 2, "spread-checks PERCENT", rep)) return;
  if (auto n = int_arg(d, 1, "spread-checks", 0, 50, rep)) p.spread_checks = int(*n);
}

// master-worker [no-exit-on-failure]
void parse_master_worker(const Directive& d, ProcessConfig& p, Reporter& rep) {
  if (!check_arity(d, "master-worker", 1, 2, "master-worker [no-exit-on-failure]", rep)) return;
  if (d.size() == 2 && d[1] != "no-exit-on-failure")
    return rep.error(d.loc, "master-worker",
                     "unknown argument '" + d[1] + "': expects 'no-exit-on-failure' or nothing");
  p.master_worker = true;
  if (d.size() == 2) p.exit_on_failure = false;
}

void parse_max_reloads(const Directive& d, ProcessConfig& p, Reporter& rep) {
  if (!check_arity(d, "mworker-max-reloads", 2, 2, "mworker-max-reloads N", rep)) return;
  if (auto n = int_arg(d, 1, "mworker-max-reloads", 0, 0x7fffffff, rep))
    p.mworker_max_reloads = int(*n);
}

}  // namespace

// cpu-map is in cpu_map_keyword.cc.
void parse_cpu_map(const Directive& d, ProcessConfig& p, Reporter& rep);

bool parse_process_keyword(const Directive& d, ProcessConfig& p, Reporter& rep) {
  struct Entry {
    const char* name;
    void (*handler)(const Directive&, ProcessConfig&, Reporter&);
  };
  static constexpr Entry kEntries[] = {
      {"daemon", parse_flag},
      {"quiet", parse_flag},
      {"strict-limits", parse_flag},
      {"user", parse_user},
      {"group", parse_group},
      {"uid", parse_id},
      {"gid", parse_id},
      {"chroot", parse_chroot},
      {"ulimit-n", parse_ulimit_n},
      {"node", parse_node},
      {"description", parse_description},
      {"localpeer", parse_localpeer},
      {"grace", parse_grace},
      {"max-spread-checks", parse_grace},
      {"spread-checks", parse_spread_checks},
      {"cpu-map", parse_cpu_map},
      {"master-worker", parse_master_worker},
      {"mworker-max-reloads", parse_max_reloads},
  };
  if (d[0] == "no" && d.size() == 2 && d[1] == "strict-limits") {
    p.strict_limits = false;  // a failed ulimit-n becomes a warning
    return true;
  }
  for (const Entry& e : kEntries) {
    if (d[0] == e.name) {
      e.handler(d, p, rep);
      return true;
    }
  }
  return false;
}

}  // namespace hearth::config::detail
