#include "app/options.h"

#include <cstring>

namespace hearth::app {

const char* usage() {
  return "usage: hearth -f CONFIG [-f CONFIG ...] [-c] [-d] [-db] [-p PIDFILE] [-L NAME]\n"
         "  -f FILE   configuration file (repeatable; read in order as one configuration)\n"
         "  -c        check the configuration and exit (0 valid, 1 invalid)\n"
         "  -d        debug: log every session (one line each on stdout)\n"
         "  -db       stay in the foreground (Hearth always does; accepted for compatibility)\n"
         "  -p FILE   write the process id to FILE\n"
         "  -L NAME   local peer name (accepted for compatibility)\n"
         "  -v        print the version\n";
}

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
    if (a == "-f") {
      const char* v = need_value("-f");
      if (!v) return false;
      o->config_files.push_back(v);
    } else if (a == "-c") {
      o->check_only = true;
    } else if (a == "-d") {
      o->debug = true;
    } else if (a == "-db") {
      o->foreground = true;
    } else if (a == "-p") {
      const char* v = need_value("-p");
      if (!v) return false;
      o->pidfile = v;
    } else if (a == "-L") {
      const char* v = need_value("-L");
      if (!v) return false;
      o->local_peer = v;
    } else if (a == "-v" || a == "-vv" || a == "--version") {
      o->version = true;
    } else if (a == "-h" || a == "--help") {
      o->help = true;
    } else {
      *err = "unknown option '" + a + "'";
      return false;
    }
  }
  if (!o->version && !o->help && o->config_files.empty()) {
    *err = "no configuration file given (use -f FILE)";
    return false;
  }
  return true;
}

}  // namespace hearth::app
