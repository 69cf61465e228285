#pragma once
// Checks of a frontend's bind lines, run by validate(), and the socket ids
// (so_id) its listeners get.
#include <vector>

#include "config/diagnostic.h"

namespace hearth::config {

// Errors: an invalid address, a "proto" that does not suit the frontend's
// mode, a "thread" set beyond nbthread, an "id" used twice in the frontend.
void validate_binds(const ProxyConfig& p, int nbthread, ParseResult& r);

// The id of each of p.binds, in order: its "id", else the first id not fixed
// by another bind that is at least its position (from 1), as HAProxy numbers
// a frontend's listeners.
std::vector<int> bind_ids(const ProxyConfig& p);

}  // namespace hearth::config
