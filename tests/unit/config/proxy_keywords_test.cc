// Keywords of defaults / frontend / backend / listen sections (servers and
// HTTP rules have their own test files).
#include <gtest/gtest.h>

#include "config/validate_binds.h"
#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::dump;
using testing::has;
using testing::only_error;
using testing::parse;

// Parses one proxy section of `kind` named "p" holding `lines`.
ParseResult in(const std::string& kind, const std::string& lines) {
  return parse(kind + " p\n" + lines);
}
const ProxyConfig& proxy(const ParseResult& r) { return r.config.proxies.at(0); }

TEST(ProxyKeywords, BuiltInValues) {
  auto r = in("listen", "");
  ASSERT_TRUE(r.ok());
  const ProxyConfig& p = proxy(r);
  EXPECT_EQ(p.mode, Mode::kTcp);
  EXPECT_EQ(p.balance, BalanceAlgo::kRoundRobin);
  EXPECT_EQ(p.retries, 3);
  EXPECT_FALSE(p.redispatch);
  EXPECT_EQ(p.maxconn, 0);
  EXPECT_EQ(p.http_reuse, HttpReuse::kSafe);
  EXPECT_EQ(p.http_conn_mode, HttpConnMode::kKeepAlive);
  EXPECT_FALSE(p.forwardfor.enabled);
  EXPECT_FALSE(p.log_global);
  EXPECT_EQ(p.log_format, LogFormat::kDefault);
  EXPECT_FALSE(p.dontlognull);
}

TEST(ProxyKeywords, Mode) {
  EXPECT_EQ(proxy(in("backend", "  mode http\n")).mode, Mode::kHttp);
  EXPECT_EQ(proxy(in("backend", "  mode http\n  mode tcp\n")).mode, Mode::kTcp);
  EXPECT_EQ(only_error(in("backend", "  mode health\n")),
            "t.cfg:2: 'mode': unsupported mode 'health': expects tcp or http");
}

