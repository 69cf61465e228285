// The stats page served by a proxy ("stats uri"), checked with the clients
// people use on it: curl for the authentication, a headless Chromium for the
// page and its admin form, and prometheus-haproxy-exporter reading ";csv".
#include <gtest/gtest.h>
#include <unistd.h>

#include <regex>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/command.h"
#include "support/ports.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

constexpr const char* kChromium = "/usr/bin/chromium";
constexpr const char* kExporter = "/usr/bin/prometheus-haproxy-exporter";

// A frontend to two servers and a listen section with the page.
std::string config(const std::string& sock, uint16_t fe, uint16_t st, uint16_t live,
                   const std::string& stats_lines) {
  const std::string l = std::to_string(live);
  return "global\n  stats socket " + sock +
         " level admin\n"
         "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
         "  timeout server 5s\n"
         "frontend web\n  bind 127.0.0.1:" +
         std::to_string(fe) +
         "\n  default_backend app\n"
         "backend app\n  server s1 127.0.0.1:" +
         l + "\n  server s2 127.0.0.1:" + l +
         "\n"
         "  server s3 127.0.0.1:" +
         l +
         " disabled\n"
         "listen admin\n  bind 127.0.0.1:" +
         std::to_string(st) + "\n" + stats_lines;
}

struct StatsSetup {
  TempDir dir;
  HttpBackend live;
  uint16_t fe = free_tcp_port(), st = free_tcp_port();
  std::string sock = dir.file("stats.sock");
  std::unique_ptr<HearthProcess> h;

  explicit StatsSetup(const std::string& stats_lines, const std::string& binary = "") {
    HearthOptions opt{.wait_ports = {fe, st}};
    if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
    h = std::make_unique<HearthProcess>(config(sock, fe, st, live.port(), stats_lines), opt);
  }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(st) + path;
  }
};

// Returns: curl's view of a request: "STATUS" then the response's fields.
std::string curl_head(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"curl", "-s", "-o", "/dev/null", "-D", "-", "--max-time", "5"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv).output;
}

std::string status_of(const std::string& head) {
  return head.size() > 12 ? head.substr(9, 3) : head;
}

TEST(StatsPage, AuthAsksForCredentialsAsHAProxy) {
  const std::string lines =
      "  stats enable\n  stats uri /st\n  stats realm Our\\ Stats\n"
      "  stats auth alice:one\n  stats auth bob:two\n";
  std::vector<std::string> seen;
  for (const std::string binary : {"", "haproxy"}) {
    StatsSetup s(lines, binary);
    ASSERT_TRUE(s.h->ready()) << s.h->describe();
    const std::string anon = curl_head({s.url("/st")});
    const std::string wrong = curl_head({"-u", "alice:two", s.url("/st")});
    const std::string alice = curl_head({"-u", "alice:one", s.url("/st")});
    const std::string bob = curl_head({"-u", "bob:two", s.url("/st;csv")});
    const std::string other = curl_head({s.url("/elsewhere")});  // no server: 503
    std::smatch m;
    const std::regex realm("www-authenticate: (.*)\r", std::regex::icase);
    std::string challenge = std::regex_search(anon, m, realm) ? m[1].str() : "none";
    seen.push_back(status_of(anon) + " " + challenge + " " + status_of(wrong) + " " +
                   status_of(alice) + " " + status_of(bob) + " " + status_of(other));
  }
  EXPECT_EQ(seen[0], "401 Basic realm=\"Our Stats\" 401 200 200 503");
  EXPECT_EQ(seen[0], seen[1]);
}

TEST(StatsPage, HttpRequestRulesAndScope) {
  StatsSetup s(
      "  stats uri /st\n  stats scope app\n"
      "  stats http-request deny if { req.hdr(x-block) -m found }\n"
      "  stats http-request allow if { req.hdr(x-pass) -m found }\n"
      "  stats http-request auth realm Inner if { req.hdr(x-ask) -m found }\n"
      "  stats auth alice:one\n");
  ASSERT_TRUE(s.h->ready()) << s.h->describe();
  EXPECT_EQ(status_of(curl_head({"-H", "x-block: 1", "-u", "alice:one", s.url("/st")})), "403");
  EXPECT_EQ(status_of(curl_head({"-H", "x-pass: 1", s.url("/st")})), "200");  // no auth asked
  const std::string ask = curl_head({"-H", "x-ask: 1", s.url("/st")});
  EXPECT_EQ(status_of(ask), "401");
  EXPECT_NE(ask.find("realm=\"Inner\""), std::string::npos) << ask;
  // The scope: only "app" is shown.
  const CommandResult csv = run_command({"curl", "-s", "-u", "alice:one", s.url("/st;csv")});
  EXPECT_NE(csv.output.find("\napp,s1,"), std::string::npos) << csv.output;
  EXPECT_EQ(csv.output.find("\nweb,FRONTEND,"), std::string::npos) << csv.output;
  EXPECT_EQ(csv.output.find("\nadmin,"), std::string::npos) << csv.output;
}

