// http-request use-service prometheus-exporter: the same series (names,
// labels, HELP and TYPE lines, in the same order) as HAProxy 2.6's exporter on
// the same configuration, the same answers to its query parameters, and
// `show metrics` answering the same content. Values differ between the two
// (their own traffic, timings), so they are not compared, except where
// HAProxy's value is NaN.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/client.h"
#include "support/command.h"
#include "support/ports.h"

namespace hearth::test::http {
namespace {

std::string config(uint16_t stats_port, uint16_t fe_port, uint16_t tcp_port, uint16_t backend,
                   const std::string& sock) {
  const std::string be = "127.0.0.1:" + std::to_string(backend);
  return "global\n  nbthread 1\n  stats socket " + sock +
         " level admin\n"
         "defaults\n  timeout connect 2s\n  timeout client 5s\n  timeout server 5s\n"
         "listen stats\n  mode http\n  bind 127.0.0.1:" +
         std::to_string(stats_port) +
         "\n  http-request use-service prometheus-exporter if { path /metrics }\n"
         "frontend fe\n  mode http\n  bind 127.0.0.1:" +
         std::to_string(fe_port) +
         "\n  default_backend be\n"
         "backend be\n  mode http\n"
         "  server s1 " +
         be +
         " maxconn 10\n"
         "  server s2 " +
         be +
         " check inter 200ms maxqueue 10 pool-max-conn 42\n"
         "  server s3 " +
         be +
         " check disabled\n"
         "frontend tfe\n  mode tcp\n  bind 127.0.0.1:" +
         std::to_string(tcp_port) +
         "\n  default_backend tbe\n"
         "backend tbe\n  mode tcp\n  server t1 " +
         be +
         "\n"
         "backend empty\n  mode http\n";
}

// Returns: the exposition's structure: its HELP and TYPE lines, and each
// sample's name and labels (the value cut off); build_info's version label
// is blanked (each names its own version).
std::vector<std::string> series(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line.rfind("hearth_", 0) == 0 || line.find(" hearth_") != line.npos)
      continue;
    if (line[0] != '#') line = line.substr(0, line.rfind(' '));
    if (line.rfind("haproxy_process_build_info{", 0) == 0) line = "haproxy_process_build_info{}";
    out.push_back(line);
  }
  return out;
}

// Returns: the samples whose value is NaN, by name and labels.
std::vector<std::string> nans(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.size() > 4 && line.compare(line.size() - 4, 4, " NaN") == 0)
      out.push_back(line.substr(0, line.size() - 4));
  return out;
}

struct Scrape {
  int status = 0;
  std::string body;
};

// A real client: curl, which also checks the framing.
Scrape scrape(uint16_t port, const std::string& target) {
  CommandResult r = run_command({"curl", "-s", "-o", "-", "-w", "\n%{http_code}",
                                 "http://127.0.0.1:" + std::to_string(port) + target});
  Scrape s;
  const size_t nl = r.output.rfind('\n');
  if (nl == std::string::npos) return s;
  s.status = atoi(r.output.c_str() + nl + 1);
  s.body = r.output.substr(0, nl);
  return s;
}

// One process (hearth or haproxy) on the test's configuration, with some
// traffic through it so that every kind of row has counted something.
class Exporting {
 public:
  Exporting(const std::string& binary, uint16_t backend)
      : stats_(free_tcp_port()), fe_(free_tcp_port()), tcp_(free_tcp_port()) {
    sock_ = dir_.file("stats.sock");
    HearthOptions opt{.wait_ports = {stats_, fe_, tcp_}};
    if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
    proc_ = std::make_unique<HearthProcess>(config(stats_, fe_, tcp_, backend, sock_), opt);
    if (!proc_->ready()) return;
    for (int i = 0; i < 3; ++i) http_get(fe_, "/");
  }
  HearthProcess& proc() { return *proc_; }
  uint16_t stats_port() const { return stats_; }
  const std::string& sock() const { return sock_; }

 private:
  TempDir dir_;
  uint16_t stats_, fe_, tcp_;
  std::string sock_;
  std::unique_ptr<HearthProcess> proc_;
};

const char* const kQueries[] = {"/metrics",
                                "/metrics?scope=global",
                                "/metrics?scope=frontend&scope=backend",
                                "/metrics?scope=server",
                                "/metrics?scope=*",
                                "/metrics?no-maint",
                                "/metrics?scope=server&no-maint",
                                "/metrics?scope=%73erver",
                                "/metrics?scope=listener",
                                "/metrics?scope=sticktable",
                                "/metrics?scope=",
                                "/metrics?scope=server&scope=",
                                "/metrics?scope",
                                "/metrics?scope=foo",
                                "/metrics?scope=Server"};

