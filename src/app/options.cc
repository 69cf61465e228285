#include "app/options.h"

#include <csignal>
#include <cstdlib>
#include <cstring>

namespace hearth::app {

const char* usage() {
  return "usage: hearth [-f CONFIG|DIR]* [-c] [-cc EXPR] [-d] [-db] [-D] [-q] [-V] [-p PIDFILE]\n"
         "              [-C DIR] [-L NAME] [-n MAXCONN] [-N MAXCONN] [-m MB] [-dM[BYTE]] [-dW]\n"
         "              [-dD] [-W|-Ws] [-S ADDR[,OPT,VAL...]] [-x SOCKET] [-sf|-st PID...]\n"
         "              [-v|-vv] [-- CONFIG...]\n"
         "  -f FILE|DIR  configuration file, or directory of *.cfg files read in lexical order\n"
         "               (repeatable; everything is read in order as one configuration)\n"
         "  --           every following argument is a configuration file or directory\n"
         "  -c           check the configuration and exit (0 valid, 1 invalid)\n"
         "  -cc EXPR     evaluate a .if condition and exit: 0 true, 1 false, 2 error\n"
         "  -d           debug: log every session on stdout, stay in the foreground\n"
         "  -db          stay in the foreground even if the configuration says 'daemon'\n"
         "  -D           run as a daemon (as the global 'daemon' keyword)\n"
         "  -W           master-worker: a master keeps the listeners and runs a worker;\n"
         "               SIGUSR2 or SIGHUP to the master reloads the configuration\n"
         "  -Ws          -W, and tell systemd (NOTIFY_SOCKET) when it is ready, reloading\n"
         "               or stopping (Type=notify)\n"
         "  -S ADDR[,OPTION,VALUE...]  with -W: the master CLI on a unix socket path, fd@N,\n"
         "               ipv4@ or ipv6@ADDR:PORT; options mode, user, group, uid, gid, level\n"
         "  -x SOCKET    take the listening sockets of the process whose stats socket\n"
         "               (with expose-fd listeners) is SOCKET, instead of binding new ones\n"
         "  -sf PID...   once serving, soft-stop these processes (SIGUSR1)\n"
         "  -st PID...   once serving, stop these processes at once (SIGTERM)\n"
         "  -q / -V      quiet (no notices, no startup messages) / cancel quiet\n"
         "  -p FILE      write the process id to FILE\n"
         "  -C DIR       change to DIR before loading the configuration\n"
         "  -L NAME      local peer name (default: the host name; sets HAPROXY_LOCALPEER)\n"
         "  -n N         global maxconn (wins over the configuration)\n"
         "  -N N         maxconn of every frontend that sets none\n"
         "  -m MB        limit the process's address space to MB megabytes\n"
         "  -dM[BYTE]    fill pooled memory with BYTE (default 0x50) when it is handed out\n"
         "  -dW          refuse to start if the configuration raised a warning\n"
         "  -dD          print the configuration's .diag messages\n"
         "  -dS            no splice(2), as the global nosplice\n"
         "  -dV, -dp       accepted: Hearth has no TLS servers, never polls\n"
         "  -v / -vv     print the version / the version and build options\n";
}

namespace {

// Returns: the non-negative integer in `s`, or -1.
long parse_count(const char* s) {
  char* end = nullptr;
  const long n = std::strtol(s, &end, 10);
  return (end == s || *end != '\0' || n < 0) ? -1 : n;
}

// -dM[BYTE][,][OPTION,...]: BYTE in C notation (80, 0x50); options poison and
// no-poison. The allocator-tuning options of HAProxy have no counterpart.
bool parse_dm(const std::string& a, Options* o, std::string* err) {
  std::string rest = a.substr(3);
  int byte = 0x50;
  if (!rest.empty() && rest[0] >= '0' && rest[0] <= '9') {
    char* end = nullptr;
    const long v = std::strtol(rest.c_str(), &end, 0);
    if (end == rest.c_str() || v < 0 || v > 255 || (*end != '\0' && *end != ',')) {
      *err = "-dM: expects a byte value (0-255, e.g. -dM0x50), got '" + rest + "'";
      return false;
    }
    byte = int(v);
    rest = end;
  }
  o->poison = byte;
  size_t p = 0;
  while (p < rest.size()) {
    if (rest[p] == ',') ++p;
    size_t e = rest.find(',', p);
    if (e == std::string::npos) e = rest.size();
    const std::string opt = rest.substr(p, e - p);
    p = e;
    if (opt.empty() || opt == "poison") continue;
    if (opt == "no-poison") {
      o->poison = -1;
    } else {
      *err = "-dM: option '" + opt +
             "' is not supported: Hearth's pools only know poison and no-poison";
      return false;
    }
  }
  return true;
}

// -sf/-st PID...: the pids run up to the next argument starting with '-', as
// in HAProxy (an empty list, from an empty pid file, is allowed).
// Returns: false with *err on a word that is no pid.
bool parse_old_pids(int argc, char** argv, int* i, Options* o, std::string* err) {
  const std::string flag = argv[*i];
  o->old_pids_signal = flag == "-st" ? SIGTERM : SIGUSR1;
  while (*i + 1 < argc && argv[*i + 1][0] != '-') {
    const char* v = argv[++*i];
    const long pid = parse_count(v);
    if (pid <= 0 || pid > 0x7fffffff) {
      *err = "option " + flag + ": '" + v + "' is not a process id";
      return false;
    }
    o->old_pids.push_back(int(pid));
  }
  return true;
}

// Flags of HAProxy that Hearth refuses, with the reason.
const char* refused_reason(const std::string& a) {
  if (a == "-de") return "epoll is Hearth's only poller: it cannot be disabled";
  if (a == "-dG") return "Hearth always resolves names with getaddrinfo()";
  if (a == "-dR") return "SO_REUSEPORT cannot be disabled: every thread binds its own socket";
  if (a == "-dr") return "ignoring server resolution failures is not supported yet";
  if (a.rfind("-dK", 0) == 0 || a == "-dL") return "keyword and library dumps are not supported";
  return nullptr;
}

}  // namespace

bool parse_options(int argc, char** argv, Options* o, std::string* err) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto need_value = [&](const char* flag) -> const char* {
      if (i + 1 >= argc) {
        *err = std::string("option ") + flag + " needs a value";
        return nullptr;
      }
      return argv[++i];
    };
    auto need_count = [&](const char* flag, int* out) {
      const char* v = need_value(flag);
      if (!v) return false;
      const long n = parse_count(v);
      if (n <= 0 || n > 10000000) {
        *err = std::string("option ") + flag + " expects a positive number, got '" + v + "'";
        return false;
      }
      *out = int(n);
      return true;
    };
    if (a == "--") {
      for (++i; i < argc; ++i) o->config_files.push_back(argv[i]);
    } else if (a == "-f") {
      const char* v = need_value("-f");
      if (!v) return false;
      o->config_files.push_back(v);
    } else if (a == "-c") {
      o->check_only = true;
    } else if (a == "-cc") {
      const char* v = need_value("-cc");
      if (!v) return false;
      o->cond = true;
      o->cond_expr = v;
    } else if (a == "-d") {
      o->debug = true;
      o->foreground = true;
    } else if (a == "-db") {
      o->foreground = true;
    } else if (a == "-D") {
      o->daemon = true;
    } else if (a == "-W" || a == "-Ws") {
      o->master_worker = true;
      o->systemd = o->systemd || a == "-Ws";
    } else if (a == "-S") {
      const char* v = need_value("-S");
      if (!v) return false;
      o->master_cli.push_back(v);
    } else if (a == "-q") {
      o->quiet = true;
    } else if (a == "-V") {
      o->verbose = true;
    } else if (a == "-dW") {
      o->zero_warning = true;
    } else if (a == "-dD") {
      o->diag = true;
    } else if (a == "-dS") {
      o->nosplice = true;
    } else if (a == "-dV" || a == "-dp") {
      // Nothing to turn off: no TLS to servers, no poll().
    } else if (a.rfind("-dM", 0) == 0) {
      if (!parse_dm(a, o, err)) return false;
    } else if (a == "-sf" || a == "-st") {
      if (!parse_old_pids(argc, argv, &i, o, err)) return false;
    } else if (a == "-x") {
      const char* v = need_value("-x");
      if (!v) return false;
      o->old_socket = v;
    } else if (a == "-p" || a == "-L" || a == "-C") {
      const char* v = need_value(a.c_str());
      if (!v) return false;
      (a == "-p" ? o->pidfile : a == "-L" ? o->local_peer : o->chdir) = v;
    } else if (a == "-n") {
      if (!need_count("-n", &o->maxconn)) return false;
    } else if (a == "-N") {
      if (!need_count("-N", &o->proxy_maxconn)) return false;
    } else if (a == "-m") {
      if (!need_count("-m", &o->mem_limit_mb)) return false;
    } else if (a == "-v" || a == "--version") {
      o->version = 1;
    } else if (a == "-vv") {
      o->version = 2;
    } else if (a == "-h" || a == "--help") {
      o->help = true;
    } else if (const char* why = refused_reason(a)) {
      *err = "option '" + a + "' is not supported: " + why;
      return false;
    } else {
      *err = "unknown option '" + a + "'";
      return false;
    }
  }
  if (!o->version && !o->help && !o->cond && o->config_files.empty()) {
    *err = "no configuration file given (use -f FILE)";
    return false;
  }
  return true;
}

}  // namespace hearth::app
