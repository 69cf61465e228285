#pragma once
// http-request / http-response rules on a head's field list. Rules run in the
// order written; header actions edit the list in place, before the head is
// serialised, so a later rule sees what an earlier one did; the first final
// action (deny, return) ends the evaluation, as in HAProxy.
#include <cstddef>
#include <vector>

#include "config/model.h"
#include "http/header_list.h"

namespace hearth::stream {

// Evaluates `rules` on `fields` in order.
// Returns: the first final rule reached (deny or return), or nullptr if every
// rule ran. A header action that cannot add its field (the list is full)
// stops the evaluation too and sets *full.
const config::HttpRule* eval_http_rules(const std::vector<config::HttpRule>& rules,
                                        http::HeaderList& fields, bool* full);

// How many fields `rules` may add to a list (set-header and add-header each
// add at most one).
size_t fields_added_by(const std::vector<config::HttpRule>& rules);

// Forgets the values earlier heads' rules computed on this thread (done by
// thread_field_list() for each new head).
void begin_rules_for_head();

// This thread's field list, emptied, with room for `capacity` fields. Its
// storage grows to the largest need seen and never shrinks, so steady
// traffic allocates nothing. Valid until the next call on this thread: a head
// is collected, edited and serialised within one call.
http::HeaderList& thread_field_list(size_t capacity);
// Makes room in this thread's list for `more` fields beyond those it holds,
// keeping them.
void reserve_thread_fields(size_t more);

}  // namespace hearth::stream
