#pragma once
// What an external check runs (HAProxy 2.6's "option external-check"): the
// command, with four arguments and an environment of its own, once per
// check; its exit status is the result (0: passed). Pure code: the spawning
// and reaping are core/child_process.h's, the phases health_external.cc's.
//
// Arguments: PROXY_ADDR PROXY_PORT SERVER_ADDR SERVER_PORT. The proxy's are
// its first listener's (IPv4 or IPv6), "NOT_USED" twice for a backend. The
// server's are its address and port now (a server without a port: "0").
// Environment, and nothing else of the process's: PATH (external-check
// path, else ""), HAPROXY_PROXY_NAME, _ID, _ADDR, _PORT (both "" for a
// backend), HAPROXY_SERVER_NAME, _ID, _ADDR, _PORT, _MAXCONN (at start),
// _CURCONN (now), _SSL ("1" with "ssl", else "0"), _PROTO ("h1" in mode
// http, else "tcp").
#include <string>
#include <vector>

#include "net/address.h"

namespace hearth::backend {

struct ExternalCheckSpec {
  std::string command;  // as written: argv[0], and the file looked for along `path`
  std::string path;     // PATH of the command's environment
  // The first listener's address and port; empty: none (a backend).
  std::string proxy_addr, proxy_port;
  std::string proxy_name;
  int proxy_id = 0;
  std::string server_name;
  int server_id = 0;
  int server_maxconn = 0;
  bool server_ssl = false;
  std::string server_proto = "tcp";
  // "insecure-fork-wanted" in the global section.
  bool insecure_fork_wanted = false;
};

struct ExternalCheckRun {
  std::vector<std::string> argv;
  std::vector<std::string> env;  // "NAME=value"
};

// Returns: the arguments and environment of one run, for a server now at
// `server` with `curconn` sessions.
ExternalCheckRun external_check_run(const ExternalCheckSpec& spec, const net::Address& server,
                                    int curconn);

// Where exec finds `command` along `path` (execvp's rules): a command with a
// '/' is taken as it is; otherwise each entry of `path` is tried in order, an
// empty entry meaning the current directory.
// Returns: the file to run, or "" with *err set (ENOENT, or EACCES when a
// file was found that may not be run).
std::string find_command(const std::string& command, const std::string& path, int* err);

// Whether the process may create a process for a check: as HAProxy, which
// forbids it (RLIMIT_NPROC 0) unless "insecure-fork-wanted" is set, only a
// privileged process (root, CAP_SYS_RESOURCE or CAP_SYS_ADMIN) may without it.
bool may_fork(bool insecure_fork_wanted, bool privileged);
// Returns: whether this process is privileged in the sense above.
bool process_privileged();

}  // namespace hearth::backend
