// show stat against HAProxy 2.6: the same configuration and the same traffic
// through hearth and haproxy, then the two CSVs compared: the header line, the
// rows, the deterministic counters, and which fields are left empty.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

struct Csv {
  std::vector<std::string> names;
  std::vector<std::vector<std::string>> rows;

  // Returns: field `col` of row "px,sv", or "?" when absent.
  std::string get(const std::string& px, const std::string& sv, const std::string& col) const {
    for (const auto& r : rows) {
      if (r.size() < 2 || r[0] != px || r[1] != sv) continue;
      for (size_t i = 0; i < names.size() && i < r.size(); ++i)
        if (names[i] == col) return r[i];
    }
    return "?";
  }
};

// Splits one CSV line (fields may be quoted, a quote doubled).
std::vector<std::string> split_csv(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      out.back().push_back('"');
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      out.emplace_back();
    } else {
      out.back().push_back(c);
    }
  }
  return out;
}

Csv parse(const std::string& text) {
  Csv csv;
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line) || line.rfind("# ", 0) != 0) return csv;
  csv.names = split_csv(line.substr(2));
  while (std::getline(in, line))
    if (!line.empty()) csv.rows.push_back(split_csv(line));
  return csv;
}

std::string config(const std::string& sock, uint16_t fe, uint16_t st, uint16_t tl, uint16_t live) {
  const std::string l = std::to_string(live);
  return "global\n  stats socket " + sock +
         " level admin\n  maxconn 1000\n"
         "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
         "  timeout server 5s\n"
         "frontend fe\n  bind 127.0.0.1:" +
         std::to_string(fe) +
         "\n"
         "  http-request deny if { path /deny }\n  default_backend be\n"
         "backend be\n  server s1 127.0.0.1:" +
         l +
         " check inter 200ms\n"
         "  server s2 127.0.0.1:1 backup\n  server s3 127.0.0.1:" +
         l +
         " disabled maxqueue 7\n"
         "listen st\n  bind 127.0.0.1:" +
         std::to_string(st) +
         "\n"
         "  stats uri /stats\n  stats auth admin:pw\n"
         "listen tl\n  mode tcp\n  bind 127.0.0.1:" +
         std::to_string(tl) +
         "\n"
         "  server t1 127.0.0.1:" +
         l + " maxconn 10\n";
}

// Returns: for each (objType, field name) of a ;json answer, its tags and type.
std::map<std::string, std::string> json_schema(const std::string& json) {
  std::map<std::string, std::string> out;
  const std::regex obj(
      "\\{\"objType\":\"(\\w+)\",\"proxyId\":\\d+,\"id\":\\d+,\"field\":\\{\"pos\":(\\d+),"
      "\"name\":\"([a-z0-9_]+)\"\\},\"processNum\":1,(\"tags\":\\{[^}]*\\}),\"value\":\\{"
      "(\"type\":\"\\w+\")");
  for (auto it = std::sregex_iterator(json.begin(), json.end(), obj); it != std::sregex_iterator();
       ++it)
    out[(*it)[1].str() + " " + (*it)[3].str()] =
        (*it)[2].str() + " " + (*it)[4].str() + " " + (*it)[5].str();
  return out;
}

// One GET; returns its status (0: no answer).
int get(uint16_t port, const std::string& target, const std::string& extra = "",
        std::string* body = nullptr) {
  HttpClient c(port);
  if (!c.send("GET " + target + " HTTP/1.1\r\nhost: x\r\nconnection: close\r\n" + extra + "\r\n"))
    return 0;
  HttpResponse r = c.read_response();
  if (body) *body = r.body;
  return r.status;
}

