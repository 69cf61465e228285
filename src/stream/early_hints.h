#pragma once
// http-request early-hint: the fields of a run of early-hint rules gathered
// into one "103 Early Hints" interim response, sent to the client before the
// final response (RFC 8297). A run is an early-hint rule and the
// unconditional early-hint rules right after it (config: HttpRule::eh_group),
// as HAProxy groups them. Only HTTP/1.1 clients get them (the stream gives
// no EarlyHints to others).
#include "config/model.h"
#include "expr/fetch.h"
#include "http/msg.h"

namespace hearth::mux {
struct StreamConnector;
}

namespace hearth::stream {

class EarlyHints {
 public:
  explicit EarlyHints(mux::StreamConnector* client) : client_(client) {}
  // Adds the rule's field (its value computed now; an empty one is kept);
  // sends the 103 when the rule is the last of its run.
  void apply(const config::HttpRule& r, expr::FetchContext& ctx);

 private:
  mux::StreamConnector* client_;
  http::MsgHead head_;  // the 103 being gathered (not ready(): none)
};

}  // namespace hearth::stream
