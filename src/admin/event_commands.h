#pragma once
// "show events [RING [-n]]" on the runtime API (HAProxy 2.6 management
// guide): the list of rings with their dropped-event counts, or the events
// one ring holds, oldest first. Error answers keep HAProxy's texts, which
// scripts match. Waiting for new events (-w) is not supported yet.
#include <string>
#include <vector>

namespace hearth::admin {

// `w` is the command's words, w[0..1] = "show events".
std::string cli_show_events(const std::vector<std::string>& w);

}  // namespace hearth::admin
