#include "app/load.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "app/process.h"
#include "app/tls_bind.h"
#include "app/tls_server.h"
#include "config/condition.h"
#include "config/parser.h"
#include "config/validate.h"

namespace hearth::app {

int eval_cc(const std::string& expr) {
  // As a .if line: quotes, escapes and variables first, then the words
  // joined by one blank.
  const config::EnvLookup env = config::process_env();
  const config::SplitResult split = config::split_line(expr, env, {"-cc", 0, ""});
  if (!split.ok()) {
    fprintf(stderr, "[ALERT] -cc: cannot read '%s': %s\n", expr.c_str(), split.error.c_str());
    return 2;
  }
  std::string text;
  for (const std::string& w : split.words) text += (text.empty() ? "" : " ") + w;
  config::CondError err;
  switch (config::eval_condition(text, env, &err)) {
    case config::CondValue::kTrue:
      return 0;
    case config::CondValue::kFalse:
      return 1;
    case config::CondValue::kError:
      break;
  }
  fprintf(stderr, "[ALERT] -cc: cannot evaluate '%s': %s (at character %zu)\n", text.c_str(),
          err.message.c_str(), err.pos + 1);
  return 2;
}

namespace {

// HAProxy exposes the local peer name to the configuration as
// ${HAPROXY_LOCALPEER}: -L's value, else the host name.
void set_local_peer(const Options& o) {
  const std::string name = o.local_peer.empty() ? host_name() : o.local_peer;
  setenv("HAPROXY_LOCALPEER", name.c_str(), 1);
}

void print_all(const char* level, const std::vector<config::Diagnostic>& ds) {
  for (const auto& d : ds) fprintf(stderr, "[%s] %s\n", level, d.str().c_str());
}

}  // namespace

bool load_config(const Options& o, config::ParseResult* r, bool* quiet) {
  if (!o.chdir.empty() && chdir(o.chdir.c_str()) != 0) {
    fprintf(stderr, "[ALERT] -C: cannot change to directory '%s': %s\n", o.chdir.c_str(),
            strerror(errno));
    return false;
  }
  set_local_peer(o);
  *r = config::parse_files(o.config_files);
  config::validate(*r);
  const config::ProcessConfig& p = r->config.global.process;
  if (!o.master_cli.empty() && !o.master_worker && !p.master_worker)
    fprintf(stderr, "[WARNING] -S: a master CLI needs the master-worker mode (-W); ignored\n");
  // Only a master starts programs: HAProxy refuses them otherwise, -c included.
  if (!o.master_worker && !p.master_worker)
    for (const config::ProgramConfig& prog : r->config.programs)
      r->errors.push_back({prog.loc, "program",
                           "a program section needs the master-worker mode (-W or the global "
                           "'master-worker')"});
  // The start loads the certificates anyway (and stops on the same errors).
  if (o.check_only && r->ok()) {
    check_tls_binds(r);
    check_tls_servers(r);
  }
  if (o.local_peer.empty() && !p.localpeer.empty())
    setenv("HAPROXY_LOCALPEER", p.localpeer.c_str(), 1);
  *quiet = (o.quiet || p.quiet) && !o.verbose;
  if (o.diag) print_all("DIAG", r->diags);
  if (!*quiet) {
    print_all("NOTICE", r->notices);
    print_all("WARNING", r->warnings);
  }
  print_all("ALERT", r->errors);
  if (!r->ok()) {
    fprintf(stderr, "[ALERT] configuration is invalid: %zu error(s)\n", r->errors.size());
    return false;
  }
  if (o.zero_warning && !r->warnings.empty()) {
    fprintf(stderr, "[ALERT] -dW: the configuration raised %zu warning(s); refusing to start\n",
            r->warnings.size());
    return false;
  }
  if (o.proxy_maxconn > 0)  // -N: the maxconn of frontends that set none
    for (auto& px : r->config.proxies)
      if (px.maxconn == 0) px.maxconn = o.proxy_maxconn;
  return true;
}

}  // namespace hearth::app
