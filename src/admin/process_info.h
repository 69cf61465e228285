#pragma once
// The process figures "show info" and the exporter's process metrics read,
// gathered once per request, and "show info" itself in HAProxy 2.6's fields:
// the same names, positions and tags (origin, nature, scope) and types, in
// plain ("Name: value"), typed ("POS.Name.1:TAGS:TYPE:VALUE") and JSON forms.
// A field without a value (the loops' figures when no loop is known, the
// zlib ones) is left out, as HAProxy leaves out those without a value;
// Hearth's own figures come after HAProxy's.
#include <cstdint>
#include <string>
#include <vector>

#include "admin/runtime_api.h"
#include "net/pipe_pool.h"

namespace hearth::admin {

struct ProcessFigures {
  int nthreads = 1;
  int64_t uptime_s = 0, start_wall_s = 0;
  double uptime_f = 0, start_wall_f = 0;  // the same with their fractions ("show info float")
  long ulimit_n = 0;
  int maxconn = 0;       // the global maxconn now ("set maxconn global")
  int hard_maxconn = 0;  // the one the process started with
  uint64_t conns = 0, requests = 0;
  uint64_t bytes_out = 0;  // written to sockets, both sides, by every thread
  uint64_t pool_failures = 0, pool_allocated = 0, pool_used = 0;
  size_t listeners = 0;  // bind lines' sockets and stats sockets
  // As HAProxy's jobs: listeners, client connections, stats socket
  // connections and peers sessions (none of them unstoppable in a worker).
  uint64_t jobs = 0;
  int active_peers = 0, connected_peers = 0;  // peers sessions: open, established
  bool stopping = false;                      // a soft stop is under way
  net::PipeStats pipes;
  // Summed over the worker loops (when read through them): armed timers, the
  // closest thing to HAProxy's tasks, and tasklets queued to run.
  int64_t tasks = -1, run_queue = -1;  // -1: not read
  // The share of the last second the loops spent waiting, averaged (-1: not read).
  int idle_pct = -1;
  // Bytes written to sockets over the last second, all threads (BytesOutRate).
  uint64_t bytes_out_rate = 0;
};

// Reads the figures now. `start_ms`: the process start on the monotonic clock.
// `loops`: the worker loops, read from what each publishes (any thread may
// call): timers and tasklets as the loop left them when it last began to
// wait, its work over the last second, and the bytes it wrote to sockets
// (with those of threads without a loop); none: those figures are not read.
ProcessFigures gather_process_figures(const std::vector<stream::Frontend*>& frontends,
                                      const std::vector<const EventLoop*>& loops, int nthreads,
                                      int64_t start_ms, int64_t start_wall_s,
                                      const RuntimeApi::ProcessInfo& info);

struct InfoField {
  int pos;
  const char* name;
  const char* tags;  // origin, nature, scope letters
  const char* type;  // "u32", "u64", "str"
  std::string value;
  // The value as "show info float" gives it (type "flt"); empty: the field
  // is not one HAProxy turns into a float.
  std::string fvalue = {};
  const char* ftags = nullptr;  // its tags in that form, when they differ
};

// Returns: what the field named `name` means ("show info desc"); "" if unknown.
const char* info_field_desc(const char* name);

// Returns: v as HAProxy prints a float: "%f" without its trailing zeros (and
// without the point when nothing follows it).
std::string format_float(double v);

std::vector<InfoField> process_info_fields(const ProcessFigures& p,
                                           const RuntimeApi::ProcessInfo& info);

enum class InfoFormat { kPlain, kTyped, kJson };
struct InfoOptions {
  InfoFormat format = InfoFormat::kPlain;
  bool desc = false;    // plain and typed: each value followed by :"what it means"
  bool floats = false;  // rates and times as floats (type flt)
};
// Returns: the answer to "show info [typed|json] [desc] [float]", ending with
// the empty line.
std::string format_process_info(const std::vector<InfoField>& fields, const InfoOptions& o);

}  // namespace hearth::admin