TEST(ProxyKeywords, BindAcceptsListsAndRejectsOptions) {
  auto r = in("frontend", "  bind :80\n  bind 127.0.0.1:81,[::1]:82\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const auto& b = proxy(r).binds;
  ASSERT_EQ(b.size(), 3u);
  EXPECT_EQ(b[0].address, ":80");
  EXPECT_EQ(b[0].loc.line, 2);
  EXPECT_EQ(b[1].address, "127.0.0.1:81");
  EXPECT_EQ(b[2].address, "[::1]:82");
  EXPECT_EQ(b[2].loc.line, 3);
  EXPECT_EQ(only_error(in("frontend", "  bind :443 ssl crt a.pem ca-sign-file ca.pem\n")),
            "t.cfg:2: 'bind': bind option 'ca-sign-file': this TLS option is not supported by "
            "Hearth yet");
  EXPECT_EQ(only_error(in("frontend", "  bind\n")),
            "t.cfg:2: 'bind': missing argument: expects 'bind ADDR:PORT[,ADDR:PORT...] "
            "[OPTION...]'");
}

TEST(ProxyKeywords, BindOptionsApplyToEveryAddressOfTheLine) {
  auto r = in("frontend",
              "  bind :80,:81 name web backlog 50 maxconn 7 v4v6 tfo defer-accept transparent "
              "interface lo mss -20 tcp-ut 2s thread 1 proto h1\n  mode http\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const auto& b = proxy(r).binds;
  ASSERT_EQ(b.size(), 2u);
  for (const auto& x : b) {
    EXPECT_EQ(x.opts.name, "web");
    EXPECT_EQ(x.opts.backlog, 50);
    EXPECT_EQ(x.opts.maxconn, 7);
    EXPECT_EQ(x.opts.v6only, 0);
    EXPECT_TRUE(x.opts.tfo && x.opts.defer_accept && x.opts.transparent);
    EXPECT_EQ(x.opts.interface, "lo");
    EXPECT_EQ(x.opts.mss, -20);
    EXPECT_EQ(x.opts.tcp_ut_ms, 2000);
    EXPECT_EQ(x.opts.threads, 1u);
    EXPECT_EQ(x.opts.proto, "h1");
  }
  // v6only wins over v4v6 in either order.
  EXPECT_EQ(proxy(in("frontend", "  bind :::80 v6only v4v6\n")).binds[0].opts.v6only, 1);
  EXPECT_EQ(proxy(in("frontend", "  bind :::80 v4v6 v6only\n")).binds[0].opts.v6only, 1);
  EXPECT_EQ(proxy(in("frontend", "  bind :80 thread odd\n")).binds[0].opts.threads & 7u, 5u);
}

TEST(ProxyKeywords, BindOptionErrors) {
  EXPECT_EQ(only_error(in("frontend", "  bind :80,:81 id 3\n")),
            "t.cfg:2: 'bind': 'id' can only be used with a single address");
  EXPECT_EQ(
      only_error(testing::parse_and_validate("frontend p\n  bind :80 id 3\n  bind :81 id 3\n")),
      "t.cfg:3: 'bind': 'id 3' is already used by another bind of 'p'");
  EXPECT_EQ(only_error(in("frontend", "  bind :80 accept-netscaler-cip 1\n")),
            "t.cfg:2: 'bind': bind option 'accept-netscaler-cip': the NetScaler CIP protocol is "
            "not supported by Hearth");
  EXPECT_EQ(only_error(in("frontend", "  bind :80 proto h2\n")),
            "t.cfg:2: 'bind': 'proto h2': HTTP/2 is not supported by Hearth yet");
  EXPECT_EQ(
      only_error(testing::parse_and_validate("frontend p\n  mode tcp\n  bind :80 proto h1\n")),
      "t.cfg:3: 'bind': 'proto h1' does not suit 'p', which is in mode tcp");
  EXPECT_EQ(only_error(testing::parse_and_validate("frontend p\n  bind :80 thread 2\n")),
            "t.cfg:2: 'bind': 'thread' names thread 2, which does not exist (nbthread 1)");
  EXPECT_EQ(only_error(in("frontend", "  bind :80 maxconn\n")),
            "t.cfg:2: 'bind': 'maxconn' expects a value");
  EXPECT_EQ(only_error(in("frontend", "  bind :80 frobnicate\n")),
            "t.cfg:2: 'bind': unknown bind option 'frobnicate'");
}

TEST(ProxyKeywords, BindIdsNumberAsHAProxy) {
  // Measured on haproxy 2.6: ids 1, 2, 3, a fixed 7, then 5.
  auto r = in("frontend", "  bind :80,:81\n  bind :82\n  bind :83 id 7\n  bind :84\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(bind_ids(proxy(r)), (std::vector<int>{1, 2, 3, 7, 5}));
}

TEST(ProxyKeywords, DefaultBackend) {
  auto r = in("frontend", "\n  default_backend app\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(proxy(r).default_backend, "app");
  EXPECT_EQ(proxy(r).default_backend_loc.line, 3);
  EXPECT_EQ(only_error(in("frontend", "  default_backend a b\n")),
            "t.cfg:2: 'default_backend': unexpected argument 'b': expects 'default_backend NAME'");
}

TEST(ProxyKeywords, Balance) {
  struct Case {
    const char* text;
    BalanceAlgo algo;
    int draws;
  };
  for (const Case& c :
       {Case{"roundrobin", BalanceAlgo::kRoundRobin, 2},
        Case{"leastconn", BalanceAlgo::kLeastConn, 2}, Case{"source", BalanceAlgo::kSource, 2},
        Case{"first", BalanceAlgo::kFirst, 2}, Case{"random", BalanceAlgo::kRandom, 2},
        Case{"random(5)", BalanceAlgo::kRandom, 5}}) {
    auto r = in("backend", std::string("  balance ") + c.text + "\n");
    ASSERT_TRUE(r.ok()) << c.text << dump(r.errors);
    EXPECT_EQ(proxy(r).balance, c.algo) << c.text;
    EXPECT_EQ(proxy(r).random_draws, c.draws) << c.text;
  }
}

TEST(ProxyKeywords, BalanceErrors) {
  EXPECT_EQ(only_error(in("backend", "  balance robin\n")),
            "t.cfg:2: 'balance': unknown algorithm 'robin': expects roundrobin, static-rr, "
            "leastconn, first, source, random, random(N), uri, url_param NAME, hdr(NAME), "
            "hash EXPR, rdp-cookie or rdp-cookie(NAME)");
  EXPECT_EQ(only_error(in("backend", "  balance random(0)\n")),
            "t.cfg:2: 'balance': 'random(0)': expects random(N) with N between 1 and 100");
  EXPECT_EQ(only_error(in("frontend", "  balance first\n")),
            "t.cfg:2: 'balance': not allowed in a frontend section (allowed in: defaults, backend, "
            "listen)");
}

TEST(ProxyKeywords, EveryTimeout) {
  auto r = in("listen",
              "  timeout connect 1s\n  timeout client 2s\n  timeout server 3s\n"
              "  timeout tunnel 1h\n  timeout client-fin 4s\n  timeout server-fin 5s\n"
              "  timeout queue 6s\n  timeout http-request 7s\n  timeout http-keep-alive 8s\n"
              "  timeout pool-idle 9s\n  timeout reuse-window 500ms\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const Timeouts& t = proxy(r).timeouts;
  EXPECT_EQ(t.connect, 1000);
  EXPECT_EQ(t.client, 2000);
  EXPECT_EQ(t.server, 3000);
  EXPECT_EQ(t.tunnel, 3600000);
  EXPECT_EQ(t.client_fin, 4000);
  EXPECT_EQ(t.server_fin, 5000);
  EXPECT_EQ(t.queue, 6000);
  EXPECT_EQ(t.http_request, 7000);
  EXPECT_EQ(t.http_keep_alive, 8000);
  EXPECT_EQ(t.pool_idle, 9000);
  EXPECT_EQ(t.reuse_window, 500);
}

TEST(ProxyKeywords, TimeoutTarpitInEverySection) {
  for (const char* section : {"frontend", "listen", "backend"}) {
    auto r = in(section, "  timeout tarpit 1500ms\n");
    ASSERT_TRUE(r.ok()) << section << dump(r.errors);
    EXPECT_EQ(proxy(r).timeouts.tarpit, 1500) << section;
  }
  auto r = parse("defaults\n  timeout tarpit 2s\nfrontend f\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(proxy(r).timeouts.tarpit, 2000);  // inherited
}

TEST(ProxyKeywords, TimeoutErrors) {
  EXPECT_EQ(
      only_error(in("backend", "  timeout connect 5 s\n")),
      "t.cfg:2: 'timeout connect': unexpected argument 's': expects 'timeout connect DURATION'");
  EXPECT_EQ(only_error(in("backend", "  timeout server 5sec\n")),
            "t.cfg:2: 'timeout server': expects a duration such as 5s, 500ms or 1m (units us, ms, "
            "s, m, h, d; a bare number is ms; at most 24d), got '5sec'");
  EXPECT_EQ(only_error(in("backend", "  timeout tarpit 5\n  timeout tarpit x\n")),
            "t.cfg:3: 'timeout tarpit': expects a duration such as 5s, 500ms or 1m (units us, ms, "
            "s, m, h, d; a bare number is ms; at most 24d), got 'x'");
  EXPECT_EQ(
      only_error(in("backend", "  timeout conect 5s\n")),
      "t.cfg:2: 'timeout conect': unknown timeout 'conect': expects connect, client, server, "
      "tunnel, client-fin, client-hs, server-fin, queue, http-request, http-keep-alive, pool-idle, "
      "reuse-window, check or tarpit");
  EXPECT_TRUE(has(in("backend", "  timeout\n").errors, "t.cfg:2: 'timeout': missing timeout name"));
  EXPECT_EQ(only_error(in("backend", "  contimeout 5s\n")),
            "t.cfg:2: 'contimeout': obsolete keyword: write 'timeout connect DURATION'");
}

TEST(ProxyKeywords, SideSpecificTimeoutIsIgnoredWithWarning) {
  auto r = in("backend", "  timeout client 5s\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(proxy(r).timeouts.client, std::nullopt);
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].str(),
            "t.cfg:2: 'timeout client': ignored in a backend section, where it has no effect (it "
            "applies in: defaults, frontend, listen)");
  auto f = in("frontend", "  timeout connect 5s\n");
  EXPECT_TRUE(f.ok());
  EXPECT_TRUE(has(f.warnings, "t.cfg:2: 'timeout connect': ignored in a frontend section"));
}

TEST(ProxyKeywords, RetriesAndMaxconn) {
  auto r = in("listen", "  retries 0\n  maxconn 500\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(proxy(r).retries, 0);
  EXPECT_EQ(proxy(r).maxconn, 500);
  EXPECT_EQ(only_error(in("backend", "  retries 101\n")),
            "t.cfg:2: 'retries': expects an integer between 0 and 100, got '101'");
  EXPECT_EQ(only_error(in("frontend", "  maxconn -5\n")),
            "t.cfg:2: 'maxconn': expects an integer between 0 and 10000000, got '-5'");
  auto w = in("backend", "  maxconn 10\n");
  EXPECT_TRUE(w.ok());
  EXPECT_EQ(proxy(w).maxconn, 0);
  EXPECT_TRUE(has(w.warnings, "t.cfg:2: 'maxconn': ignored in a backend section"));
}

TEST(ProxyKeywords, Log) {
  EXPECT_TRUE(proxy(in("frontend", "  log global\n")).log_global);
  EXPECT_FALSE(proxy(parse("defaults\n  log global\nfrontend p\n  no log\n")).log_global);
  EXPECT_TRUE(proxy(parse("defaults\n  log global\nbackend p\n")).log_global);
  // "no log" drops the defaults' own targets as well as "log global".
  auto r = parse("defaults\n  log global\n  log 127.0.0.1 local0\nfrontend p\n  no log\n");
  EXPECT_TRUE(proxy(r).logs.empty());
  auto kept = parse("defaults\n  log 127.0.0.1 local0\nfrontend p\n  log stderr local1\n");
  ASSERT_EQ(proxy(kept).logs.size(), 2u);
  EXPECT_EQ(proxy(kept).logs[1].fd, 2);
  EXPECT_EQ(proxy(in("backend", "  log-tag be1\n")).log_tag, "be1");
}

TEST(ProxyKeywords, Options) {
  auto r = in("listen",
              "  option redispatch\n  option tcplog\n  option dontlognull\n"
              "  option forwardfor\n  option http-server-close\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const ProxyConfig& p = proxy(r);
  EXPECT_TRUE(p.redispatch);
  EXPECT_EQ(p.log_format, LogFormat::kTcp);
  EXPECT_TRUE(p.dontlognull);
  EXPECT_TRUE(p.forwardfor.enabled);
  EXPECT_EQ(p.http_conn_mode, HttpConnMode::kServerClose);
  EXPECT_EQ(proxy(in("frontend", "  option httplog\n")).log_format, LogFormat::kHttp);
  EXPECT_EQ(proxy(in("frontend", "  option httpclose\n")).http_conn_mode, HttpConnMode::kClose);
  EXPECT_EQ(proxy(in("frontend", "  option httpclose\n  option http-keep-alive\n")).http_conn_mode,
            HttpConnMode::kKeepAlive);
}

TEST(ProxyKeywords, NoOptionUndoesDefaults) {
  auto r = parse(
      "defaults\n  option redispatch\n  option http-server-close\n  option dontlognull\n"
      "backend p\n  no option redispatch\n  no option http-server-close\n"
      "frontend f\n  no option dontlognull\n  no option httpclose\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_FALSE(r.config.proxies[0].redispatch);
  EXPECT_EQ(r.config.proxies[0].http_conn_mode, HttpConnMode::kKeepAlive);
  EXPECT_FALSE(r.config.proxies[1].dontlognull);
  // "no option httpclose" leaves another mode alone.
  EXPECT_EQ(r.config.proxies[1].http_conn_mode, HttpConnMode::kServerClose);
}

TEST(ProxyKeywords, OptionErrors) {
  EXPECT_EQ(only_error(in("backend", "  no option forwardfor\n")),
            "t.cfg:2: 'no option forwardfor': 'no' cannot be used with 'option forwardfor'");
  EXPECT_EQ(only_error(in("frontend", "  option httplog clf x\n")),
            "t.cfg:2: 'option httplog': argument 'clf' is not supported by Hearth yet: "
            "expects 'option httplog' alone");
  EXPECT_EQ(only_error(in("backend", "  option spop-check\n")),
            "t.cfg:2: 'option spop-check': not supported by Hearth: it has no SPOE agents to "
            "check (use option tcp-check)");
  EXPECT_EQ(only_error(in("backend", "  option checkcache\n")),
            "t.cfg:2: 'option checkcache': Hearth does not support this option yet");
  EXPECT_EQ(only_error(in("backend", "  option redispach\n")),
            "t.cfg:2: 'option redispach': unknown option; supported: redispatch, persist, "
            "prefer-last-server, dontlognull, dontlog-normal, logasap, socket-stats, "
            "log-separate-errors, "
            "http-use-proxy-header, http-buffer-request, tcplog, "
            "httplog, httpslog, "
            "http-server-close, httpclose, http-keep-alive, tcpka, clitcpka, srvtcpka, nolinger, "
            "tcp-smart-accept, tcp-smart-connect, allbackups, http-pretend-keepalive, "
            "independent-streams, abortonclose, transparent, log-health-checks, splice-request, "
            "splice-response, "
            "splice-auto, httpchk, external-check, forwardfor, originalto, "
            "http-restrict-req-hdr-names");
  EXPECT_TRUE(has(in("backend", "  option\n").errors, "t.cfg:2: 'option': missing option name"));
  EXPECT_EQ(only_error(in("backend", "  no retries\n")),
            "t.cfg:2: 'no retries': 'no' only applies to 'option NAME' and 'log'");
  auto w = in("frontend", "  option redispatch\n");
  EXPECT_TRUE(w.ok());
  EXPECT_FALSE(proxy(w).redispatch);
  EXPECT_TRUE(has(w.warnings, "t.cfg:2: 'option redispatch': ignored in a frontend section"));
}

TEST(ProxyKeywords, PreferLastServer) {
  auto r = parse(
      "defaults\n  option prefer-last-server\nbackend a\nbackend b\n"
      "  no option prefer-last-server\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(r.config.proxies[0].prefer_last_server);
  EXPECT_FALSE(r.config.proxies[1].prefer_last_server);
  auto w = in("frontend", "  option prefer-last-server\n");
  EXPECT_TRUE(w.ok());
  EXPECT_FALSE(proxy(w).prefer_last_server);
  EXPECT_TRUE(
      has(w.warnings, "t.cfg:2: 'option prefer-last-server': ignored in a frontend section"));
}

TEST(ProxyKeywords, UseBackendRulesInOrder) {
  auto r = in("frontend", "  use_backend a\n  use_backend b\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  ASSERT_EQ(proxy(r).use_backends.size(), 2u);
  EXPECT_EQ(proxy(r).use_backends[0].backend, "a");
  EXPECT_EQ(proxy(r).use_backends[0].loc.line, 2);
  EXPECT_EQ(proxy(r).use_backends[1].backend, "b");
  EXPECT_EQ(only_error(in("frontend", "  use_backend a if nope\n")),
            "t.cfg:2: 'use_backend': no such ACL : 'nope'");
  auto dynamic = in("frontend", "  use_backend be_%[req.hdr(host),lower] if TRUE\n");
  ASSERT_TRUE(dynamic.ok()) << dump(dynamic.errors);
  ASSERT_NE(proxy(dynamic).use_backends[0].fmt, nullptr);
  EXPECT_NE(proxy(dynamic).use_backends[0].cond, nullptr);
  EXPECT_EQ(only_error(in("frontend", "  use_backend be_%[nope]\n")),
            "t.cfg:2: 'use_backend': in log-format 'be_%[nope]': unknown fetch method 'nope'");
  EXPECT_EQ(only_error(in("frontend", "  use_backend\n")),
            "t.cfg:2: 'use_backend': missing backend name: use_backend NAME [if|unless COND]");
  EXPECT_EQ(only_error(in("backend", "  use_backend a\n")),
            "t.cfg:2: 'use_backend': not allowed in a backend section (allowed in: frontend, "
            "listen)");
}

TEST(ProxyKeywords, HttpReuse) {
  EXPECT_EQ(proxy(in("backend", "  http-reuse never\n")).http_reuse, HttpReuse::kNever);
  EXPECT_EQ(proxy(in("backend", "  http-reuse safe\n")).http_reuse, HttpReuse::kSafe);
  EXPECT_EQ(proxy(in("backend", "  http-reuse aggressive\n")).http_reuse, HttpReuse::kAggressive);
  EXPECT_EQ(proxy(in("backend", "  http-reuse always\n")).http_reuse, HttpReuse::kAlways);
  EXPECT_EQ(
      only_error(in("backend", "  http-reuse sometimes\n")),
      "t.cfg:2: 'http-reuse': unknown mode 'sometimes': expects never, safe, aggressive or always");
}

TEST(ProxyKeywords, RetryOn) {
  auto r = in("backend", "  retry-on conn-failure empty-response 503\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(proxy(r).retry_on, kRetryConnFailure | kRetryEmptyResponse | kRetry503);
  EXPECT_EQ(proxy(in("backend", "  retry-on none\n")).retry_on, 0u);
  EXPECT_EQ(proxy(in("backend", "")).retry_on, kRetryConnFailure);  // HAProxy's default
  EXPECT_TRUE(has(in("backend", "  retry-on 418\n").errors,
                  "t.cfg:2: 'retry-on': unknown keyword '418': expects none, conn-failure"));
  EXPECT_EQ(only_error(in("backend", "  retry-on none 503\n")),
            "t.cfg:2: 'retry-on': 'none' cannot be combined with other keywords");
  EXPECT_TRUE(has(in("backend", "  retry-on\n").errors, "t.cfg:2: 'retry-on': missing argument"));
}

TEST(ProxyKeywords, SectionPlacementErrors) {
  EXPECT_EQ(only_error(in("backend", "  bind :80\n")),
            "t.cfg:2: 'bind': not allowed in a backend section (allowed in: frontend, listen)");
  EXPECT_EQ(only_error(parse("defaults\n  bind :80\n")),
            "t.cfg:2: 'bind': not allowed in a defaults section (allowed in: frontend, listen)");
  EXPECT_EQ(only_error(in("frontend", "  server s 1.2.3.4:80\n")),
            "t.cfg:2: 'server': not allowed in a frontend section (allowed in: backend, listen)");
  EXPECT_EQ(only_error(parse("defaults\n  server s 1.2.3.4:80\n")),
            "t.cfg:2: 'server': not allowed in a defaults section (allowed in: backend, listen)");
  EXPECT_EQ(only_error(in("backend", "  default_backend x\n")),
            "t.cfg:2: 'default_backend': not allowed in a backend section (allowed in: defaults, "
            "frontend, listen)");
  EXPECT_EQ(only_error(in("frontend", "  default-server weight 2\n")),
            "t.cfg:2: 'default-server': not allowed in a frontend section (allowed in: defaults, "
            "backend, listen)");
  EXPECT_EQ(only_error(parse("defaults\n  acl a path /x\n")),
            "t.cfg:2: 'acl': not allowed in a defaults section (allowed in: frontend, "
            "backend, listen)");
}

TEST(ProxyKeywords, KnownButUnsupportedVersusUnknown) {
  EXPECT_EQ(only_error(in("backend", "  email-alert from a@b\n")),
            "t.cfg:2: 'email-alert': Hearth does not support this keyword yet");
  EXPECT_TRUE(has(in("frontend", "  defualt_backend b\n").errors,
                  "t.cfg:2: 'defualt_backend': unknown keyword; supported in proxy sections: "));
}

TEST(ProxyKeywords, ForwardforAndOriginaltoOptions) {
  auto r = parse(
      "backend b\n  option forwardfor except 10.0.0.0/8 header X-Client if-none\n"
      "  option originalto except ::1 header X-Dest\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const ProxyConfig& p = r.config.proxies.at(0);
  EXPECT_TRUE(p.forwardfor.enabled && p.forwardfor.if_none);
  EXPECT_EQ(p.forwardfor.header, "X-Client");
  ASSERT_NE(p.forwardfor.except, nullptr);
  EXPECT_EQ(p.originalto.header, "X-Dest");
  EXPECT_FALSE(p.originalto.if_none);
  EXPECT_EQ(only_error(parse("backend b\n  option forwardfor except nope\n")),
            "t.cfg:2: 'option forwardfor': 'except' expects an IPv4 or IPv6 address or "
            "network, got 'nope'");
  EXPECT_EQ(only_error(parse("backend b\n  option forwardfor header\n")),
            "t.cfg:2: 'option forwardfor': 'header' expects a value: expects 'option forwardfor "
            "[except NET] [header NAME] [if-none]'");
  EXPECT_EQ(only_error(parse("backend b\n  option originalto if-none\n")),
            "t.cfg:2: 'option originalto': unexpected argument 'if-none': expects 'option "
            "originalto [except NET] [header NAME]'");
  EXPECT_EQ(only_error(parse("backend b\n  no option forwardfor\n")),
            "t.cfg:2: 'no option forwardfor': 'no' cannot be used with 'option forwardfor'");
}

TEST(ProxyKeywords, MonitorUri) {
  auto r = parse(
      "frontend f\n  monitor-uri /a\n  monitor-uri /health\n"
      "  monitor fail if { nbsrv(b) lt 1 }\n  monitor fail unless TRUE\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.proxies.at(0).monitor_uri, "/health");  // the last one counts
  EXPECT_EQ(r.config.proxies.at(0).monitor_fail.size(), 2u);
  EXPECT_EQ(only_error(parse("frontend f\n  monitor-uri\n")),
            "t.cfg:2: 'monitor-uri': expects one URI: 'monitor-uri URI'");
  EXPECT_EQ(only_error(parse("frontend f\n  monitor pass if TRUE\n")),
            "t.cfg:2: 'monitor': expects 'monitor fail if|unless COND'");
  EXPECT_EQ(only_error(parse("frontend f\n  monitor fail\n")),
            "t.cfg:2: 'monitor fail': expects 'if' or 'unless' followed by a condition");
}

}  // namespace
}  // namespace hearth::config

namespace hearth::config {
namespace {

TEST(UseServer, ParsedAndChecked) {
  ParseResult r = testing::parse_and_validate(
      "backend b\n  mode http\n  use-server s1 if { path /a }\n"
      "  use-server %[req.hdr(x)] unless TRUE\n  server s1 127.0.0.1:80\n");
  ASSERT_TRUE(r.ok()) << testing::dump(r.errors);
  ASSERT_EQ(r.config.proxies[0].use_servers.size(), 2u);
  EXPECT_EQ(r.config.proxies[0].use_servers[0].server, "s1");
  EXPECT_NE(r.config.proxies[0].use_servers[0].cond, nullptr);
  EXPECT_NE(r.config.proxies[0].use_servers[1].fmt, nullptr);
  EXPECT_EQ(testing::only_error(testing::parse("backend b\n  use-server s1\n")),
            "t.cfg:2: 'use-server': expects 'if' or 'unless' and a condition after the server "
            "name");
  EXPECT_EQ(testing::only_error(testing::parse("backend b\n  use-server if TRUE\n")),
            "t.cfg:2: 'use-server': expects a server name: use-server NAME if|unless CONDITION");
  EXPECT_EQ(testing::only_error(testing::parse_and_validate(
                "backend b\n  use-server s9 if TRUE\n  server s1 127.0.0.1:80\n")),
            "t.cfg:2: 'use-server': no server named 's9' in 'b'");
  EXPECT_NE(testing::only_error(testing::parse("frontend f\n  bind :80\n  use-server s1 if TRUE\n"))
                .find("not allowed in a frontend section"),
            std::string::npos);
}

}  // namespace
}  // namespace hearth::config

namespace hearth::config {
namespace {

TEST(ProxyKeywords, RateLimitSessions) {
  EXPECT_EQ(in("frontend", "  rate-limit sessions 20\n").config.proxies.at(0).rate_limit_sessions,
            20);
  // Inherited from defaults, as every frontend setting.
  auto r = testing::parse("defaults\n  rate-limit sessions 7\nfrontend f\n");
  ASSERT_TRUE(r.ok()) << testing::dump(r.errors);
  EXPECT_EQ(r.config.proxies.at(0).rate_limit_sessions, 7);
  EXPECT_EQ(testing::only_error(in("frontend", "  rate-limit connections 5\n")),
            "t.cfg:2: 'rate-limit': unknown limit 'connections': expects 'sessions'");
  EXPECT_EQ(testing::only_error(in("frontend", "  rate-limit sessions\n")),
            "t.cfg:2: 'rate-limit': missing argument: expects 'rate-limit sessions N'");
  EXPECT_FALSE(in("frontend", "  rate-limit sessions -1\n").ok());
  // A backend has no sessions to limit: warned and dropped, as HAProxy.
  auto b = in("backend", "  rate-limit sessions 5\n");
  EXPECT_TRUE(b.ok());
  EXPECT_FALSE(b.warnings.empty());
}

}  // namespace
}  // namespace hearth::config
