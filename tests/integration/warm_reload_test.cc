// The warm reload through the real binary (-W): the worker a reload replaces
// hands its idle server connections to the new worker through the master
// (the backend sees the same connections carry the requests after the
// reload, and no new one), and the server states and learned keep-alive
// timeouts it knew. A server the new configuration moved gets none of them.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

using std::chrono::milliseconds;

size_t count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

struct WarmSetup {
  uint16_t fe = free_tcp_port();
  TempDir dir;
  std::string sock = dir.file("stats.sock");

  // An HTTP proxy over `server_port`, its servers kept idle for a long time
  // (no purge, no idle timeout, during the test).
  int nbthread = 2;
  std::string config(uint16_t server_port, const std::string& backend_extra = "") const {
    return "global\n  nbthread " + std::to_string(nbthread) + "\n  stats socket " + sock +
           " level admin\n"
           "defaults\n  mode http\n  timeout connect 2s\n  timeout client 20s\n"
           "  timeout server 20s\n"
           "frontend fe\n  bind 127.0.0.1:" +
           std::to_string(fe) +
           "\n  default_backend be\n"
           "backend be\n  http-reuse always\n" +
           backend_extra + "  server s1 127.0.0.1:" + std::to_string(server_port) +
           " pool-purge-delay 60s\n";
  }
  HearthOptions options() const {
    HearthOptions o;
    o.extra_args = {"-W"};
    o.wait_ports = {fe};
    o.wait_output = "new worker (";
    return o;
  }
  std::map<std::string, std::string> server() const { return server_conn_stats(sock, "be/s1"); }
  int stat(const std::string& column) const {
    std::map<std::string, std::string> st = server();
    return st.count(column) && st[column] != "-" ? std::stoi(st[column]) : -1;
  }
};

// Sends USR2 to the master and waits for its n-th "reload done", then for
// the former worker to leave (its connections are handed over by then).
bool reload(HearthProcess& h, size_t n) {
  h.process().send_signal(SIGUSR2);
  return wait_until([&] { return count(h.output(), "reload done") >= n; }, milliseconds{15000}) &&
         wait_until([&] { return count(h.output(), "former worker") >= n; }, milliseconds{15000});
}

// `n` clients at once, one request each: several server connections.
int parallel_requests(uint16_t port, int n) {
  std::vector<std::thread> ts;
  std::atomic<int> ok{0};
  for (int i = 0; i < n; ++i)
    ts.emplace_back([&] {
      HttpClient c(port);
      HttpResponse r = c.request("GET", "/");
      if (r.complete && r.status == 200) ++ok;
    });
  for (auto& t : ts) t.join();
  return ok.load();
}

// Keep-alive clients that send requests back to back until stopped, each
// on a new connection when the proxy closes theirs (as a soft-stopping worker
// does). A request sent on a connection the proxy closed at that moment gets
// no byte of a response and is retried on a new one, as HTTP clients do for
// idempotent requests (RFC 9112, 9.3.1); anything else is an error.
class KeepAliveLoad {
 public:
  KeepAliveLoad(uint16_t port, int clients) : port_(port) {
    for (int i = 0; i < clients; ++i) threads_.emplace_back([this] { client(); });
  }
  ~KeepAliveLoad() { stop(); }
  void stop() {
    done_.store(true);
    for (auto& t : threads_) t.join();
    threads_.clear();
  }
  // Returns: whether `n` more requests were answered (false: the load stalled).
  bool serve_more(uint64_t n) const {
    const uint64_t target = ok.load() + n;
    return wait_until([&] { return ok.load() >= target; }, milliseconds{15000});
  }
  std::atomic<uint64_t> ok{0}, errors{0};

 private:
  void client() {
    std::unique_ptr<HttpClient> c;
    int used = 0;
    while (!done_.load()) {
      if (!c) c = std::make_unique<HttpClient>(port_), used = 0;
      HttpResponse r = c->connected() ? c->request("GET", "/") : HttpResponse{};
      if (r.status == 0 && used > 0 && c->pending().empty()) {  // closed under us: retry
        c = std::make_unique<HttpClient>(port_), used = 0;
        r = c->connected() ? c->request("GET", "/") : HttpResponse{};
      }
      if (!r.complete || r.status != 200) {
        errors.fetch_add(1);
        c.reset();
        continue;
      }
      ok.fetch_add(1);
      ++used;
      if (r.has_token("connection", "close")) c.reset();
    }
  }

