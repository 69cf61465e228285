// What each "show info" field means, as "show info desc" prints it after the
// value. The wording is Hearth's own; the fields are HAProxy 2.6's (and
// Hearth's two after them).
#include <cstring>

#include "admin/process_info.h"

namespace hearth::admin {
namespace {

struct Desc {
  const char* name;
  const char* text;
};

const Desc kDescs[] = {
    {"Name", "Name of the program"},
    {"Version", "Version of the program"},
    {"Release_date", "Day the build was configured"},
    {"Nbthread", "Worker threads running (global nbthread)"},
    {"Nbproc", "Worker processes running (always 1)"},
    {"Process_num", "Number of this worker process (1)"},
    {"Pid", "Process id of this worker"},
    {"Uptime", "Time since this worker started (days, hours, minutes, seconds)"},
    {"Uptime_sec", "Time since this worker started, in seconds"},
    {"Memmax_MB", "Memory limit of this worker in MB (-m; 0: none)"},
    {"PoolAlloc_MB", "Memory held by the object pools, in MB"},
    {"PoolUsed_MB", "Memory of the object pools in use, in MB"},
    {"PoolFailed", "Pool allocations refused since this worker started"},
    {"Ulimit-n", "Limit on open file descriptors"},
    {"Maxsock", "Limit on open sockets"},
    {"Maxconn", "Limit on concurrent connections now (global maxconn, set maxconn global)"},
    {"Hard_maxconn", "Limit on concurrent connections this worker started with"},
    {"CurrConns", "Client connections open now"},
    {"CumConns", "Client connections accepted since this worker started"},
    {"CumReq", "HTTP requests received since this worker started"},
    {"MaxSslConns", "Limit on concurrent TLS connections (0: none)"},
    {"CurrSslConns", "TLS connections open now, both sides"},
    {"CumSslConns", "TLS connections made since this worker started, both sides"},
    {"Maxpipes", "Limit on splicing pipes (global maxpipes)"},
    {"PipesUsed", "Splicing pipes in use now"},
    {"PipesFree", "Splicing pipes allocated and free now"},
    {"ConnRate", "Client connections accepted over the last second"},
    {"ConnRateLimit", "Limit on ConnRate (global maxconnrate; 0: none)"},
    {"MaxConnRate", "Highest ConnRate seen since this worker started"},
    {"SessRate", "Sessions started over the last second"},
    {"SessRateLimit", "Limit on SessRate (global maxsessrate; 0: none)"},
    {"MaxSessRate", "Highest SessRate seen since this worker started"},
    {"SslRate", "TLS client connections over the last second"},
    {"SslRateLimit", "Limit on SslRate (global maxsslrate; 0: none)"},
    {"MaxSslRate", "Highest SslRate seen since this worker started"},
    {"SslFrontendKeyRate", "Full TLS handshakes on the client side over the last second"},
    {"SslFrontendMaxKeyRate", "Highest SslFrontendKeyRate seen since this worker started"},
    {"SslFrontendSessionReuse_pct", "Share of client TLS connections that resumed a session"},
    {"SslBackendKeyRate", "Full TLS handshakes on the server side over the last second"},
    {"SslBackendMaxKeyRate", "Highest SslBackendKeyRate seen since this worker started"},
    {"SslCacheLookups", "TLS session cache lookups since this worker started"},
    {"SslCacheMisses", "TLS session cache lookups that found nothing"},
    {"CompressBpsIn", "Bytes given to the HTTP compressor over the last second"},
    {"CompressBpsOut", "Bytes the HTTP compressor produced over the last second"},
    {"CompressBpsRateLim", "Compression output rate above which compression stops (0: none)"},
    {"Tasks", "Timers armed on the worker threads"},
    {"Run_queue", "Tasklets queued to run on the worker threads"},
    {"Idle_pct", "Share of the last second the worker threads spent waiting for events, averaged"},
    {"node", "Name of this node (global node)"},
    {"description", "Description of this node (global description)"},
    {"Stopping", "1 while this worker stops, else 0"},
    {"Jobs", "Listeners, client and stats socket connections, and peers sessions, now"},
    {"Unstoppable Jobs", "Jobs that a soft stop would not end (a master CLI's)"},
    {"Listeners", "Listening sockets of this worker, stats sockets included"},
    {"ActivePeers", "Peers sessions open, established or not"},
    {"ConnectedPeers", "Peers sessions established"},
    {"DroppedLogs", "Log lines dropped since this worker started"},
    {"BusyPolling", "1 when busy polling is on, else 0"},
    {"FailedResolutions", "do-resolve actions given a name that is no DNS name"},
    {"TotalBytesOut", "Bytes written to sockets, both sides, since this worker started"},
    {"TotalSplicdedBytesOut", "Bytes sent through a kernel pipe since this worker started"},
    {"BytesOutRate", "Bytes written to sockets over the last second"},
    {"DebugCommandsIssued", "Debug commands run on this process"},
    {"CumRecvLogs", "Log lines received by log-forward sections"},
    {"Build info", "The version this binary was built from"},
    {"Memmax_bytes", "Memory limit of this worker in bytes (-m; 0: none)"},
    {"PoolAlloc_bytes", "Memory held by the object pools, in bytes"},
    {"PoolUsed_bytes", "Memory of the object pools in use, in bytes"},
    {"Start_time_sec", "When this worker started, in seconds since the epoch"},
    {"Tainted", "Flags of unusual features in use (0x0: none)"},
    {"LiveConnections", "Connections open now on both sides, checks included (Hearth)"},
    {"SplicedBytes", "Bytes moved by splicing, both directions (Hearth)"},
};

}  // namespace

const char* info_field_desc(const char* name) {
  for (const Desc& d : kDescs)
    if (std::strcmp(d.name, name) == 0) return d.text;
  return "";
}

}  // namespace hearth::admin
