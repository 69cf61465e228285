#pragma once
// Checks of the servers' "track" options, run by validate(), with HAProxy
// 2.6's conditions and words: the tracked proxy and server exist, the
// tracked server is not dynamic, has a check or an agent or tracks another
// server itself, and no chain loops back. Servers are taken in the order of
// the configuration, each link made once accepted, so that a loop is
// reported on the server that closes it, as HAProxy does.
#include "config/diagnostic.h"

namespace hearth::config {

void validate_tracks(ParseResult& r);

}  // namespace hearth::config