  uint16_t port_;
  std::atomic<bool> done_{false};
  std::vector<std::thread> threads_;
};

// One thread: the threads' pools are their own, and with two a client could
// land on the thread that holds none of them.
TEST(WarmReload, IdleServerConnectionsMoveToTheNewWorker) {
  HttpBackend be;
  WarmSetup w;
  w.nbthread = 1;
  HearthProcess h(w.config(be.port()), w.options());
  ASSERT_TRUE(h.ready()) << h.describe();
  ASSERT_EQ(parallel_requests(w.fe, 8), 8);
  const uint64_t opened = be.connections();
  ASSERT_GE(opened, 1u);
  ASSERT_TRUE(wait_until([&] { return w.stat("idle_cur") == int(opened); }, milliseconds{3000}))
      << stats_command(w.sock, "show servers conn");

  ASSERT_TRUE(reload(h, 1)) << h.output();
  // The new worker holds them: same count, none opened by it, and the
  // backend still sees them open.
  EXPECT_TRUE(wait_until([&] { return w.stat("idle_cur") == int(opened); }, milliseconds{3000}))
      << stats_command(w.sock, "show servers conn");
  EXPECT_EQ(w.stat("conns_opened"), 0);
  EXPECT_EQ(be.active(), int(opened));
  // New clients are served on them: the backend accepts nothing new.
  for (int i = 0; i < 10; ++i) {
    HttpClient c(w.fe);
    HttpResponse r = c.request("GET", "/");
    EXPECT_EQ(r.status, 200);
  }
  EXPECT_EQ(be.connections(), opened);
  EXPECT_GE(w.stat("reused"), 10);
  // Twice in a row: the connections travel on.
  ASSERT_TRUE(reload(h, 2)) << h.output();
  ASSERT_EQ(parallel_requests(w.fe, 4), 4);
  EXPECT_EQ(be.connections(), opened);
  EXPECT_EQ(h.stop(), 0) << h.output();
}

// An adopted connection keeps the idle contract: when the server closes it,
// the new worker notices and drops it (counted stale) without a request
// failing.
TEST(WarmReload, AdoptedConnectionsAreRetiredWhenTheServerCloses) {
  HttpBackend::Options bo;
  bo.idle_timeout_ms = 1500;  // closes each connection idle 1.5 s
  HttpBackend be(bo);
  WarmSetup w;
  HearthProcess h(w.config(be.port()), w.options());
  ASSERT_TRUE(h.ready()) << h.describe();
  ASSERT_EQ(parallel_requests(w.fe, 4), 4);
  const int opened = int(be.connections());
  ASSERT_TRUE(reload(h, 1)) << h.output();
  ASSERT_TRUE(wait_until([&] { return w.stat("idle_cur") == opened; }, milliseconds{1000}));
  // The server's close reaches the new worker's idle connections.
  EXPECT_TRUE(wait_until([&] { return w.stat("idle_cur") == 0; }, milliseconds{4000}))
      << stats_command(w.sock, "show servers conn");
  EXPECT_EQ(w.stat("stale_idle"), opened);
  EXPECT_EQ(parallel_requests(w.fe, 2), 2);
  EXPECT_EQ(h.stop(), 0) << h.output();
}

