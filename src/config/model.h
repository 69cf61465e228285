#pragma once
// The parsed configuration: plain data, no runtime objects. Built by the parser
// (parser.h), checked by validate.h, turned into runtime objects by src/app.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/enums.h"
#include "config/error_reply.h"
#include "config/process_model.h"
#include "config/stats_page_model.h"
#include "config/tcp_rule.h"
#include "expr/acl.h"
#include "expr/condition.h"
#include "expr/log_format.h"
#include "expr/pattern.h"
#include "expr/pattern_ref.h"
#include "expr/regex.h"
#include "expr/userlist.h"
#include "stick/table.h"

namespace hearth::config {

// Where a directive came from; every error message names it.
struct SourceLoc {
  std::string file;
  int line = 0;
};
}  // namespace hearth::config
#include "config/check_model.h"
#include "config/log_model.h"
#include "config/persist_model.h"
#include "config/program_model.h"
#include "config/resolvers_model.h"
namespace hearth::config {

enum class ProxyKind { kFrontend, kBackend, kListen, kDefaults };

// All durations are milliseconds. Unset means "not configured" (inherit / none).
struct Timeouts {
  std::optional<int64_t> connect, client, server, tunnel, client_fin, server_fin, queue,
      http_request, http_keep_alive, pool_idle,
      reuse_window,  // http-reuse safe: how recently an idle connection must have
                     // proven live to carry a non-idempotent request
      check,         // health checks: bounds the read once connected
      tarpit,        // how long http-request tarpit holds a request
      client_hs;     // bounds a TLS handshake on the client side (else: client)
};

// The TLS options of a server line toward the server, or of
// ssl-default-server-options (server_ssl_keywords.cc).
struct ServerTls {
  bool enabled = false;  // "ssl" ("no-ssl" clears it)
  int use_ssl = 0;       // 1 after "ssl", -1 after "no-ssl" (show servers state's srv_use_ssl)
  // The default-server in force had "ssl": the TLS settings are prepared even
  // if this line says "no-ssl", so that "set server ... ssl on" may use them.
  bool default_ssl = false;
  int verify = -1;  // -1 unset (ssl-server-verify decides), 0 none, 2 required
  std::string verifyhost;
  std::string ca_file, crl_file, crt;           // as written (ca-base / crt-base apply)
  std::shared_ptr<const expr::SampleExpr> sni;  // "sni EXPR": evaluated per connection
  std::vector<std::string> alpn;                // protocols offered
  int min_ver = 0, max_ver = 0;                 // wire numbers; 0: unset
  int force_ver = 0;                            // force-tlsv12 / force-tlsv13
  uint8_t no_versions = 0;                      // bit (v - 0x300): no-sslv3 ... no-tlsv13
  std::optional<std::string> ciphers, ciphersuites;
  bool no_reuse = false;    // no-ssl-reuse
  bool no_tickets = false;  // no-tls-tickets
  int check_ssl = -1;  // -1: as the traffic (unless "port"/"addr"), 0 no-check-ssl, 1 check-ssl
  std::string check_sni;
  std::optional<std::vector<std::string>> check_alpn;
  SourceLoc first_option;  // where a TLS option was written on the server line itself
  std::string first_option_name;
};

// proxy-v2-options (and the send-proxy-v2-ssl forms): what a v2 PROXY header
// sent to a server carries besides the addresses.
enum ProxyV2Opt : uint16_t {
  kPpSsl = 1u << 0,        // the SSL TLV: client TLS, verify result, version
  kPpCertCn = 1u << 1,     // its CN sub-TLV: the client certificate's common name
  kPpSslCipher = 1u << 2,  // its cipher sub-TLV
  kPpCertSig = 1u << 3,    // its signature algorithm sub-TLV (client certificate)
  kPpCertKey = 1u << 4,    // its key algorithm sub-TLV (client certificate)
  kPpAuthority = 1u << 5,  // AUTHORITY: the authority received, else the client's SNI
  kPpCrc32c = 1u << 6,     // CRC32C of the header
  kPpUniqueId = 1u << 7,   // UNIQUE_ID: the stream's unique-id-format
};

struct ServerConfig {
  SourceLoc loc;
  std::string name;
  // "host:port" after ${VAR} expansion, with a numeric port: 0 when the port
  // comes from the client (see port_from_client).
  std::string address;
  // No port, ":0", "+N" or "-N" was written: connect to the client's
  // destination port plus port_offset. (A host of "*" or 0.0.0.0 takes the
  // client's destination address likewise; the runtime sees that itself.)
  bool port_from_client = false;
  int port_offset = 0;
  int id = 0;          // "id": its public id (srv_id, balance first); 0: numbered
  std::string source;  // "source ADDR[:PORT]": local address of its connections
  bool tfo = false;    // "tfo": TCP_FASTOPEN_CONNECT on its connections
  std::string redir;   // "redir PREFIX": GET and HEAD answered 302 to PREFIX + URI
  // "cookie VALUE": the value of the backend's persistence cookie that leads
  // to it (cookie_keywords.cc); unset: none (or a dynamic one).
  std::optional<std::string> cookie;
  // "init-addr": how the address is found at start, tried in order: "libc"
  // (resolve the host), "none" (start in maintenance without one) or an IP.
  std::vector<std::string> init_addr = {"libc"};
  int weight = 1;    // 0..256
  int maxconn = 0;   // 0 = unlimited
  int minconn = 0;   // below maxconn: a limit that grows with the load (fullconn)
  int maxqueue = 0;  // sessions waiting for this server in particular; 0: no limit
  bool disabled = false;
  bool backup = false;
  bool non_stick = false;  // "non-stick": never stored in a stick table by stick rules
  // HTTP idle pool settings (issue #3); parsed so configs validate, unused in tcp mode.
  std::optional<int> pool_max_conn;
  std::optional<int> pool_low_conn;
  std::optional<int64_t> pool_purge_delay;
  std::optional<int64_t> pool_idle_timeout;
  std::optional<int> max_reuse;
  // reuse-guard (a Hearth addition): the rate of reused connections dying
  // unexplained (parts per million) above which requests that cannot be
  // replayed take new connections; 0: off.
  uint32_t reuse_guard_ppm = 50000;
  // Health checks ("check" and its settings; they apply only with check).
  bool check = false;
  // agent-check: an agent on the server tells its state ("agent-port",
  // "agent-addr", "agent-inter", "agent-send").
  bool agent_check = false;
  int agent_port = 0;                  // required with agent-check
  std::string agent_addr;              // "": the server's address
  std::optional<int64_t> agent_inter;  // unset: inter
  std::string agent_send;              // sent once connected; "": nothing
  int64_t inter = 2000;                // ms between checks while fully UP
  std::optional<int64_t> fastinter;    // ms between checks in a transition; unset: inter
  std::optional<int64_t> downinter;    // ms between checks while fully DOWN; unset: inter
  int rise = 2;                        // consecutive passed checks to go UP
  int fall = 3;                        // consecutive failed checks to go DOWN
  std::optional<int> check_port;       // "port": check this port instead
  std::string check_addr;              // "addr": check this host instead ("" = the server's)
  InitState init_state = InitState::kUp;
  // Passive health: "observe", "error-limit", "on-error" (with check only).
  ObserveMode observe = ObserveMode::kNone;
  int error_limit = 10;
  OnError on_error = OnError::kFailCheck;
  // "slowstart": after coming back UP, weight and maxconn grow over this
  // many ms (0: at once).
  int64_t slowstart = 0;
  ServerTls tls;
  // PROXY protocol on its connections: send-proxy (v1), send-proxy-v2 (v2
  // wins when both are set), the v2 options (ProxyV2Opt bits), and
  // check-send-proxy (its checks send one even with "port" or "addr").
  bool send_proxy_v1 = false, send_proxy_v2 = false;
  uint16_t proxy_v2_opts = 0;
  bool check_send_proxy = false;
  // "socks4 ADDR:PORT": its connections go through that SOCKS4 proxy ("":
  // none), its checks too with "check-via-socks4" (net/socks4.h).
  std::string socks4;
  bool check_via_socks4 = false;
  // "track [<backend>/]<server>": it follows that server's state and runs no
  // check (backend/server_track.h); "": none.
  std::string track;
  // "on-marked-down shutdown-sessions": its sessions are killed when it goes
  // DOWN; "on-marked-up shutdown-backup-sessions": when it comes UP (an
  // active server), the backup servers' sessions are.
  bool shutdown_on_down = false;
  bool shutdown_backups_on_up = false;
  // Run-time resolution: resolvers, resolve-prefer, resolve-net, resolve-opts.
  ServerResolveConfig resolve;
  // "server-template": the SRV label its slots are filled from ("_svc._proto.name";
  // "": an A/AAAA template or a plain server), and whether it came from one.
  std::string srv_record;
  bool from_template = false;
};

// Where a bind line's certificates come from: "crt PATH" (a PEM file or a
// directory) or "crt-list FILE", in the order written (the first certificate
// of either is the line's default).
struct CertSource {
  std::string path;   // as written (crt-base applies at startup)
  bool list = false;  // crt-list
  bool operator==(const CertSource&) const = default;
};

// The TLS options of a bind line, or of ssl-default-bind-options
// (bind_ssl_keywords.cc), or of one crt-list line (crt_list.cc).
struct BindTls {
  bool enabled = false;                           // "ssl"
  std::vector<CertSource> crts;                   // "crt" and "crt-list"
  std::string ca_file, ca_verify_file, crl_file;  // as written (ca-base applies)
  int verify = -1;                                // -1 unset, 0 none, 1 optional, 2 required
  std::vector<std::string> alpn;                  // protocols advertised (h2 already left out)
  int min_ver = 0, max_ver = 0;  // ssl-min-ver / ssl-max-ver, wire numbers; 0: unset
  int force_ver = 0;             // force-tlsv12 / force-tlsv13
  uint8_t no_versions = 0;       // bit (v - 0x300): no-sslv3 ... no-tlsv13
  std::optional<std::string> ciphers, ciphersuites, curves, ecdhe;
  bool prefer_client_ciphers = false;
  bool no_tls_tickets = false;
  bool strict_sni = false;
  bool no_ca_names = false;  // the ca-file's names are not sent to clients
  // crt-ignore-err / ca-ignore-err: client-certificate verification errors
  // (X509_V_ERR_* numbers) that do not end the handshake, at depth 0 / above
  // it; *_all: every one ("all").
  std::vector<int> crt_ignore, ca_ignore;
  bool crt_ignore_all = false, ca_ignore_all = false;
  std::string tls_ticket_keys;  // "tls-ticket-keys FILE", as written (crt-base does not apply)
  SourceLoc first_option;       // where a TLS option was first given (0: none)
  std::string first_option_name;
};

// The global TLS settings (ssl-*, crt-base, ca-base, tune.ssl.*).
struct TlsGlobal {
  std::string crt_base, ca_base;
  std::optional<std::string> bind_ciphers, bind_ciphersuites, bind_curves;
  BindTls bind_options;                                            // ssl-default-bind-options
  std::optional<std::string> server_ciphers, server_ciphersuites;  // ssl-default-server-*
  ServerTls server_options;                                        // ssl-default-server-options
  int server_verify = 2;      // ssl-server-verify: 0 none, 2 required
  std::string dh_param_file;  // ssl-dh-param-file
  int default_dh_param = 0;   // tune.ssl.default-dh-param; 0: no DHE unless a PEM has DH
  int cachesize = 20000;      // tune.ssl.cachesize
  int lifetime_s = 300;       // tune.ssl.lifetime
  int maxrecord = 0;          // tune.ssl.maxrecord
  int capture_size = 0;       // tune.ssl.capture-buffer-size; 0: no ClientHello capture
  // ssl-load-extra-files: a certificate's key in FILE.key, and multi-cert
  // bundles (FILE.rsa, FILE.ecdsa, FILE.dsa when FILE does not exist).
  bool extra_key = true, extra_bundle = true;
  bool extra_del_ext = false;  // ssl-load-extra-del-ext: foo.crt's key is foo.key
};

// The options of a "bind" line, shared by each address it lists.
struct BindOptions {
  std::string name;           // so_name
  int id = 0;                 // so_id; 0: numbered automatically
  int backlog = 0;            // listen(2) backlog; 0: the frontend's
  int maxconn = 0;            // connections open at once on this line's sockets; 0: no limit
  int v6only = -1;            // IPV6_V6ONLY: -1 system default, 0 v4v6, 1 v6only
  bool tfo = false;           // TCP_FASTOPEN
  bool defer_accept = false;  // TCP_DEFER_ACCEPT
  bool transparent = false;   // IP_TRANSPARENT / IPV6_TRANSPARENT
  bool accept_proxy = false;  // accept-proxy: a PROXY header (v1 or v2) comes first
  std::string interface;      // SO_BINDTODEVICE
  int mss = 0;                // TCP_MAXSEG: > 0 the value, < 0 reduce the default by it
  int64_t tcp_ut_ms = 0;      // TCP_USER_TIMEOUT
  uint64_t threads = 0;       // bit t-1 for thread t; 0: every thread
  int thread_max = 0;         // the highest thread "thread" names by number
  std::string proto;          // "h1", "none" or "" (the mode's)
  BindTls tls;
  // A UNIX socket's file: mode (0: the umask's), owner and group (-1: the
  // process's). HAProxy ignores them on other sockets; Hearth warns.
  int unix_mode = 0, unix_uid = -1, unix_gid = -1;
  std::string unix_option;  // the first of mode/user/group/uid/gid written
};

struct BindConfig {
  SourceLoc loc;
  // "ip:port", ":port", "*:port", "[v6]:port", "fd@N", or a UNIX socket:
  // "/path", "unix@path", "abns@name"
  std::string address;
  BindOptions opts;
};

// An http-request / http-response rule: set-header, add-header, del-header,
// replace-header, replace-value, return, deny. Rules of one list run in the
// order written.
struct HttpRule {
  SourceLoc loc;
  enum class Action {
    kSetHeader,
    kAddHeader,
    kDelHeader,
    kReplaceHeader,
    kReplaceValue,
    kReturn,
    kDeny,
    kSetVar,            // set-var(name[,cond...]) EXPR
    kSetVarFmt,         // set-var-fmt(name[,cond...]) FMT
    kUnsetVar,          // unset-var(name)
    kSetPath,           // set-path FMT
    kSetPathq,          // set-pathq FMT
    kSetQuery,          // set-query FMT
    kSetUri,            // set-uri FMT
    kSetMethod,         // set-method FMT
    kReplacePath,       // replace-path REGEX REPLACEMENT
    kReplacePathq,      // replace-pathq REGEX REPLACEMENT
    kReplaceUri,        // replace-uri REGEX REPLACEMENT
    kRedirect,          // redirect location|prefix|scheme FMT [options]
    kAllow,             // allow: ends the evaluation of this list, nothing else
    kSetStatus,         // set-status CODE [reason STR] (`status`, `value`)
    kStrictMode,        // strict-mode on|off (`strict_on`)
    kSetSrc,            // set-src EXPR (`expr`)
    kSetSrcPort,        // set-src-port EXPR
    kSetDst,            // set-dst EXPR
    kSetDstPort,        // set-dst-port EXPR
    kAuth,              // auth [realm REALM]: `value` holds the realm
    kReject,            // http-request reject: closes the client connection, no answer
    kSilentDrop,        // silent-drop: drops the client connection without telling it
    kWaitForBody,       // wait-for-body time T [at-least N] (`wait_ms`, `at_least`)
    kCapture,           // capture EXPR len N | id N (`expr`, `cap_id`)
    kSetLogLevel,       // set-log-level LEVEL (`log_level`)
    kDisableL7Retry,    // disable-l7-retry: no retry-on retry for this request
    kTarpit,            // tarpit [reply options of deny]: deny after timeout tarpit
    kSetTimeout,        // set-timeout server|tunnel MS|EXPR (`timeout_tunnel`, `wait_ms` or `expr`)
    kEarlyHint,         // early-hint NAME FMT (`name`, `value` or `fmt`, `eh_group`)
    kNormalizeUri,      // normalize-uri NORMALIZER [full|strict] (`normalizer`)
    kAddAcl,            // add-acl(FILE) KEYFMT (`pat_ref`, `fmt`)
    kDelAcl,            // del-acl(FILE) KEYFMT
    kSetMap,            // set-map(FILE) KEYFMT VALUEFMT (`fmt`, `fmt2`)
    kDelMap,            // del-map(FILE) KEYFMT
    kUseService,        // use-service NAME (`name`): a built-in service answers
    kStick,             // track-sc*, sc-inc-gpc*, sc-set-gpt* (`stick`)
    kSetPriorityClass,  // set-priority-class EXPR (`expr`): the queue's class
    kSetPriorityOffset,  // set-priority-offset EXPR: ms added to the queue key
  } action;
  std::string name;   // header name for set/add/del/replace
  std::string value;  // header value for set/add; replacement format for replace-*;
                      // body string for return / deny
  std::shared_ptr<const expr::Regex> regex;     // replace-header / replace-value
  int status = 0;                               // for return / deny
  std::string content_type;                     // for return
  std::shared_ptr<const expr::Condition> cond;  // if/unless; null: always
  // set-header / add-header / set-var-fmt: the value when it has %[...] or
  // %-variables (else `value` holds the text).
  std::shared_ptr<const expr::LogFormat> fmt;
  std::shared_ptr<const expr::SampleExpr> expr;  // set-var
  expr::VarName var;                             // set-var, set-var-fmt, unset-var
  uint16_t var_conds = 0;                        // set-var(name,ifset,...)
  // return / deny: "hdr NAME FMT" fields, and whether a payload was given
  // (string, lf-string in `fmt`, file, lf-file).
  std::vector<std::pair<std::string, std::shared_ptr<const expr::LogFormat>>> hdrs;
  bool has_body = false;
  // del-header NAME -m METH: str (default), beg, end, sub or reg (`regex`),
  // on the lower-cased name, as HAProxy's (its header names are lower case).
  enum class NameMatch : uint8_t { kStr, kBeg, kEnd, kSub, kReg } name_match = NameMatch::kStr;
  // redirect: the kind, and its options (`status` holds the code, `value` or
  // `fmt` the location, prefix or scheme).
  enum class RedirectType : uint8_t {
    kLocation,
    kPrefix,
    kScheme
  } redirect = RedirectType::kLocation;
  bool drop_query = false;
  bool append_slash = false;
  bool ignore_empty = false;  // redirect ignore-empty: an empty location skips the rule
  std::string cookie;         // the whole Set-Cookie value to add, or empty
  bool strict_on = true;      // strict-mode on|off
  int64_t wait_ms = 0;        // wait-for-body: the longest wait
  int64_t at_least = 0;       // wait-for-body: enough payload bytes (0: the whole body)
  // http-response / http-after-response: the rule's condition or values
  // read the response payload (res.body & co), which the stream then takes
  // in before the rules run.
  bool reads_res_body = false;
  // capture: the slot written (request slots for http-request, response
  // slots otherwise); "len N" declared a new slot and set this to its index.
  int cap_id = -1;
  bool cap_declares = false;    // the "len N" form
  int8_t log_level = 0;         // set-log-level: a LogLevel value (log_model.h)
  bool timeout_tunnel = false;  // set-timeout: tunnel (else server)
  // early-hint: this rule and the unconditional early-hint rules right after
  // it, which HAProxy sends in one 103 response (1: this rule sends it).
  uint16_t eh_group = 1;
  uint8_t normalizer = 0;                    // normalize-uri: an expr::UriNormalizer value
  std::shared_ptr<const StickAction> stick;  // kStick
  // add-acl, del-acl, set-map, del-map: the file's pattern reference (its
  // entries change only once an acl or map loaded it, as in HAProxy) and,
  // for set-map, the value's format.
  std::shared_ptr<expr::PatRef> pat_ref;
  std::shared_ptr<const expr::LogFormat> fmt2;
  // deny / return: errorfile F | errorfiles NAME | default-errorfiles (a deny
  // without a payload too); null otherwise.
  std::shared_ptr<RuleErrorReply> errmsg;
};

// "use_backend NAME [if|unless COND]": content switching; the first rule
// whose condition holds (or that has none) picks the backend.
struct SwitchingRule {
  SourceLoc loc;
  std::string backend;
  std::shared_ptr<const expr::Condition> cond;  // null: always
  // "use_backend %[...]": the name, computed per request (no such backend:
  // default_backend, no further rule).
  std::shared_ptr<const expr::LogFormat> fmt;
};

// "use-server NAME|FMT if|unless COND" (backend, listen): the server a
// request goes to when the condition holds and the server is up.
struct UseServerRule {
  SourceLoc loc;
  std::string server;
  std::shared_ptr<const expr::Condition> cond;
  std::shared_ptr<const expr::LogFormat> fmt;  // a name computed per request
};

// "stick match|on|store-request|store-response PATTERN [table T] [if|unless
// COND]" (stick_rule_keyword.cc): stickiness to a server through a table's
// server_id.
struct StickRule {
  SourceLoc loc;
  enum class Kind : uint8_t { kMatch, kOn, kStoreRequest, kStoreResponse } kind = Kind::kMatch;
  std::shared_ptr<const expr::SampleExpr> expr;  // the pattern: the key
  std::shared_ptr<expr::TableRef> table;         // the proxy's own by default
  std::shared_ptr<const expr::Condition> cond;
  bool matches() const { return kind == Kind::kMatch || kind == Kind::kOn; }
  bool stores() const { return kind != Kind::kMatch; }
};

// "option forwardfor [except NET] [header NAME] [if-none]" and "option
// originalto [except NET] [header NAME]": a field with the client's (the
// destination's) address added to requests sent to servers.
struct ForwardOption {
  bool enabled = false;
  bool if_none = false;  // forwardfor: only when the request has no such field
  std::string header;    // empty: X-Forwarded-For / X-Original-To
  std::shared_ptr<const expr::PatternSet> except;  // addresses left alone; null: none
};

enum class ServerStateLoad { kNone, kGlobal, kLocal };

// TCP keep-alive probes on one side's sockets: "option clitcpka" (client
// side) / "option srvtcpka" (server side), "option tcpka" (both), and the
// clitcpka-* / srvtcpka-* keywords. 0: the system's setting.
struct TcpKeepAlive {
  bool enabled = false;
  int idle_s = 0;   // TCP_KEEPIDLE, seconds
  int intvl_s = 0;  // TCP_KEEPINTVL, seconds
  int cnt = 0;      // TCP_KEEPCNT, probes
};

// The arguments of "balance uri|url_param|hdr|hash|rdp-cookie".
struct BalanceArgs {
  int uri_len = 0;             // uri len N: hash at most N bytes; 0: all
  int uri_depth = 0;           // uri depth N: stop at the (N+1)th '/'; 0: no limit
  bool uri_whole = false;      // uri whole: the query string too
  bool uri_path_only = false;  // uri path-only: from the path's first '/'
  // url_param NAME, hdr(NAME), rdp-cookie(NAME) ("mstshash" when omitted).
  std::string name;
  bool use_domain_only = false;                  // hdr(NAME) use_domain_only
  std::shared_ptr<const expr::SampleExpr> expr;  // hash EXPR
};

// "hash-type METHOD [FUNCTION [avalanche]]". HAProxy's defaults: map-based
// sdbm; consistent alone is consistent sdbm avalanche.
struct HashType {
  HashMethod method = HashMethod::kMapBased;
  HashFunc func = HashFunc::kSdbm;
  bool avalanche = false;
};

struct ProxyConfig {
  SourceLoc loc;
  ProxyKind kind = ProxyKind::kListen;
  std::string name;
  Mode mode = Mode::kTcp;
  std::vector<BindConfig> binds;
  std::string default_backend;  // frontends only
  SourceLoc default_backend_loc;
  std::vector<SwitchingRule> use_backends;  // frontends only, in the order written
  // Named ACLs ("acl NAME ..."), by name; several lines of one name are one
  // ACL whose tests are OR'ed. Not inherited from defaults (as HAProxy).
  std::map<std::string, std::shared_ptr<expr::Acl>> acls;
  std::vector<ServerConfig> servers;
  std::string source;  // "source ADDR[:PORT]": its servers' unless they set their own
  BalanceAlgo balance = BalanceAlgo::kRoundRobin;
  bool balance_set = false;  // a "balance" line (here or in its defaults) chose it
  int random_draws = 2;      // balance random(N)
  BalanceArgs balance_args;  // balance uri|url_param|hdr|hash|rdp-cookie
  HashType hash_type;        // hash-type
  // hash-balance-factor N: with hash-type consistent, no server takes more
  // than N% of the average load (bounded loads); 0: no bound.
  int hash_balance_factor = 0;
  Timeouts timeouts;
  int retries = 3;
  bool redispatch = false;
  bool prefer_last_server = false;  // option prefer-last-server
  int max_ka_queue = -1;            // max-keep-alive-queue N; -1: no limit
  int maxconn = 0;                  // 0 = use global maxconn
  int rate_limit_sessions = 0;      // rate-limit sessions N: new sessions per second; 0: none
  // fullconn: the backend load (be_conn) at which its servers reach their
  // maxconn; 0: 10% of the maxconn of the frontends that lead to it.
  int fullconn = 0;
  int id = 0;  // "id N"; 0: numbered automatically (config::proxy_ids)
  SourceLoc id_loc;
  std::string description;  // "description TEXT" (show stat's desc column)
  TcpKeepAlive cli_tcpka, srv_tcpka;
  bool nolinger = false;  // option nolinger: closes reset (SO_LINGER 0)
  // option tcp-smart-accept: unset follows the mode (on in HTTP, as HAProxy).
  std::optional<bool> smart_accept;
  bool smart_connect = false;  // option tcp-smart-connect
  bool allbackups = false;     // option allbackups
  bool abortonclose = false;   // option abortonclose
  // Where the sessions of a backend without a "balance" line go (use-server
  // aside): "dispatch ADDR:PORT", or with "option transparent" the client's
  // own destination.
  std::string dispatch;
  SourceLoc dispatch_loc;
  bool transparent = false;
  bool pretend_keepalive = false;    // option http-pretend-keepalive
  bool independent_streams = false;  // option independent-streams
  bool log_health_checks = false;    // option log-health-checks
  // "disabled" ("enabled" undoes it): a frontend opens no listener, a backend
  // serves nothing (503 / closed, as with no server) and runs no check.
  bool disabled = false;
  uint8_t splice = 0;  // SpliceBits: option splice-request|response|auto
  // HTTP (issue #3)
  HttpReuse http_reuse = HttpReuse::kSafe;
  HttpConnMode http_conn_mode = HttpConnMode::kKeepAlive;
  ForwardOption forwardfor, originalto;
  // monitor-uri: requests for it get 200, or 503 when a "monitor fail"
  // condition holds; they reach no rule and are not logged.
  std::string monitor_uri;
  std::vector<std::shared_ptr<const expr::Condition>> monitor_fail;
  std::vector<HttpRule> http_request_rules;
  std::vector<HttpRule> http_response_rules;
  std::vector<HttpRule> http_after_response_rules;
  // The legacy "redirect" keyword: after the http-request rules of the same
  // proxy, before switching (frontend) or connecting (backend).
  std::vector<HttpRule> redirect_rules;
  std::vector<UseServerRule> use_servers;  // in the order written
  std::vector<StickRule> stick_rules;      // in the order written
  // Cookie persistence (persist_model.h): "cookie", "dynamic-cookie-key",
  // "option persist", and force-persist / ignore-persist in the order written.
  CookieConfig cookie;
  std::string dynamic_cookie_key;
  bool persist = false;
  std::vector<PersistRule> persist_rules;
  TcpRules tcp;                           // tcp-request / tcp-response rules and inspect delays
  uint32_t retry_on = kRetryConnFailure;  // RetryOn bits (HAProxy's default)
  bool log_global = false;                // log global: the global section's targets too
  std::vector<LogTarget> logs;            // its own "log" lines ("no log" empties both)
  std::string log_tag;                    // log-tag; empty: the global one
  bool log_separate_errors = false;       // option log-separate-errors
  bool socket_stats = false;              // option socket-stats: a stats row per bind
  bool dontlog_normal = false;            // option dontlog-normal
  LogFormat log_format = LogFormat::kDefault;  // option tcplog / httplog
  bool dontlognull = false;                    // option dontlognull
  bool logasap = false;                        // option logasap: log before the data phase
  ProxyLogConfig logcfg;                       // log-format, unique-id-*, captures (log_model.h)
  // option http-use-proxy-header: a request whose target is not a path (a
  // client talking to a proxy) authenticates with Proxy-Authorization, and
  // http-request auth answers 407 with Proxy-Authenticate.
  bool http_use_proxy_header = false;
  // option http-buffer-request: the payload (or as much of it as the
  // buffer holds) is received before the request rules run.
  bool http_buffer_request = false;
  HdrNamePolicy restrict_req_hdr_names = HdrNamePolicy::kPreserve;
  CheckConfig check;  // option httpchk / tcp-check / protocol checks and their rules
  // load-server-state-from-file: which state file gives its servers their
  // state at start-up; server-state-file-name (local only; empty: the
  // backend's name).
  ServerStateLoad load_server_state = ServerStateLoad::kNone;
  std::string server_state_file_name;
  // errorfile, errorfiles, errorloc*, http-error lines in order (the
  // defaults' first), and the messages they give once resolved.
  std::vector<ErrorDirective> error_directives;
  ErrorReplies errors;
  StatsPageConfig stats;  // the "stats" keywords (stats_page_keywords.cc)
  // stick-table (stick_table_keyword.cc): the proxy's table, named after it.
  std::shared_ptr<const stick::TableConfig> stick_table;
  SourceLoc stick_table_loc;
};

struct StatsSocketConfig {
  SourceLoc loc;
  std::string path;  // filesystem path, "fd@N", or "IP:PORT" / "[IP6]:PORT" (ipv4@, ipv6@)
  bool tcp = false;  // path is an IP address and port
  CliLevel level = CliLevel::kOperator;  // "level" (HAProxy's default: operator)
  int mode = 0600;
  int uid = -1, gid = -1;  // owner of a unix socket (user/uid, group/gid); -1: unchanged
  bool expose_fd = false;  // "expose-fd listeners": answers _getsocks (-x of a new process)
};

// Kernel splicing (net/pipe_pool.h).
struct SpliceGlobal {
  bool nosplice = false;        // "nosplice"
  std::optional<int> maxpipes;  // "maxpipes N"; unset: maxconn / 4, as HAProxy
  int pipesize = 0;             // "tune.pipesize"; 0: the system's pipe size
};

struct GlobalConfig {
  int nbthread = 1;
  int maxconn = 4096;
  int maxconnrate = 0;          // connections accepted per second by the process; 0: no limit
  int maxsessrate = 0;          // sessions (connections past their connection rules) per second
  int maxsslrate = 0;           // TLS connections accepted per second (on ssl binds)
  std::vector<LogTarget> logs;  // "log" lines, used by proxies with "log global"
  // log-send-hostname: the hostname field of syslog headers (empty: the
  // system's name); unset: none, and targets default to the "local" format.
  std::optional<std::string> log_send_hostname;
  std::string log_tag = "haproxy";         // log-tag
  std::string pidfile;                     // "pidfile PATH"; empty = write no pid file
  std::optional<int64_t> hard_stop_after;  // ms
  std::vector<StatsSocketConfig> stats_sockets;
  int64_t stats_timeout_ms = 10000;  // "stats timeout": an idle CLI connection is closed
  int stats_maxconn = 10;            // "stats maxconn": CLI connections served at once
  int tune_bufsize = 16384;
  int tune_http_maxhdr = 101;
  // tune.* settings of sockets and loops (tune_keywords.cc).
  int tune_recv_enough = 0;      // tune.recv_enough (net/transport.h); 0: a short read drains
  int tune_maxaccept = 64;       // connections a listener takes per wake-up; -1: no limit
  int tune_maxpollevents = 256;  // events one epoll_wait returns at most
  // Percent of the descriptor limit in use above which no idle server
  // connection is kept (low) / a new one first closes an idle one (high).
  int tune_pool_low_fd_ratio = 20;
  int tune_pool_high_fd_ratio = 25;
  std::string profiling_tasks = "auto";  // profiling.tasks: auto, on or off
  int tune_runqueue_depth = 0;           // tasklets run per loop turn; 0: those queued before it
  int tune_rcvbuf_client = 0;            // SO_RCVBUF of accepted sockets; 0: the system's
  int tune_sndbuf_client = 0;            // SO_SNDBUF of accepted sockets
  int tune_rcvbuf_server = 0;            // SO_RCVBUF of server sockets
  int tune_sndbuf_server = 0;            // SO_SNDBUF of server sockets
  // Characters of the request line a log keeps: N when set; 1023 when not
  // (HAProxy's 1024-byte capture keeps a NUL).
  int tune_http_logurilen = 1023;
  SpliceGlobal splice;
  int tune_maxrewrite = 1024;  // rewrite reserve (stream/rewrite_budget.h)
  ProcessConfig process;
  std::string server_state_file;  // server-state-file (relative: to server-state-base)
  std::string server_state_base;  // server-state-base
  // "expose-experimental-directives": the proxies that follow may use
  // HAProxy's experimental keywords (http-request normalize-uri).
  bool expose_experimental = false;
  // "external-check": proxies may run external checks; "insecure-fork-wanted":
  // the process may create processes (without it, as HAProxy, an external
  // check cannot start unless the process is privileged).
  bool external_check = false;
  bool insecure_fork_wanted = false;
  TlsGlobal tls;
};

}  // namespace hearth::config

