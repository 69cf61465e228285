#include "stream/abort_counts.h"

#include "backend/backend.h"
#include "backend/server.h"

namespace hearth::stream {

void count_failed_response(backend::Backend* be, backend::Server* srv) {
  if (be) be->counters.local().failed_resp.add();
  if (srv) srv->counters.local().failed_resp.add();
}

void count_stream_end(const char* term, backend::Backend* be, backend::Server* srv) {
  if (!term || !term[0] || !term[1]) return;
  const char who = term[0], when = term[1];
  const bool client = (who == 'C' && (when == 'D' || when == 'H')) || (who == 'c' && when == 'D');
  if (client) {
    if (be) be->counters.local().cli_aborts.add();
    if (srv) srv->counters.local().cli_aborts.add();
    return;
  }
  if ((who == 'S' || who == 's') && when == 'D') {
    if (be) be->counters.local().srv_aborts.add();
    if (srv) srv->counters.local().srv_aborts.add();
  }
  if ((who == 'S' && (when == 'D' || when == 'H')) || (who == 's' && when == 'H'))
    count_failed_response(be, srv);
}

}  // namespace hearth::stream
