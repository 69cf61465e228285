#pragma once
// set-src, set-src-port, set-dst, set-dst-port: rules that change the
// addresses a session reports (Session::src / dst) from a sample.
#include "config/model.h"
#include "stream/sample_fetch.h"

namespace hearth::stream {

// True for the four actions.
bool is_addr_rule(const config::HttpRule& r);

// Evaluates r.expr and sets the session's address or port. An expression
// with no sample, or one that is no address (set-src, set-dst) or no port
// number (the -port forms), leaves things as they were, as HAProxy.
void apply_addr_rule(const config::HttpRule& r, TxnFetch& ctx);

}  // namespace hearth::stream