// Runs the configuration in `binary` ("" : hearth), sends the traffic, and
// returns show stat's answer once every exchange was counted.
std::string run(const std::string& binary, uint16_t live, std::string* json) {
  TempDir dir;
  const std::string sock = dir.file("stats.sock");
  const uint16_t fe = free_tcp_port(), st = free_tcp_port(), tl = free_tcp_port();
  HearthOptions opt{.wait_ports = {fe, st, tl}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  HearthProcess h(config(sock, fe, st, tl, live), opt);
  if (!h.ready()) return "not ready: " + h.describe();
  // The check must have seen s1 before the traffic (both start it UP).
  wait_until(
      [&] {
        return parse(stats_command(sock, "show stat")).get("be", "s1", "check_status") == "L4OK";
      },
      milliseconds(5000));
  for (int i = 0; i < 5; ++i) EXPECT_EQ(get(fe, "/"), 200);
  EXPECT_EQ(get(fe, "/status/404"), 404);
  EXPECT_EQ(get(fe, "/status/503"), 503);
  EXPECT_EQ(get(fe, "/deny"), 403);
  EXPECT_EQ(get(st, "/stats;csv"), 401);
  EXPECT_EQ(get(st, "/stats;csv", "authorization: Basic YWRtaW46cHc=\r\n"), 200);
  EXPECT_EQ(get(st, "/stats;json", "authorization: Basic YWRtaW46cHc=\r\n", json), 200);
  {  // one TCP session through tl
    HttpClient c(tl);
    EXPECT_TRUE(c.send("GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n"));
    EXPECT_EQ(c.read_response().status, 200);
  }
  std::string out;
  wait_until(
      [&] {
        out = stats_command(sock, "show stat");
        const Csv c = parse(out);
        return c.get("tl", "FRONTEND", "scur") == "0" && c.get("st", "FRONTEND", "scur") == "0" &&
               c.get("fe", "FRONTEND", "scur") == "0";
      },
      milliseconds(5000));
  return out;
}

TEST(StatsCsv, SameColumnsRowsAndCountersAsHAProxy) {
  HttpBackend live;
  std::string our_json, their_json;
  const std::string ours = run("", live.port(), &our_json);
  const std::string theirs = run("haproxy", live.port(), &their_json);
  const Csv a = parse(ours), b = parse(theirs);
  ASSERT_FALSE(b.names.empty()) << theirs;
  EXPECT_EQ(ours.substr(0, ours.find('\n')), theirs.substr(0, theirs.find('\n')));
  ASSERT_EQ(a.rows.size(), b.rows.size()) << ours << "\n---\n" << theirs;
  // Counters both count the same way for this traffic.
  const std::vector<std::string> same = {
      "pxname",   "svname",       "qcur",       "scur",          "slim",
      "stot",     "status",       "weight",     "act",           "bck",
      "qlimit",   "pid",          "iid",        "sid",           "lbtot",
      "type",     "hrsp_1xx",     "hrsp_2xx",   "hrsp_3xx",      "hrsp_4xx",
      "hrsp_5xx", "hrsp_other",   "req_tot",    "econ",          "wretr",
      "wredis",   "check_status", "check_rise", "check_fall",    "check_health",
      "addr",     "mode",         "algo",       "conn_tot",      "intercepted",
      "dcon",     "dses",         "wrew",       "connect",       "uweight",
      "rate_lim", "comp_in",      "comp_rsp",   "cache_lookups", "h2_open_connections",
      "-"};
  for (size_t r = 0; r < b.rows.size(); ++r) {
    const std::string id = b.rows[r][0] + "," + b.rows[r][1];
    ASSERT_EQ(a.rows[r][0] + "," + a.rows[r][1], id);
    for (const std::string& col : same)
      EXPECT_EQ(a.get(b.rows[r][0], b.rows[r][1], col), b.get(b.rows[r][0], b.rows[r][1], col))
          << id << " " << col;
    for (size_t i = 0; i < b.names.size(); ++i) {
      const bool empty_a = a.rows[r][i].empty(), empty_b = b.rows[r][i].empty();
      if (empty_a == empty_b) continue;
      ADD_FAILURE() << id << " " << b.names[i] << ": hearth '" << a.rows[r][i] << "', haproxy '"
                    << b.rows[r][i] << "'";
    }
  }
  // ;json: each field HAProxy shows has the same position, tags and type in
  // Hearth's answer, the idle pools of every thread included.
  const auto our_schema = json_schema(our_json), their_schema = json_schema(their_json);
  EXPECT_GT(their_schema.size(), 200u) << their_json.substr(0, 300);
  for (const auto& [key, value] : their_schema) {
    const auto it = our_schema.find(key);
    EXPECT_EQ(it == our_schema.end() ? "absent" : it->second, value) << key;
  }
  // The traffic is there: 5 + 1 + 1 through s1, the deny and the stats page.
  EXPECT_EQ(a.get("be", "s1", "stot"), "7");
  EXPECT_EQ(a.get("fe", "FRONTEND", "hrsp_2xx"), "5");
  EXPECT_EQ(a.get("fe", "FRONTEND", "hrsp_4xx"), "2");
  EXPECT_EQ(a.get("st", "FRONTEND", "hrsp_4xx"), "1");
  EXPECT_EQ(a.get("tl", "t1", "stot"), "1");
}

}  // namespace
}  // namespace hearth::test::http
