#pragma once
// set-src, set-src-port, set-dst, set-dst-port: rules that change the
// addresses a session reports (Session::src / dst) from a sample. The
// http-request actions and the tcp-request connection, session and content
// ones are the same four.
#include "config/model.h"
#include "config/tcp_rule.h"
#include "stream/sample_fetch.h"

namespace hearth::stream {

// Which address an action sets.
enum class AddrAction : uint8_t { kSrc, kSrcPort, kDst, kDstPort };
// At which level: the connection's own address (tcp-request connection: fc_src
// sees it), the session's (tcp-request session), or the current stream's
// (tcp-request content, http-request).
enum class AddrLevel : uint8_t { kConnection, kSession, kStream };

// True for the four actions.
bool is_addr_rule(const config::HttpRule& r);

// Evaluates `e` and sets the session's address or port. An expression with
// no sample, or one that is no address (set-src, set-dst) or no port number
// (the -port forms), leaves things as they were, as HAProxy.
// A stream-level address holds for the current stream only
// (Session::strm_src / strm_dst).
void apply_addr_action(AddrAction a, AddrLevel level, const expr::SampleExpr& e, TxnFetch& ctx);

// The same for an http-request rule and for a tcp-request rule.
void apply_addr_rule(const config::HttpRule& r, TxnFetch& ctx);
void apply_addr_rule(const config::TcpRule& r, TxnFetch& ctx);

}  // namespace hearth::stream
