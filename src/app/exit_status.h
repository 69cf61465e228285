#pragma once
// How the master reports a child's end (a worker or a program), as HAProxy's
// master does: "exited with code N (Exit)" or "(Terminated)".
#include <sys/wait.h>

#include <cstring>

namespace hearth::app {

// Returns: the exit status as a shell shows it (128 + signal for a death by signal).
inline int exit_code(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

inline const char* exit_reason(int status) {
  if (WIFEXITED(status)) return "Exit";
  return strsignal(WTERMSIG(status));
}

// Returns: whether a child that ended this way failed (a crash, not a stop:
// 130 and 143 are SIGINT and SIGTERM).
inline bool failed_exit(int code) { return code != 0 && code != 130 && code != 143; }

}  // namespace hearth::app
