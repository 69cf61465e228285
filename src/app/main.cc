// hearth: entry point. Parses flags and configuration, then serves it, either
// as one process (serve.cc) or as a master supervising a worker process
// (master.cc).
#include <cstdio>
#include <cstdlib>

#include "app/load.h"
#include "app/master.h"
#include "app/options.h"
#include "app/serve.h"
#include "app/version.h"
#include "core/pool.h"

namespace hearth::app {

int run(int argc, char** argv) {
  Options o;
  std::string err;
  if (!parse_options(argc, argv, &o, &err)) {
    fprintf(stderr, "hearth: %s\n%s", err.c_str(), usage());
    return 1;
  }
  if (o.help) return printf("%s", usage()), 0;
  if (o.version) return print_version(o.version), 0;
  if (o.cond) return eval_cc(o.cond_expr);
  if (o.poison >= 0) BlockPool::set_poison(o.poison);

  // Set before the parse, so that the configuration can test it (.if).
  if (o.master_worker) setenv("HAPROXY_MWORKER", "1", 1);
  config::ParseResult parsed;
  bool quiet = false;
  if (!load_config(o, &parsed, &quiet)) return 1;
  if (o.nosplice) parsed.config.global.splice.nosplice = true;
  if (o.check_only) {
    if (!quiet) printf("Configuration file is valid\n");
    // The check ends the process: the memory of a large configuration (a
    // million-line pattern file is a million nodes) goes back with it, not
    // object by object through every destructor, which took longer than
    // the parse.
    fflush(stdout);
    fflush(stderr);
    std::_Exit(0);
  }
  if (o.master_worker || parsed.config.global.process.master_worker)
    return run_master(o, std::move(parsed), quiet);
  return serve(o, parsed, quiet, nullptr);
}

}  // namespace hearth::app

int main(int argc, char** argv) { return hearth::app::run(argc, argv); }
