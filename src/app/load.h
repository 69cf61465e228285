#pragma once
// Loading the configuration as the command line asks: -C, -L, the messages
// of the parse (-q, -V, -dD, -dW), and -cc.
#include "app/options.h"
#include "config/diagnostic.h"

namespace hearth::app {

// -cc EXPR. Returns: the exit status: 0 true, 1 false, 2 error (reported).
int eval_cc(const std::string& expr);

// Changes directory (-C), sets HAPROXY_LOCALPEER (-L, else the host name),
// parses and validates, prints what the parse reported, and applies -N.
// Returns: true if the configuration can be used; *quiet: whether startup
// messages are to be left out (-q or "quiet", unless -V).
bool load_config(const Options& o, config::ParseResult* r, bool* quiet);

}  // namespace hearth::app
