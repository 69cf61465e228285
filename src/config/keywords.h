#pragma once
// Internal to the parser: keyword handlers, one entry point per family. Each
// handler reads one directive, updates the section it belongs to, and reports
// every problem through the Reporter; none stops the parse.
#include <string>

#include "config/parse_context.h"

namespace hearth::config::detail {

// A directive of the global section (global_keywords.cc).
void parse_global_keyword(const Directive& d, GlobalConfig& global, Reporter& rep);
// Applies d if it is one of tune_keywords.cc's tune.* keywords.
// Returns: true if it was (errors reported), false if d is another keyword.
bool parse_tune_keyword(const Directive& d, GlobalConfig& global, Reporter& rep);
// "stats socket ...", "stats timeout", "stats maxconn" (stats_keywords.cc).
void parse_stats_keyword(const Directive& d, GlobalConfig& global, Reporter& rep);
// The process keywords of the global section (process_keywords.cc): daemon,
// user, group, uid, gid, chroot, ulimit-n, strict-limits, quiet, node,
// description, localpeer, grace, spread-checks, max-spread-checks, cpu-map.
// Returns: false if `d` is none of them (nothing reported).
bool parse_process_keyword(const Directive& d, ProcessConfig& process, Reporter& rep);
inline constexpr const char* kProcessKeywordList =
    "daemon, user, group, uid, gid, chroot, ulimit-n, strict-limits, quiet, node, description, "
    "localpeer, grace, spread-checks, max-spread-checks, cpu-map";
// set-var / set-var-fmt in the global section: evaluated at once into the
// process-wide proc variables (global_vars.cc).
void parse_global_set_var(const Directive& d, GlobalConfig& global, Reporter& rep);

// A directive of a defaults, frontend, backend or listen section
// (proxy_keywords.cc); dispatches to the handlers below.
void parse_proxy_keyword(const Directive& d, ProxySection& section, Reporter& rep);

// "balance", "hash-type" and "hash-balance-factor" (balance_keywords.cc).
// Returns: false if `d` is none of them (nothing reported).
bool parse_balance_keyword(const Directive& d, ProxySection& section, Reporter& rep);

// "stick-table type ... size ... [expire T] [nopurge] [store ...]"
// (stick_table_keyword.cc).
void parse_stick_table(const Directive& d, ProxySection& section, Reporter& rep);
// "bind ADDR[,ADDR...] [OPTION...]" (bind_keywords.cc).
void parse_bind(const Directive& d, ProxySection& section, Reporter& rep);
// Applies the TLS bind option d[*i] ("ssl", "crt FILE", ...) to `t`, moving
// *i past its value; `where` names the keyword in messages ("bind" or
// "ssl-default-bind-options"). Returns: 1 if applied, 0 if d[*i] is none of
// them, -1 after an error (bind_ssl_keywords.cc).
int parse_bind_tls_option(const Directive& d, size_t* i, BindTls& t, const std::string& where,
                          Reporter& rep);
// Returns: the wire number of a protocol name of ssl-min-ver/ssl-max-ver
// ("TLSv1.2": 0x303), or 0 (bind_ssl_keywords.cc).
int tls_version_of(const std::string& v);
// Parses an ALPN list "p1,p2" into *out; h2 is left out with a warning
// (Hearth has no HTTP/2 yet). Returns: false after reporting a bad entry.
bool parse_alpn_list(const Directive& d, const std::string& v, const std::string& where,
                     std::vector<std::string>* out, Reporter& rep);
// Applies the server TLS option d[*i] ("ssl", "verify none", "sni EXPR", ...)
// to `t`, moving *i past its value; `kw` is "server", "default-server" or
// "ssl-default-server-options" (for messages). Returns: 1 if applied, 0 if
// d[*i] is none of them, -1 after an error (server_ssl_keywords.cc).
int parse_server_tls_option(const Directive& d, size_t* i, const std::string& kw, ServerTls& t,
                            Reporter& rep);
// The global TLS keywords: crt-base, ca-base, ssl-default-bind-*,
// ssl-dh-param-file and tune.ssl.* (ssl_global_keywords.cc). Returns: true if
// `d` was one (errors reported), false otherwise.
bool parse_ssl_global_keyword(const Directive& d, GlobalConfig& global, Reporter& rep);
// Appends one bind per comma-separated address of `list` ("bind" keyword and
// the address on a "listen" line). Addresses are checked by validate().
void add_binds(const std::string& list, const SourceLoc& loc, ProxyConfig& proxy);

// "server" and "default-server" (server_keywords.cc).
void parse_server(const Directive& d, ProxySection& section, Reporter& rep);
// Applies the connection option `o` of a server line (id, source, tfo's
// companions, redir, init-addr), whose value is d[v], if it is one.
// Returns: 1 if applied, 0 if `o` is not one, -1 after an error.
int apply_server_conn_option(const Directive& d, size_t v, const std::string& o,
                             const std::string& kw, ServerConfig& sv, Reporter& rep);
// Applies the resolution option `o` of a server line (resolvers,
// resolve-prefer, resolve-net, resolve-opts), whose value is d[v], if it is
// one (server_resolve_keywords.cc).
// Returns: 1 if applied, 0 if `o` is not one, -1 after an error.
int apply_server_resolve_option(const Directive& d, size_t v, const std::string& o,
                                const std::string& kw, ServerConfig& sv, Reporter& rep);
// "server-template PREFIX NUM|LOW-HIGH FQDN[:PORT] [options]"
// (server_template_keyword.cc): one server per number, as "server" lines.
void parse_server_template(const Directive& d, ProxySection& section, Reporter& rep);
// Applies the PROXY protocol option d[*i] of a server line (send-proxy & co,
// proxy-v2-options, check-send-proxy), moving *i past its value if it has one.
// Returns: 1 if applied, 0 if d[*i] is not one, -1 after an error.
int apply_server_proxy_option(const Directive& d, size_t* i, const std::string& kw,
                              ServerConfig& sv, Reporter& rep);
// Warns when a server has proxy-v2-options but sends no v2 header (HAProxy
// accepts this silently and sends none of them).
void warn_unused_proxy_v2_options(const Directive& d, const ServerConfig& sv, Reporter& rep);
// Warns about a SOCKS4 setting that cannot work: check-via-socks4 without
// socks4, or a server address SOCKS4 cannot carry (not IPv4).
void warn_socks4_options(const Directive& d, const ServerConfig& sv, Reporter& rep);
// "source ADDR[:PORT]" in a proxy: the default of its servers' "source".
void parse_proxy_source(const Directive& d, ProxySection& section, Reporter& rep);
void parse_default_server(const Directive& d, ProxySection& section, Reporter& rep);

// "http-request" and "http-response" (http_rule_keywords.cc).
void parse_http_rule(const Directive& d, ProxySection& section, Reporter& rep);

// The words of "http-request wait-for-body" (or http-response) before its condition: "time T"
// (required) and "at-least N", in any order (body_keywords.cc).
bool parse_wait_for_body(const Directive& d, const std::string& kw, HttpRule& rule, Reporter& rep);
// Returns: true if `rule` (its condition, expression or formats) reads the
// response payload (FetchUse kUseResBody).
bool reads_response_body(const HttpRule& rule);

// The words of "http-request normalize-uri" before its condition, which
// starts at *cond_at (normalize_uri_keyword.cc). Refused unless the global
// section exposes experimental directives. Returns: false after reporting.
bool parse_normalize_uri(const Directive& d, const std::string& kw, const ProxySection& s,
                         HttpRule& rule, size_t* cond_at, Reporter& rep);

// Rules in a defaults section: only a named one holds them (its proxies run
// them before their own); records the section as holding rules
// (http_rule_keywords.cc). Returns: false after reporting.
bool defaults_may_hold_rules(const Directive& d, ProxySection& s, Reporter& rep);

// "tcp-request" and "tcp-response" (tcp_rule_keywords.cc).
void parse_tcp_rule(const Directive& d, ProxySection& section, Reporter& rep);

// capture EXPR len N | id N and set-log-level LEVEL, for http-request,
// http-response and http-after-response (http_capture_keywords.cc): the
// condition, if any, starts at d[5] / d[3]. "len N" declares the proxy's next
// request capture slot. Returns: false after reporting.
bool parse_capture_action(const Directive& d, const std::string& keyword, ProxySection& section,
                          HttpRule& rule, Reporter& rep);
// Declares the proxy's next request capture slot, `len` bytes long, for the
// capture rule of `d`. Returns: its id.
int declare_request_capture(const Directive& d, ProxySection& section, int len);
// A capture length (a number above 0). Returns: -1 if `word` is not one.
int parse_capture_len(const std::string& word);
// The level word d[i] of a set-log-level action (a level or "silent").
// Returns: false after reporting.
bool parse_set_log_level_word(const Directive& d, size_t i, const std::string& keyword,
                              LogLevel* level, Reporter& rep);
bool parse_log_level_action(const Directive& d, const std::string& keyword, HttpRule& rule,
                            Reporter& rep);

// The options of a return rule in d[2...] ("status N", "content-type T",
// a payload or an errorfile, "hdr NAME FMT"), for http-error.
bool parse_reply_options(const Directive& d, const std::string& keyword, HttpRule& rule,
                         Reporter& rep);

// Errorfiles (errorfile_keywords.cc): "errorfile", "errorfiles",
// "errorloc", "errorloc302", "errorloc303" and "http-error" in a proxy;
// "errorfile" in an http-errors section; the errorfile options of a deny or
// return rule (d[i]) and their check once the rule is read; and, after the
// last file, the proxies' messages resolved (http-errors names, sizes).
void parse_error_keyword(const Directive& d, ProxySection& section, Reporter& rep);
void parse_http_errors_line(const Directive& d, const std::string& section, Config& config,
                            Reporter& rep);
bool apply_errorfile_option(const Directive& d, const std::string& keyword, size_t i,
                            HttpRule& rule, Reporter& rep);
bool finish_errorfile_reply(const Directive& d, const std::string& keyword, HttpRule& rule,
                            Reporter& rep);
void resolve_error_messages(Config& config, Reporter& rep);

// "monitor-uri URI" and "monitor fail if|unless COND" (monitor_keywords.cc).
void parse_monitor_uri(const Directive& d, ProxySection& section, Reporter& rep);
void parse_monitor(const Directive& d, ProxySection& section, Reporter& rep);

// The words of a redirect from d[first] (http_rule_keywords.cc): where its
// condition begins (d.size() if none), and the rule they make. `literal`: the
// value is taken as written (the legacy "redirect" keyword), not a
// log-format. Returns: false after reporting.
size_t redirect_cond_at(const Directive& d, size_t first);
bool parse_redirect_words(const Directive& d, size_t first, bool literal, const std::string& kw,
                          HttpRule& rule, Reporter& rep);
// "stick match|on|store-request|store-response ..." (stick_rule_keyword.cc).
void parse_stick_rule(const Directive& d, ProxySection& section, Reporter& rep);
// "cookie NAME ...", "dynamic-cookie-key KEY", "force-persist if|unless
// COND" and "ignore-persist if|unless COND" (cookie_keywords.cc).
void parse_cookie(const Directive& d, ProxySection& section, Reporter& rep);
void parse_dynamic_cookie_key(const Directive& d, ProxySection& section, Reporter& rep);
void parse_persist_rule(const Directive& d, ProxySection& section, Reporter& rep);
// "use-server ..." (use_server_keyword.cc).
void parse_use_server(const Directive& d, ProxySection& section, Reporter& rep);
// "redirect ..." in a proxy (redirect_keyword.cc).
void parse_legacy_redirect(const Directive& d, ProxySection& section, Reporter& rep);

// The stats page keywords of proxy sections: "stats enable|uri|auth|..." (stats_page_keywords.cc).
void parse_proxy_stats(const Directive& d, ProxySection& section, Reporter& rep);
// "acl NAME CRITERION ..." (acl_keywords.cc).
void parse_acl(const Directive& d, ProxySection& section, Reporter& rep);
// The condition of a rule: nothing at d[at] (always), or "if|unless COND".
// `where` is the rule's FetchUse (expr/fetch.h). Returns: false after
// reporting an error.
bool parse_condition_at(const Directive& d, size_t at, const ProxySection& section, uint8_t where,
                        const std::string& keyword, std::shared_ptr<const expr::Condition>* out,
                        Reporter& rep);

// log-format, log-format-sd, unique-id-format, unique-id-header, capture,
// declare (log_keywords.cc). Returns: false if d[0] is none of them.
bool parse_log_keyword(const Directive& d, ProxySection& section, Reporter& rep);

// nosplice, maxpipes, tune.pipesize of the global section
// (splice_keywords.cc). Returns: false if d[0] is none of them.
bool parse_splice_global_keyword(const Directive& d, GlobalConfig& g, Reporter& rep);

// id, description, disabled, enabled, clitcpka-idle|intvl|cnt and
// srvtcpka-idle|intvl|cnt
// (proxy_misc_keywords.cc). Returns: false if d[0] is none of them.
bool parse_proxy_misc_keyword(const Directive& d, ProxySection& section, Reporter& rep);

// "log TARGET [len N] [format F] [sample R:S] FACILITY [LEVEL [MINLEVEL]]"
// of the global and proxy sections (log_target_keywords.cc).
// Returns: false after reporting an error.
bool parse_log_target(const Directive& d, LogTarget* out, Reporter& rep);

// "ring NAME" sections (ring_keywords.cc): the header adds a ring to
// config.rings (returns its index, or -1 after reporting); each line of the
// section goes to parse_ring_keyword. `bufsize` is tune.bufsize.
int open_ring(const Directive& d, Config& config, Reporter& rep);
void parse_ring_keyword(const Directive& d, RingConfig& ring, int bufsize, Reporter& rep);

// "resolvers NAME" sections (resolvers_keywords.cc): the header adds a
// section to config.resolvers (returns its index, or -1 after reporting);
// each line goes to parse_resolvers_keyword; finish_resolvers checks a
// section once it closes.
int open_resolvers(const Directive& d, Config& config, Reporter& rep);
void parse_resolvers_keyword(const Directive& d, ResolversConfig& r, Reporter& rep);
void finish_resolvers(const ResolversConfig& r, Reporter& rep);

// "peers NAME" sections (peers_keywords.cc): the header adds a section to
// config.peers (returns its index, or -1 after reporting); each line goes to
// parse_peers_keyword. check_peers, once the files are read, checks the
// "peers" arguments of the proxies' stick-tables.
int open_peers(const Directive& d, Config& config, Reporter& rep);
void parse_peers_keyword(const Directive& d, PeersConfig& p, Reporter& rep);
void check_peers(Config& config, Reporter& rep);
// The options of a stick-table from d[first] on ("type ... size ...") into
// *t. `in_peers`: a peers section's "table" line ("peers" is not taken
// there). Returns: false after reporting.
bool parse_table_options(const Directive& d, size_t first, const std::string& kw, bool in_peers,
                         stick::TableConfig* t, Reporter& rep);

// "program NAME" sections (program_keywords.cc): the header adds a program
// to config.programs (returns its index, or -1 after reporting); each line of
// the section goes to parse_program_keyword. check_programs reports the
// sections without a command, once the files are read.
int open_program(const Directive& d, Config& config, Reporter& rep);
void parse_program_keyword(const Directive& d, ProgramConfig& program, Reporter& rep);
void check_programs(const Config& config, Reporter& rep);

// "option X" and "no option X" (option_keywords.cc).
void parse_option(const Directive& d, ProxySection& section, Reporter& rep);

// load-server-state-from-file, server-state-file-name (server_state_keywords.cc).
void parse_load_server_state(const Directive& d, ProxySection& section, Reporter& rep);
void parse_server_state_file_name(const Directive& d, ProxySection& section, Reporter& rep);
// Global server-state-file and server-state-base.
void parse_global_server_state(const Directive& d, GlobalConfig& global, Reporter& rep);

// "option httpchk ..." / "no option httpchk" and "http-check ..."
// (check_keywords.cc).
void parse_option_httpchk(const Directive& d, ProxySection& section, Reporter& rep);
// "option tcp-check" and the protocol checks (check_option_keywords.cc).
bool is_check_option(const std::string& name);
void parse_check_option(const Directive& d, ProxySection& section, Reporter& rep);
// "tcp-check ACTION ..." (tcp_check_keywords.cc).
void parse_tcp_check(const Directive& d, ProxySection& section, Reporter& rep);
void parse_http_check(const Directive& d, ProxySection& section, Reporter& rep);

// Returns: true if `keyword` is an HAProxy keyword of that section family that
// Hearth does not implement yet (unsupported_keywords.cc). Used to tell "not
// supported yet" apart from "unknown keyword".
bool is_haproxy_global_keyword(const std::string& keyword);
bool is_haproxy_proxy_keyword(const std::string& keyword);
bool is_haproxy_section(const std::string& keyword);

// "external-check" and "[no] insecure-fork-wanted" of the global section
// (external_check_keywords.cc). Returns: false if `d` is neither.
bool parse_external_check_global(const Directive& d, GlobalConfig& g, Reporter& rep);
// "external-check command CMD|path PATH" and "option external-check" in a
// proxy section (external_check_keywords.cc).
void parse_external_check(const Directive& d, ProxySection& section, Reporter& rep);
void parse_option_external_check(const Directive& d, ProxySection& section, Reporter& rep);

}  // namespace hearth::config::detail