// Runs headless Chromium on `url`. Returns: the DOM it built.
std::string chromium_dom(const TempDir& dir, const std::string& url) {
  return run_command({kChromium, "--headless", "--no-sandbox", "--disable-gpu",
                      "--user-data-dir=" + dir.file("chrome"), "--dump-dom", url},
                     std::chrono::milliseconds(60000))
      .output;
}

TEST(StatsPage, BrowserShowsTablesAndAdminFormSetsMaintenance) {
  if (access(kChromium, X_OK) != 0)
    GTEST_SKIP() << kChromium << " is missing (Debian package chromium, scripts/install-deps)";
  StatsSetup s("  stats enable\n  stats uri /\n  stats admin if TRUE\n  stats refresh 30s\n");
  ASSERT_TRUE(s.h->ready()) << s.h->describe();
  const std::string dom = chromium_dom(s.dir, s.url("/"));
  for (const char* name : {"<h2 id=\"web\">", "<h2 id=\"app\">", "<h2 id=\"admin\">"})
    EXPECT_NE(dom.find(name), std::string::npos) << name << "\n" << dom;
  for (const char* srv : {"s1", "s2", "s3"})
    EXPECT_NE(dom.find("name=\"s\" value=\"" + std::string(srv) + "\""), std::string::npos) << srv;
  EXPECT_NE(dom.find("<td>MAINT "), std::string::npos) << dom;  // s3, "disabled"
  // The form as the browser has it: its backend field, then a POST of the
  // fields a click on s1 and "MAINT" sends.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(dom, m, std::regex("name=\"b\" value=\"(#[0-9]+)\""))) << dom;
  const std::string b = m[1].str();
  const std::string post = curl_head({"--data-urlencode", "s=s1", "--data-urlencode",
                                      "action=maint", "--data-urlencode", "b=" + b, s.url("/")});
  EXPECT_EQ(status_of(post), "303") << post;
  EXPECT_NE(post.find("location: /;st=DONE"), std::string::npos) << post;
  // The runtime API sees s1 in maintenance (srv_admin_state 1: forced by an admin).
  const std::string state = stats_command(s.sock, "show servers state app");
  EXPECT_TRUE(std::regex_search(state, std::regex("\\n[0-9]+ app [0-9]+ s1 [0-9.]+ [0-9]+ 1 ")))
      << state;
  EXPECT_NE(s.h->output().find("stats page: client 127.0.0.1:"), std::string::npos)
      << s.h->output();
  const std::string after = chromium_dom(s.dir, s.url("/;st=DONE"));
  EXPECT_NE(after.find("The action was applied."), std::string::npos) << after;
  // Back to ready.
  EXPECT_EQ(status_of(curl_head(
                {"-d", "s=s1&action=ready&b=" + std::string("%23") + b.substr(1), s.url("/")})),
            "303");
  EXPECT_TRUE(std::regex_search(stats_command(s.sock, "show servers state app"),
                                std::regex("\\n[0-9]+ app [0-9]+ s1 [0-9.]+ [0-9]+ 0 ")));
}