// Server states set at run time, and the learned keep-alive timeout, come
// through the reload.
TEST(WarmReload, ServerStatesAndLearnedTimeoutsComeAlong) {
  HttpBackend::Options bo;
  bo.idle_timeout_ms = 200;
  HttpBackend be(bo);
  WarmSetup w;
  HearthProcess h(w.config(be.port()), w.options());
  ASSERT_TRUE(h.ready()) << h.describe();
  // Teach it the server's 200 ms timeout: connections left idle until closed.
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(parallel_requests(w.fe, 1), 1);
    ASSERT_TRUE(wait_until([&] { return w.stat("idle_cur") == 0; }, milliseconds{2000}));
  }
  ASSERT_TRUE(wait_until([&] { return w.stat("learned_ka_ms") > 0; }, milliseconds{2000}))
      << stats_command(w.sock, "show servers conn");
  const int learned = w.stat("learned_ka_ms");
  EXPECT_EQ(stats_command(w.sock, "set server be/s1 state maint"), "\n");
  ASSERT_TRUE(reload(h, 1)) << h.output();
  EXPECT_EQ(w.stat("learned_ka_ms"), learned) << stats_command(w.sock, "show servers conn");
  // Still in maintenance in the new worker: nothing is sent to it.
  HttpClient c(w.fe);
  EXPECT_EQ(c.request("GET", "/").status, 503);
  const std::string state = stats_command(w.sock, "show servers state be");
  EXPECT_NE(state.find(" s1 127.0.0.1 0 1 "), std::string::npos) << state;  // stopped, maint
  EXPECT_EQ(h.stop(), 0) << h.output();
}

// The new configuration moves the server: neither its connections nor its
// state are the new server's.
TEST(WarmReload, AMovedServerGetsNothingOfTheOldOne) {
  HttpBackend a, b;
  WarmSetup w;
  HearthProcess h(w.config(a.port()), w.options());
  ASSERT_TRUE(h.ready()) << h.describe();
  ASSERT_EQ(parallel_requests(w.fe, 3), 3);
  const uint64_t opened = a.connections();
  EXPECT_EQ(stats_command(w.sock, "set server be/s1 state drain"), "\n");
  ASSERT_TRUE(h.rewrite_config(w.config(b.port())));
  ASSERT_TRUE(reload(h, 1)) << h.output();
  EXPECT_EQ(w.stat("idle_cur"), 0);
  // Closed by the new worker, not kept: the old server sees them go.
  EXPECT_TRUE(wait_until([&] { return a.active() == 0; }, milliseconds{3000}));
  EXPECT_EQ(a.connections(), opened);
  // Not in drain: the moved server takes traffic.
  EXPECT_EQ(parallel_requests(w.fe, 2), 2);
  EXPECT_GE(b.connections(), 1u);
  EXPECT_EQ(h.stop(), 0) << h.output();
}

// The figure: under a steady keep-alive load, reloads open (about)
// no server connection. The leaving worker's in-flight exchanges hand theirs
// over as they end, it keeps one for each request it has still to serve
// (even those whose stream started in the very batch that read the leave),
// and the new worker reads its channel from its start, on whichever thread
// needs a connection first. Counted by the backend, which sees every connect.
TEST(WarmReload, ReloadsUnderKeepAliveLoadOpenNoServerConnection) {
  HttpBackend be;
  WarmSetup w;  // two threads, http-reuse always
  HearthProcess h(w.config(be.port()), w.options());
  ASSERT_TRUE(h.ready()) << h.describe();
  KeepAliveLoad load(w.fe, 10);
  // Steady: the pools hold what the load needs, and it opens no more.
  ASSERT_TRUE(load.serve_more(500));
  uint64_t before = be.connections();
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(load.serve_more(500));
    if (be.connections() == before) break;
    before = be.connections();
  }
  ASSERT_TRUE(load.serve_more(500));
  ASSERT_EQ(be.connections(), before) << "the load never settled";
  constexpr int kReloads = 8;
  for (int i = 1; i <= kReloads; ++i) {
    ASSERT_TRUE(reload(h, size_t(i))) << h.output();
    ASSERT_TRUE(load.serve_more(300)) << h.output();
  }
  load.stop();
  EXPECT_EQ(load.errors.load(), 0u);
  // At most one new connection per reload on average (HAProxy opens one per
  // client at each reload: 10 here).
  EXPECT_LE(be.connections() - before, uint64_t(kReloads))
      << before << " server connections before the reloads, " << be.connections() << " after";
  EXPECT_EQ(h.stop(), 0) << h.output();
}

}  // namespace
}  // namespace hearth::test::http