TEST(PrometheusExporter, SameSeriesAndAnswersAsHAProxy) {
  HttpBackend backend;
  Exporting hearth("", backend.port());
  ASSERT_TRUE(hearth.proc().ready()) << hearth.proc().describe();
  Exporting haproxy("haproxy", backend.port());
  ASSERT_TRUE(haproxy.proc().ready()) << haproxy.proc().describe();
  for (const char* q : kQueries) {
    const Scrape a = scrape(hearth.stats_port(), q);
    const Scrape b = scrape(haproxy.stats_port(), q);
    ASSERT_EQ(a.status, b.status) << q;
    if (a.status != 200) continue;
    EXPECT_EQ(series(a.body), series(b.body)) << q;
    // What HAProxy cannot tell about a proxy or server (a limit not set, the
    // checks of an unchecked server), Hearth does not make up either. Hearth
    // has more NaNs: the counters it does not keep (aborts, response errors).
    const std::vector<std::string> ours = nans(a.body);
    std::vector<std::string> our_process, their_process;
    for (const std::string& n : ours)
      if (n.rfind("haproxy_process_", 0) == 0) our_process.push_back(n);
    for (const std::string& n : nans(b.body)) {
      if (n.rfind("haproxy_process_", 0) == 0) {
        their_process.push_back(n);
        continue;
      }
      EXPECT_NE(std::find(ours.begin(), ours.end(), n), ours.end()) << q << ": " << n;
    }
    // Every process metric is a show info field; only those HAProxy leaves
    // out too (the zlib figures) are NaN.
    EXPECT_EQ(our_process, their_process) << q;
  }
  // The exporter's answer is the text format Prometheus negotiates.
  HttpClient c(hearth.stats_port());
  const HttpResponse r = c.request("GET", "/metrics?scope=global");
  EXPECT_EQ(r.header("content-type").value_or(""), "text/plain; version=0.0.4");
  EXPECT_EQ(r.header("cache-control").value_or(""), "no-cache");
}

TEST(PrometheusExporter, ShowMetricsAnswersTheSameContent) {
  HttpBackend backend;
  Exporting hearth("", backend.port());
  ASSERT_TRUE(hearth.proc().ready()) << hearth.proc().describe();
  const std::string cli = stats_command(hearth.sock(), "show metrics");
  const Scrape http = scrape(hearth.stats_port(), "/metrics");
  ASSERT_EQ(http.status, 200);
  EXPECT_EQ(series(cli), series(http.body));
  // Hearth's own part too, which series() leaves out.
  auto own = [](const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
      if (line.rfind("hearth_", 0) == 0) out.push_back(line.substr(0, line.rfind(' ')));
    return out;
  };
  EXPECT_FALSE(own(cli).empty());
  EXPECT_EQ(own(cli), own(http.body));
  // The requests went through s1 and s2 (round robin), counted on the threads.
  EXPECT_NE(http.body.find("haproxy_frontend_http_requests_total{proxy=\"fe\"} 3\n"),
            std::string::npos)
      << http.body.substr(0, 2000);
  EXPECT_NE(http.body.find("haproxy_backend_http_responses_total{proxy=\"be\",code=\"2xx\"} 3\n"),
            std::string::npos);
  EXPECT_NE(http.body.find("haproxy_server_queue_limit{proxy=\"be\",server=\"s2\"} 10\n"),
            std::string::npos);
  EXPECT_NE(
      http.body.find("haproxy_server_idle_connections_limit{proxy=\"be\",server=\"s2\"} 42\n"),
      std::string::npos);
  EXPECT_NE(
      http.body.find("hearth_server_retries_total{proxy=\"be\",server=\"s1\",reason=\"connect-"
                     "failure\"} 0\n"),
      std::string::npos);
}

// promtool's only remark is about a name HAProxy chose (a counter without
// "_total"), which Hearth keeps for the dashboards that use it; HAProxy's own
// output gets the same remark and nothing else.
TEST(PrometheusExporter, PromtoolChecksTheOutput) {
  if (run_command({"promtool", "--version"}).exit_code != 0)
    GTEST_SKIP() << "promtool not installed (scripts/install-deps installs package prometheus)";
  HttpBackend backend;
  Exporting hearth("", backend.port());
  ASSERT_TRUE(hearth.proc().ready()) << hearth.proc().describe();
  const Scrape s = scrape(hearth.stats_port(), "/metrics");
  ASSERT_EQ(s.status, 200);
  TempDir d;
  const std::string file = d.file("metrics.txt");
  FILE* f = fopen(file.c_str(), "w");
  ASSERT_NE(f, nullptr);
  fwrite(s.body.data(), 1, s.body.size(), f);
  fclose(f);
  const CommandResult r = run_command({"sh", "-c", "promtool check metrics < " + file});
  EXPECT_EQ(r.output,
            "haproxy_process_failed_resolutions counter metrics should have \"_total\" suffix\n");
  // A line promtool cannot parse makes it fail differently: the check is real.
  f = fopen(file.c_str(), "a");
  fputs("haproxy_bogus{proxy=\"x\" 1\n", f);
  fclose(f);
  const CommandResult bad = run_command({"sh", "-c", "promtool check metrics < " + file});
  EXPECT_NE(bad.output.find("error while linting"), std::string::npos) << bad.output;
}

}  // namespace
}  // namespace hearth::test::http
