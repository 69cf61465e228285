#pragma once
// The steps that turn a loaded configuration into a long-running service,
// in this order (docs/architecture.md, "Startup"): listeners are bound and
// the pid file opened while still privileged; then chroot(); then the
// groups and user are dropped; then the process detaches (daemon); then the
// worker threads start and the parent learns the service is up.
#include <string>

#include "config/process_model.h"

namespace hearth::app {

// chroot("DIR") and chdir("/"), when `p.chroot` is set.
// Returns: false with *err.
bool enter_chroot(const config::ProcessConfig& p, std::string* err);

// Drops supplementary groups and sets the group then the user, when given.
// Returns: false with *err (then nothing must run with the old identity).
bool drop_privileges(const config::ProcessConfig& p, std::string* err);

// Forks into the background. In the parent, waits until the child calls
// daemon_ready() (exits 0) or dies first (exits 1); only the child returns.
// The child runs in a new session with stdin, stdout and stderr on /dev/null.
// `pidfile_fd` (or -1): the child's pid is written there. `null_fd`: /dev/null,
// opened before chroot (the jail need not have one).
// Returns: false with *err if the fork itself failed.
bool daemonize(int pidfile_fd, int null_fd, std::string* err);

// In the child: tells the waiting parent that the service is up.
void daemon_ready();

// Opens (creates, truncates) the pid file before chroot and privilege drop.
// Returns: the descriptor, or -1 with *err.
int open_pidfile(const std::string& path, std::string* err);

// Writes the calling process's pid to `fd` and closes it.
void write_pid(int fd);

// Returns: true if the pid file at `path` holds the calling process's pid
// (a successor started with -sf may have written its own since).
bool pidfile_is_ours(const std::string& path);

// Returns: the host name (HAProxy's default node and local peer name).
std::string host_name();

}  // namespace hearth::app
