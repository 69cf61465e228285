#pragma once
// Turns a parsed configuration into runtime objects: backends with their servers
// and LB algorithms, frontends with resolved timeouts, and bind specifications.
#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "app/server_build.h"
#include "app/warm_state.h"
#include "backend/backend.h"
#include "backend/health_check.h"
#include "backend/server_state.h"
#include "config/model.h"
#include "dns/resolvers.h"
#include "net/address.h"
#include "net/adopted_sockets.h"
#include "net/listen_set.h"
#include "net/listener.h"
#include "net/socket.h"
#include "net/transport.h"
#include "peers/section.h"
#include "stream/frontend.h"
#include "stream/ring_forwarder.h"

namespace hearth::app {

// The one listening socket of a UNIX socket bind, which every thread of the
// line polls (a path names one socket: it cannot have one per thread as TCP
// ports have with SO_REUSEPORT). The first worker to listen opens or takes
// it; it is closed when the runtime goes, after the workers.
struct SharedListenSocket {
  int fd = -1;
  SharedListenSocket() = default;
  SharedListenSocket(const SharedListenSocket&) = delete;
  SharedListenSocket& operator=(const SharedListenSocket&) = delete;
  ~SharedListenSocket();
};

struct BindSpec {
  config::SourceLoc loc;
  std::string text;
  net::Address addr;
  int inherited_fd = -1;                       // bind fd@N
  net::Transport* xprt = nullptr;              // what carries the accepted connections
  net::ListenOptions listen;                   // socket options of the bind line
  uint64_t threads = 0;                        // bit t for worker t that listens; 0: all
  net::BindInfo* info = nullptr;               // owned by the FrontendRuntime
  std::shared_ptr<SharedListenSocket> shared;  // a UNIX socket's (null for TCP)
};

struct FrontendRuntime {
  std::unique_ptr<stream::Frontend> fe;
  std::vector<BindSpec> binds;
  std::vector<std::unique_ptr<net::BindInfo>> bind_infos;   // one per bind
  std::vector<std::unique_ptr<net::Transport>> transports;  // the TLS ones of "ssl" binds
};

// Returns: a bind line's socket options. Its backlog, when unset, is the
// frontend's maxconn, as in HAProxy (or 1024 when the frontend sets none).
net::ListenOptions listen_options(const config::BindOptions& b, const config::ProxyConfig& p);

// Returns: whether worker thread `t` listens on a bind line whose "thread"
// set is `threads` (0: all threads).
inline bool listens_on(uint64_t threads, int t) { return !threads || (threads >> t & 1); }

class Runtime {
 public:
  // Returns: false with *errors holding "FILE:LINE: 'keyword': message" lines.
  bool build(const config::Config& cfg, std::vector<std::string>* errors);

  // The parts of server `s` of backend `be` (section p) that its line says,
  // besides its address and ids: connection and TLS options, limits, state,
  // pools. Used at load and by "add server" (app/dynamic_servers).
  // Returns: false with an error added.
  bool fill_server(const config::ProxyConfig& p, const config::ServerConfig& sc,
                   backend::Backend* be, const config::TlsGlobal& tls, backend::Server* s,
                   std::vector<std::string>* errors);
  // The health check (agent check) of s as its line and section say.
  // Returns: false with an error added.
  bool check_spec(const config::ProxyConfig& p, const config::ServerConfig& sc,
                  backend::Backend* be, backend::Server* s, backend::CheckSpec* out,
                  std::vector<std::string>* errors) const;
  bool agent_spec(const config::ProxyConfig& p, const config::ServerConfig& sc,
                  backend::Backend* be, backend::Server* s, backend::CheckSpec* out,
                  std::vector<std::string>* errors) const;

  std::vector<std::unique_ptr<backend::Backend>> backends;
  // One per server with "check"; each runs on worker thread hc->thread().
  std::vector<std::unique_ptr<backend::HealthCheck>> checks;
  // One per resolvers section; each runs on worker thread r->thread().
  std::vector<std::unique_ptr<dns::Resolvers>> resolvers;
  std::vector<FrontendRuntime> frontends;
  int nbthread = 1;
  int64_t hard_stop_after_ms = 0;    // 0: wait for sessions forever
  int spread_checks_pct = 0;         // spread-checks
  int64_t max_spread_checks_ms = 0;  // max-spread-checks; 0: the smallest interval
  // The global section's insecure-fork-wanted (external checks may start).
  bool insecure_fork_wanted = false;
  // tune.* settings every worker applies to its loop and listeners.
  struct Tuning {
    int maxaccept = 64;
    int maxpollevents = 256;
    int runqueue_depth = 0;
    int sndbuf_client = 0, rcvbuf_client = 0;
  } tuning;
  // The global section's log targets, shared by the proxies with "log global".
  std::vector<std::shared_ptr<stream::LogSink>> global_logs;
  // Master-worker mode: the sockets the master keeps; the workers take their
  // listening sockets from there instead of binding (null: bind them).
  const net::ListenSet* listen_set = nullptr;
  // Master-worker mode: what the worker this one replaces knew about the
  // servers (null: nothing, the first worker or a standalone process).
  const WarmState* warm = nullptr;
  // Master-worker mode, once a newer worker serves: the channel through which
  // this worker's threads hand their idle server connections over (-1: none,
  // close them). Set by the supervising thread before the soft stop.
  std::atomic<int> handover_channel{-1};
  // -x: the old process's sockets; a bind takes a matching one before
  // binding a new socket (null: none).
  net::AdoptedSockets* adopted = nullptr;
  // Messages for the operator that do not stop the start (state files).
  std::vector<std::string> warnings;
  // One per server of every ring; each runs on worker thread f->thread().
  std::vector<std::unique_ptr<stream::RingForwarder>> ring_forwarders;
  // One per enabled peers section; each runs on worker thread s->thread().
  std::vector<std::unique_ptr<peers::Section>> peer_sections;
  // This process replaces another (a master's reload, -sf/-st): its peers
  // sections first wait for the old process to teach them the tables.
  bool reloaded = false;

