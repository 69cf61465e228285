#pragma once
// http-request / http-response rules on a head's field list. Rules run in the
// order written; header actions edit the list in place, before the head is
// serialised, so a later rule sees what an earlier one did; the first final
// action (deny, return) ends the evaluation, as in HAProxy.
#include <cstddef>
#include <vector>

#include "config/model.h"
#include "expr/fetch.h"
#include "http/msg.h"
#include "stream/sample_fetch.h"

namespace hearth::stream {

// Evaluates `rules` on `head` in order. Values the rules compute are kept in
// the head's own storage.
// Returns: the first final rule reached (deny, return, redirect, or a
// normalize-uri that found the target invalid: a 400), or nullptr
// if every rule ran or an allow rule ended the list. A header action that
// cannot add its field or keep its value (the head is full) stops the
// evaluation too and sets *full, unless a strict-mode off rule ran before it
// in this list (the failed rewrite is then skipped).
// A rule whose condition does not hold is skipped; conditions read the
// transaction through `ctx`.
// With a cursor, the evaluation starts at its rule and strict-mode, and a
// wait-for-body rule whose condition holds is returned too, the cursor set
// on the rule after it: the caller resumes there once the payload is in.
struct RuleCursor {
  size_t next = 0;
  bool strict = true;
};
const config::HttpRule* eval_http_rules(const std::vector<config::HttpRule>& rules,
                                        http::MsgHead& head, bool* full, TxnFetch& ctx,
                                        RuleCursor* cursor = nullptr);

// option http-restrict-req-hdr-names: under kDelete, removes the fields
// whose name holds a character other than a letter, a digit or '-'.
// Returns: false if the policy is kReject and such a field is present.
bool restrict_header_names(config::HdrNamePolicy policy, http::MsgHead& head);

// How many fields `rules` may add to a head (set-header and add-header each
// add at most one).
size_t fields_added_by(const std::vector<config::HttpRule>& rules);

}  // namespace hearth::stream
