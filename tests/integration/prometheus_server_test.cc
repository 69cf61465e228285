// A real Prometheus server scrapes Hearth's exporter every second and answers
// a query over its HTTP API with the request counter Hearth exposes.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "http_test_util.h"
#include "support/client.h"
#include "support/command.h"
#include "support/ports.h"
#include "support/process.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

bool write_file(const std::string& path, const std::string& text) {
  FILE* f = fopen(path.c_str(), "w");
  if (!f) return false;
  const bool ok = fwrite(text.data(), 1, text.size(), f) == text.size();
  return fclose(f) == 0 && ok;
}

TEST(PrometheusServer, ScrapesTheExporterAndAnswersAQuery) {
  if (run_command({"prometheus", "--version"}).exit_code != 0)
    GTEST_SKIP() << "prometheus not installed (scripts/install-deps installs it)";
  HttpBackend backend;
  const uint16_t stats = free_tcp_port(), fe = free_tcp_port();
  HearthProcess h(
      "defaults\n  mode http\n  timeout connect 2s\n  timeout client 5s\n"
      "  timeout server 5s\n"
      "listen stats\n  bind 127.0.0.1:" +
          std::to_string(stats) +
          "\n  http-request use-service prometheus-exporter if { path /metrics }\n"
          "frontend fe\n  bind 127.0.0.1:" +
          std::to_string(fe) +
          "\n  default_backend be\n"
          "backend be\n  server s1 127.0.0.1:" +
          std::to_string(backend.port()) + "\n",
      HearthOptions{.wait_ports = {stats, fe}});
  ASSERT_TRUE(h.ready()) << h.describe();
  for (int i = 0; i < 7; ++i) ASSERT_EQ(http_status(http_get(fe, "/")), 200);

  TempDir dir;
  const uint16_t web = free_tcp_port();
  ASSERT_TRUE(write_file(dir.file("prometheus.yml"),
                         "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                         "scrape_configs:\n  - job_name: hearth\n    static_configs:\n"
                         "      - targets: ['127.0.0.1:" +
                             std::to_string(stats) + "']\n"));
  Process prom(ProcessOptions{.argv = {"prometheus", "--config.file=" + dir.file("prometheus.yml"),
                                       "--storage.tsdb.path=" + dir.file("data"),
                                       "--web.listen-address=127.0.0.1:" + std::to_string(web)},
                              .output_path = dir.file("prometheus.log")});
  ASSERT_TRUE(prom.started()) << prom.error();
  const std::string query =
      "http://127.0.0.1:" + std::to_string(web) +
      "/api/v1/query?query=haproxy_frontend_http_requests_total%7Bproxy%3D%22fe"
      "%22%7D";
  std::string answer;
  const bool got = wait_until(
      [&] {
        answer = run_command({"curl", "-s", query}).output;
        return answer.find("\"result\":[{") != std::string::npos;
      },
      std::chrono::seconds(30));
  ASSERT_TRUE(got) << answer << "\n" << prom.output();
  // The sample Prometheus stored: the counter with Hearth's labels and value.
  EXPECT_NE(answer.find("\"__name__\":\"haproxy_frontend_http_requests_total\""), std::string::npos)
      << answer;
  EXPECT_NE(answer.find("\"proxy\":\"fe\""), std::string::npos) << answer;
  EXPECT_NE(answer.find(",\"7\"]"), std::string::npos) << answer;
  // And Prometheus saw the target up, with no scrape error.
  const std::string up =
      run_command(
          {"curl", "-s", "http://127.0.0.1:" + std::to_string(web) + "/api/v1/query?query=up"})
          .output;
  EXPECT_NE(up.find(",\"1\"]"), std::string::npos) << up;
}

}  // namespace
}  // namespace hearth::test::http
