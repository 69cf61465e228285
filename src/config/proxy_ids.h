#pragma once
// The ids of the proxies (fe_id, be_id, show stat's iid): a proxy's "id", or
// a number given out in the order of the sections.
#include <vector>

#include "config/diagnostic.h"

namespace hearth::config {

// HAProxy's numbering of proxies and of a frontend's listeners. `fixed` holds
// each item's own id (0: none). Returns: each item's id, in order: its own,
// else the first id that is at least its position (from 1) and neither fixed
// nor given out yet.
std::vector<int> number_ids(const std::vector<int>& fixed);

// Returns: the id of each of c.proxies, in order ("id", else number_ids).
std::vector<int> proxy_ids(const Config& c);

// Errors: an "id" already fixed by an earlier proxy.
void validate_proxy_ids(ParseResult& r);

}  // namespace hearth::config
