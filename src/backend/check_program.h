#pragma once
// The rules one server's checks run, built once from the backend's check
// configuration the way HAProxy completes a rule list: an implicit connect
// ahead of rules that do not start with one, for HTTP checks a default
// request when none is written and the default expectation (2xx or 3xx)
// after a request nothing checks. Every rule keeps its step number (its
// position among the rules written, from 1; 0 for the implicit connect), as
// the messages name it.
#include <string>
#include <utility>
#include <vector>

#include "config/check_model.h"

namespace hearth::backend {

struct CheckStep {
  config::CheckRule rule;
  int step = 0;
};

struct CheckProgram {
  config::CheckType type = config::CheckType::kL4;
  std::vector<CheckStep> steps;
  std::vector<std::pair<expr::VarName, std::string>> preset_vars;
  bool send_state = false;  // http-check send-state
  // http-check disable-on-404: a 404 from a server that is not DOWN passes
  // conditionally (L7OKC) and puts it in the stopping state (NOLB).
  bool disable_on_404 = false;

  bool http() const { return type == config::CheckType::kHttp; }
  // Messages carry HAProxy's tcp-check step texts ("at step 2 of tcp-check").
  bool tcp_texts() const { return type == config::CheckType::kTcp; }
};

// Returns: the program for `c` (a plain connect for CheckType::kL4).
CheckProgram build_check_program(const config::CheckConfig& c);

}  // namespace hearth::backend
