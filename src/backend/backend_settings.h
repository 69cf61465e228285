#pragma once
// What a backend (or the back half of a listen section) tells the streams it
// serves: server-side timeouts, retries, and its HTTP settings. Streams read
// these through their backend at the time they use them, so a frontend that
// switches between backends applies each backend's own settings.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "config/enums.h"
#include "config/model.h"
#include "net/socket.h"

namespace hearth::backend {

// Milliseconds; 0 means "no timeout".
struct BackendTimeouts {
  int64_t connect = 0, server = 0, server_fin = 0, tunnel = 0, queue = 0;
  int64_t tarpit = 0;  // timeout tarpit, else timeout connect (HAProxy's fallback)
};

// Returns: the socket options of one side's connections from a proxy's
// keep-alive settings, option nolinger and the delayed-ACK option of that
// side (tcp-smart-accept / tcp-smart-connect).
inline net::SockOptions sock_options(const config::TcpKeepAlive& ka, bool nolinger,
                                     bool delay_ack) {
  net::SockOptions o;
  o.keepalive = ka.enabled;
  o.ka_idle_s = ka.idle_s;
  o.ka_intvl_s = ka.intvl_s;
  o.ka_cnt = ka.cnt;
  o.nolinger = nolinger;
  o.delay_ack = delay_ack;
  return o;
}

struct BackendSettings {
  config::Mode mode = config::Mode::kTcp;
  BackendTimeouts timeouts;
  // Server sockets: option srvtcpka / tcpka (srvtcpka-*), option nolinger,
  // option tcp-smart-connect.
  net::SockOptions srv_sock;
  uint8_t splice = 0;  // config::SpliceBits (option splice-*)
  int retries = 3;
  int fullconn = 0;
  std::shared_ptr<const config::StatsPageConfig>
      stats;  // its stats page; null: none  // the load at which its servers reach their maxconn
              // (slim of its stats)
  bool redispatch = false;  // option redispatch
  bool allbackups = false;  // option allbackups (read by finalize() for the LB)
  // The hashing algorithms: what the stream hashes (balance uri & co), how
  // (hash-type) and the bound of consistent hashing (hash-balance-factor).
  // hash_type.method and the factor are read by finalize() for the LB.
  config::BalanceArgs balance_args;
  config::HashType hash_type;
  int hash_balance_factor = 0;
  // option abortonclose: a TCP session whose client closed while it waited
  // for a server (queue, connect) is aborted instead of sent (Stream).
  bool abortonclose = false;
  bool independent_streams = false;  // option independent-streams (Stream)
  bool disabled = false;             // "disabled": switching to it finds no backend (Frontend)
  bool log_health_checks = false;    // option log-health-checks (health_log.h)
  bool listen = false;               // a listen section ("proxy" in its log lines)
  // Sends a line about its servers (UP/DOWN, check results) at a
  // config::LogLevel to the backend's log targets ("log" lines of the
  // section, "log global"); empty when it has none. Callable from any thread.
  std::function<void(int8_t level, const std::string& line)> event_log;
  // HTTP.
  config::HttpConnMode conn_mode = config::HttpConnMode::kKeepAlive;
  bool prefer_last_server = false;  // option prefer-last-server
  // max-keep-alive-queue: a request whose client holds a connection to a full
  // server (prefer-last-server) waits for that server while fewer than this
  // many wait for it already; beyond, the algorithm picks another. -1: no
  // limit, 0: never waits for it.
  int max_ka_queue = -1;
  // option http-pretend-keepalive: under httpclose / http-server-close the
  // request does not announce the close to the server (HTTP/1.0 asks for
  // keep-alive); the connection is closed after the response all the same.
  bool pretend_keepalive = false;
  bool buffer_request = false;                   // option http-buffer-request
  config::HdrNamePolicy restrict_hdr_names{};    // option http-restrict-req-hdr-names
  config::ForwardOption forwardfor, originalto;  // option forwardfor / originalto
  uint32_t retry_on = config::kRetryConnFailure;
  // http-reuse and timeout reuse-window are the reuse policy: each server's
  // ConnPool holds them (backend::PoolSettings).
  // http-request rules, evaluated after the frontend's (and after switching);
  // http-response rules, evaluated before the frontend's. In the order written.
  std::vector<config::HttpRule> request_rules;
  std::vector<config::HttpRule> redirect_rules;  // the legacy "redirect" keyword
  // use-server rules; `server` is the literal name's server (null for a
  // name computed per request).
  struct UseServer {
    config::UseServerRule rule;
    class Server* server = nullptr;
  };
  std::vector<UseServer> use_servers;
  // stick match|on|store-request|store-response, in order (stream/stick_rules).
  std::vector<config::StickRule> stick_rules;
  // Cookie persistence (stream/cookie_persist.h): the cookie line (an empty
  // name: none), option persist, and the force-persist / ignore-persist
  // rules in the order written.
  config::CookieConfig cookie;
  bool persist = false;
  std::vector<config::PersistRule> persist_rules;
  std::vector<config::HttpRule> response_rules;
  // http-after-response rules: on every response of this backend, the
  // server's and Hearth's own, before the frontend's.
  std::vector<config::HttpRule> after_response_rules;
  // tcp-request content rules (after switching) and tcp-response content
  // rules, with their inspect delays.
  config::TcpRules tcp;
  config::ErrorReplies errors;  // errorfile & co (HttpStream::error_reply)
};

}  // namespace hearth::backend
