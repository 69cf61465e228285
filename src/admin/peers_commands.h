#pragma once
// `show peers [dict|-] [SECTION]` (HAProxy 2.6): the peers sections' state,
// each dumped on the worker thread that runs it.
#include <string>
#include <vector>

#include "admin/runtime_api.h"

namespace hearth::admin {

// Returns: the answer, or "" when `w` is not this command.
std::string cli_peers_command(const std::vector<std::string>& w,
                              const RuntimeApi::OnThreads& on_threads);

}  // namespace hearth::admin
