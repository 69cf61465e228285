#pragma once
// tcp-request and tcp-response rules (HAProxy manual 4.2), as parsed: plain
// data, evaluated by stream/tcp_rules.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/stick_action.h"
#include "expr/condition.h"
#include "expr/log_format.h"
#include "expr/sample_expr.h"
#include "expr/vars.h"

namespace hearth::config {

struct TcpRule {
  std::string file;  // where it was written (model.h's SourceLoc, which
  int line = 0;      // this header cannot include)
  enum class Action : uint8_t {
    kAccept,       // ends the list: the connection / content goes on
    kReject,       // ends the list: closes (counted as denied)
    kClose,        // tcp-response content: closes the server side, forwards what is buffered
    kSilentDrop,   // ends the list: drops the client connection without telling it
    kSetVar,       // set-var(name[,cond...]) EXPR
    kSetVarFmt,    // set-var-fmt(name[,cond...]) FMT
    kUnsetVar,     // unset-var(name)
    kSetLogLevel,  // content rules only: set-log-level LEVEL (`log_level`)
    kSetSrc,       // set-src EXPR: the session's client address from now on
    kSetSrcPort,   // set-src-port EXPR
    kSetDst,       // set-dst EXPR: the session's destination address
    kSetDstPort,   // set-dst-port EXPR
    kCapture,      // tcp-request content capture EXPR len N (`expr`, `cap_id`)
    // tcp-request connection expect-proxy layer4: a PROXY header comes first
    // on this connection (as the bind line's accept-proxy); the rules go on.
    kExpectProxy,
    // track-sc*, sc-inc-gpc*, sc-set-gpt* (`stick`); the rules go on.
    kStick,
    // tcp-request content set-priority-class / set-priority-offset EXPR.
    kSetPriorityClass,
    kSetPriorityOffset,
  } action = Action::kAccept;
  std::shared_ptr<const expr::Condition> cond;   // if/unless; null: always
  std::shared_ptr<const expr::SampleExpr> expr;  // set-var, set-src & co, capture
  std::shared_ptr<const expr::LogFormat> fmt;    // set-var-fmt
  expr::VarName var;
  uint16_t var_conds = 0;
  int8_t log_level = 0;       // set-log-level: a LogLevel value (log_model.h)
  int cap_id = 0;             // capture: the request slot it declared
  bool stream_level = false;  // a content rule: set-src & co hold for the stream only
  // A connection rule: set-src & co change the connection's own addresses
  // (what fc_src and fc_dst report, below a PROXY header's).
  bool conn_level = false;
  std::shared_ptr<const StickAction> stick;  // kStick
};

// A proxy's tcp rules. In a frontend: connection, session and content rules;
// in a backend: content and response rules. A listen section has both.
struct TcpRules {
  std::vector<TcpRule> connection;  // tcp-request connection
  std::vector<TcpRule> session;     // tcp-request session
  std::vector<TcpRule> content;     // tcp-request content
  std::vector<TcpRule> response;    // tcp-response content
  int64_t inspect_delay = 0;        // tcp-request inspect-delay, ms (0: none)
  int64_t res_inspect_delay = 0;    // tcp-response inspect-delay, ms
};

}  // namespace hearth::config