// The operator's path, all in the browser (Selenium driving headless
// Chromium): the page refuses to show without credentials, shows the tables
// with them, and a ticked server with "Set state to MAINT" and Apply puts it
// in maintenance, which the runtime API confirms.
TEST(StatsPage, BrowserLogsInAndUsesTheAdminForm) {
  if (access(kChromium, X_OK) != 0 || access("/usr/bin/chromedriver", X_OK) != 0 ||
      run_command({"/usr/bin/python3", "-c", "import selenium"}).exit_code != 0)
    GTEST_SKIP() << "chromium, chromium-driver or python3-selenium is missing "
                    "(scripts/install-deps installs them)";
  StatsSetup s("  stats enable\n  stats uri /\n  stats auth alice:one\n  stats admin if TRUE\n");
  ASSERT_TRUE(s.h->ready()) << s.h->describe();
  const CommandResult r =
      run_command({"/usr/bin/python3", std::string(HEARTH_SOURCE_DIR) +
                                           "/tests/integration/browser/stats_admin.py",
                   s.url("/"), "alice", "one", "s1", "maint"},
                  std::chrono::milliseconds(90000));
  EXPECT_NE(r.output.find("anonymous_tables=0\n"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("tables=3\n"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("checkbox=1\n"), std::string::npos) << r.output;
  // The POST's answer (303) took it to the result view.
  EXPECT_NE(r.output.find("@127.0.0.1:" + std::to_string(s.st) + "/;st=DONE\n"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("message=The action was applied."), std::string::npos) << r.output;
  const std::string state = stats_command(s.sock, "show servers state app");
  EXPECT_TRUE(std::regex_search(state, std::regex("\\n[0-9]+ app [0-9]+ s1 [0-9.]+ [0-9]+ 1 ")))
      << state;
  EXPECT_TRUE(std::regex_search(state, std::regex("\\n[0-9]+ app [0-9]+ s2 [0-9.]+ [0-9]+ 0 ")))
      << state;
}

TEST(StatsPage, AdminFormRefusedWithoutStatsAdmin) {
  StatsSetup s("  stats uri /\n  stats admin if { src 10.0.0.0/8 }\n");
  ASSERT_TRUE(s.h->ready()) << s.h->describe();
  const std::string post = curl_head({"-d", "s=s1&action=maint&b=app", s.url("/")});
  EXPECT_NE(post.find("location: /;st=DENY"), std::string::npos) << post;
  EXPECT_TRUE(std::regex_search(stats_command(s.sock, "show servers state app"),
                                std::regex("\\n[0-9]+ app [0-9]+ s1 [0-9.]+ [0-9]+ 0 ")));
}

// "Kill sessions" (action shutdown) ends the streams on the servers named,
// at once, and leaves the others alone; as HAProxy.
TEST(StatsPage, AdminShutdownEndsTheServersSessionsAsHAProxy) {
  for (const char* binary : {"", "haproxy"}) {
    StatsSetup s("  stats uri /\n  stats admin if TRUE\n", binary);
    ASSERT_TRUE(s.h->ready()) << s.h->describe();
    std::vector<std::unique_ptr<HttpClient>> held;
    for (int i = 0; i < 2; ++i) {  // round robin: one on s1, one on s2
      held.push_back(std::make_unique<HttpClient>(s.fe));
      ASSERT_TRUE(held.back()->send("GET /slow/2500 HTTP/1.1\r\nhost: x\r\n\r\n"));
    }
    ASSERT_TRUE(wait_until([&] { return s.live.requests().size() >= 2; }, std::chrono::seconds(3)));
    const std::string post = curl_head({"-d", "s=s1&action=shutdown&b=app", s.url("/")});
    EXPECT_NE(post.find("location: /;st=DONE"), std::string::npos) << binary << post;
    // The one on s1 is cut well before its server would answer (a 502: the
    // server had the request); the one on s2 gets its answer.
    int answered = 0, cut = 0;
    for (auto& c : held) {
      const auto start = std::chrono::steady_clock::now();
      const int status = c->read_response().status;
      const auto took = std::chrono::steady_clock::now() - start;
      if (status == 200) ++answered;
      if (status == 502 && took < std::chrono::milliseconds(1500)) ++cut;
    }
    EXPECT_EQ(answered, 1) << binary;
    EXPECT_EQ(cut, 1) << binary;
  }
}

// A backend's page answers after switching, and only for requests switched there.
TEST(StatsPage, BackendPageAfterSwitching) {
  HttpBackend live;
  const uint16_t fe = free_tcp_port();
  const std::string cfg =
      "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n  timeout server 5s\n"
      "frontend web\n  bind 127.0.0.1:" +
      std::to_string(fe) +
      "\n"
      "  use_backend other if { req.hdr(x-other) -m found }\n  default_backend app\n"
      "backend app\n  stats uri /be-stats\n  stats hide-version\n"
      "  server s1 127.0.0.1:" +
      std::to_string(live.port()) +
      "\n"
      "backend other\n  server s1 127.0.0.1:" +
      std::to_string(live.port()) + "\n";
  HearthProcess h(cfg, HearthOptions{.wait_ports = {fe}});
  ASSERT_TRUE(h.ready()) << h.describe();
  const std::string url = "http://127.0.0.1:" + std::to_string(fe) + "/be-stats";
  const CommandResult page = run_command({"curl", "-s", url});
  EXPECT_NE(page.output.find("<h2 id=\"app\">"), std::string::npos) << page.output;
  EXPECT_EQ(page.output.find("version"), std::string::npos);
  EXPECT_EQ(live.request_count(), 0u);  // answered by the page, not the server
  EXPECT_EQ(run_command({"curl", "-s", "-H", "x-other: 1", url}).output, "ok\n");
  EXPECT_EQ(live.request_count(), 1u);
}

// A page far larger than a buffer goes out whole, and every server has its row.
TEST(StatsPage, HundredServersOnOnePage) {
  TempDir dir;
  const uint16_t st = free_tcp_port();
  std::string cfg =
      "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n  timeout server 5s\n"
      "listen admin\n  bind 127.0.0.1:" +
      std::to_string(st) +
      "\n  stats uri /\n"
      "  stats admin if TRUE\n";
  for (int i = 0; i < 100; ++i)
    cfg += "  server srv" + std::to_string(i) + " 127.0.0.1:" + std::to_string(20000 + i) + "\n";
  HearthProcess h(cfg, HearthOptions{.wait_ports = {st}});
  ASSERT_TRUE(h.ready()) << h.describe();
  for (const char* suffix : {"", ";csv"}) {
    const std::string path = dir.file("page");
    const CommandResult r =
        run_command({"curl", "-s", "-o", path, "-w", "%{http_code} %{size_download}",
                     "http://127.0.0.1:" + std::to_string(st) + "/" + suffix});
    const std::string page = read_file(path);
    EXPECT_EQ(r.output, "200 " + std::to_string(page.size()));
    EXPECT_GT(page.size(), 16384u) << suffix;  // more than a buffer
    for (int i = 0; i < 100; ++i) {
      const std::string name = "srv" + std::to_string(i);
      EXPECT_NE(page.find(*suffix ? "\nadmin," + name + "," : "value=\"" + name + "\""),
                std::string::npos)
          << name << suffix;
    }
  }
}

TEST(StatsPage, PrometheusHAProxyExporterReadsTheCsv) {
  if (access(kExporter, X_OK) != 0)
    GTEST_SKIP()
        << kExporter
        << " is missing (Debian package prometheus-haproxy-exporter, scripts/install-deps)";
  StatsSetup s("  stats uri /st\n  stats auth u:p\n");
  ASSERT_TRUE(s.h->ready()) << s.h->describe();
  for (int i = 0; i < 6; ++i) {
    HttpClient c(s.fe);
    ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nhost: x\r\n\r\n"));
    ASSERT_EQ(c.read_response().status, 200);
  }
  // One session held open on a server while the exporter scrapes (long
  // enough for a slow start of the exporter under sanitizers and load).
  HttpClient held(s.fe);
  ASSERT_TRUE(held.send("GET /slow/12000 HTTP/1.1\r\nhost: x\r\n\r\n"));
  const uint16_t port = free_tcp_port();
  Process exporter(ProcessOptions{
      .argv = {kExporter, "--web.listen-address=127.0.0.1:" + std::to_string(port),
               "--haproxy.scrape-uri=http://u:p@127.0.0.1:" + std::to_string(s.st) + "/st;csv"}});
  ASSERT_TRUE(wait_for_port(port, std::chrono::milliseconds(5000))) << exporter.output();
  std::string metrics;
  auto has = [&](const std::string& line) { return metrics.find(line) != std::string::npos; };
  const bool seen = wait_until(
      [&] {
        metrics =
            run_command({"curl", "-s", "http://127.0.0.1:" + std::to_string(port) + "/metrics"})
                .output;
        return has("haproxy_server_current_sessions{backend=\"app\",server=\"s1\"} 1") ||
               has("haproxy_server_current_sessions{backend=\"app\",server=\"s2\"} 1");
      },
      std::chrono::milliseconds(8000));
  EXPECT_TRUE(seen) << metrics;
  EXPECT_TRUE(has("haproxy_up 1")) << metrics;
  EXPECT_TRUE(has("haproxy_server_up{backend=\"app\",server=\"s1\"} 1")) << metrics;
  EXPECT_TRUE(has("haproxy_server_up{backend=\"app\",server=\"s3\"} 0")) << metrics;
  // Round robin: 3 + 3, then the held one.
  EXPECT_TRUE(has("haproxy_backend_sessions_total{backend=\"app\"} 7")) << metrics;
  EXPECT_TRUE(has("haproxy_frontend_http_responses_total{code=\"2xx\",frontend=\"web\"} 6"))
      << metrics;
  EXPECT_TRUE(has("haproxy_backend_up{backend=\"app\"} 1")) << metrics;
}

}  // namespace
}  // namespace hearth::test::http