// (After ServerTls and BindTls, which its lines use.)
#include "config/peers_model.h"

namespace hearth::config {

struct Config {
  GlobalConfig global;
  // Frontends, backends and listens in file order. Defaults sections are already
  // merged into the proxies that follow them and do not appear here.
  std::vector<ProxyConfig> proxies;
  // "backend/server" names sample fetches use (srv_is_up, srv_conn ...):
  // "del server" refuses these servers, as HAProxy.
  std::vector<std::string> fetch_server_refs;
  // "userlist" sections in file order (http_auth* fetches point at them).
  std::vector<std::shared_ptr<const expr::Userlist>> userlists;
  // "http-errors NAME" sections: their messages by status.
  std::map<std::string, ErrorReplies> http_errors;
  // "ring" sections in file order.
  std::vector<RingConfig> rings;
  // "resolvers" sections in file order.
  std::vector<ResolversConfig> resolvers;
  // "program" sections in file order (master-worker mode only).
  std::vector<ProgramConfig> programs;
  // "peers NAME" sections in file order.
  std::vector<PeersConfig> peers;

  // Returns: the backend (want_backend) or frontend (!want_backend) named
  // `name`, a listen section matching either way; nullptr if there is none.
  const ProxyConfig* find(const std::string& name, bool want_backend) const;
  // Returns: the userlist called `name`, or null.
  std::shared_ptr<const expr::Userlist> find_userlist(const std::string& name) const;
};

}  // namespace hearth::config