 private:
  // The peers sections: their local peer (HAPROXY_LOCALPEER), listener and
  // remote peers (after the stick tables are registered).
  void create_peers(const config::Config& cfg, std::vector<std::string>* errors);
  // `id` is the proxy id HAProxy gives the section (fe_id, be_id).
  backend::Backend* build_backend(const config::ProxyConfig& p, int id,
                                  std::vector<std::string>* errors);
  backend::Backend* find_backend(const std::string& name);
  // The servers' "track" links (app/track_links.cc; validate() checked them),
  // and the tracked servers that sample fetches name (del server refuses
  // them).
  void link_tracks(const config::Config& cfg);
  void mark_fetch_references(const config::Config& cfg);
  // Returns: false with an error added if the check address is unusable.
  bool add_agent(const config::ProxyConfig& p, const config::ServerConfig& sc, backend::Backend* be,
                 backend::Server* s, std::vector<std::string>* errors);
  bool add_check(const config::ProxyConfig& p, const config::ServerConfig& sc, backend::Backend* be,
                 backend::Server* s, std::vector<std::string>* errors);
  // Creates the checks of pending_checks_, spread over threads and over the
  // first check interval, and records every server's starting state.
  void start_health();
  // Opens the global log targets; sets the syslog hostname and the longest
  // line any target takes.
  void open_global_logs(const config::Config& cfg, std::vector<std::string>* errors);
  // Opens one target; a "tcp@" one gets its implicit ring here.
  // Returns: null after adding an error.
  std::shared_ptr<stream::LogSink> open_log(const config::LogTarget& t, bool hostname_set,
                                            std::vector<std::string>* errors);
  // Registers the ring sections' rings (before any target opens).
  void create_rings(const config::Config& cfg);
  // One forwarder per ring server, spread over the workers.
  void create_ring_forwarders(std::vector<std::string>* errors);
  // The targets of a frontend: the global ones under "log global", then its own.
  std::vector<std::shared_ptr<stream::LogSink>> proxy_logs(const config::ProxyConfig& p,
                                                           bool hostname_set,
                                                           std::vector<std::string>* errors);

  // A backend's event log (server UP/DOWN, log-health-checks): its targets
  // as proxy_logs() finds them, under its log-tag; none without targets.
  void set_event_log(const config::ProxyConfig& p, backend::Backend* be,
                     std::vector<std::string>* errors);
  // The resolvers sections, spread over the workers (before the backends).
  void create_resolvers(const config::Config& cfg);
  dns::Resolvers* find_resolvers(const std::string& name);
  // Finds a server's first address (init-addr). A server resolved at run
  // time whose methods all fail starts in resolution maintenance with a
  // warning, as in HAProxy; an SRV slot starts there, empty.
  bool init_addr(const config::ProxyConfig& p, const config::ServerConfig& sc, backend::Server* s,
                 std::vector<std::string>* errors);
  // fullconn of a backend section, or HAProxy's default for it.
  int fullconn_of(const config::ProxyConfig& be) const;
  const config::Config* cfg_ = nullptr;  // during build() only
  bool log_hostname_set_ = false;        // log-send-hostname (set by open_global_logs)
  std::string log_tag_;                  // the global log-tag

  // Reads the server state files that load-server-state-from-file names and
  // applies them to the backends' servers (server_state_load.cc). Before
  // start_health(): a checked server's first state comes from there.
  void load_server_states(const config::Config& cfg);
  // Applies state rows to the servers they name (of `only` when not null).
  // same_address_only: skip a server whose address differs from the row's.
  void apply_state_rows(const std::vector<backend::ServerStateRow>& rows, backend::Backend* only,
                        bool same_address_only);
  // Applies `warm` (the previous worker's knowledge, warm_state_load.cc), after
  // the state files: it is the fresher of the two.
  void apply_warm_state();
  // The rows of the state file that proxy p loads (cached per file), or null
  // when it loads none or the file is not usable (a warning was added).
  const std::vector<backend::ServerStateRow>* state_rows(const config::Config& cfg,
                                                         const config::ProxyConfig& p);
  // init-addr last: server srv's address in p's state file, or null.
  const std::string* last_addr(const config::Config& cfg, const config::ProxyConfig& p,
                               const std::string& srv);
  std::map<std::string, std::vector<backend::ServerStateRow>> state_files_;
  std::set<std::string> unusable_files_;
  // The age of each restored server's last change, set once checks start.
  std::vector<std::pair<backend::Server*, int64_t>> restored_since_s_;

  struct PendingCheck {
    backend::Backend* be;
    backend::Server* server;
    backend::CheckSpec spec;
  };
  std::vector<PendingCheck> pending_checks_;
  int implicit_rings_ = 0;  // "ring#N" names given to tcp@ targets
  size_t ring_bufsize_ = 16384;
  SocketBuffers server_bufs_;  // tune.sndbuf.server / tune.rcvbuf.server
};

}  // namespace hearth::app
