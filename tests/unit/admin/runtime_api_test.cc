#include "admin/runtime_api.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/buffer.h"
#include "expr/map.h"
#include "unit/admin/test_servers.h"

namespace hearth::admin {
namespace {

class RuntimeApiTest : public ::testing::Test {
 protected:
  RuntimeApiTest() : be_("app", backend::LbKind::kRoundRobin, 2) {
    testing::add_idle_servers(be_, {"s1", "s2"});
    fe_.name = "public";
    fe_.default_backend = &be_;
    api_ = std::make_unique<RuntimeApi>(std::vector<backend::Backend*>{&be_},
                                        std::vector<stream::Frontend*>{&fe_}, 1,
                                        [this](const std::function<void(int)>& fn) {
                                          ++thread_calls_;
                                          fn(0);
                                        });
  }
  backend::Backend be_;
  stream::Frontend fe_;
  std::unique_ptr<RuntimeApi> api_;
  int thread_calls_ = 0;
};

TEST_F(RuntimeApiTest, ShowServersConnListsEveryServerWithItsCounters) {
  be_.servers()[0]->counters.local().reused.add(7);
  be_.servers()[1]->counters.local().conns_opened.add(3);
  std::string out = api_->execute("show servers conn", false);
  EXPECT_NE(out.find("# be_name/srv_name"), std::string::npos);
  // Columns: name addr used idle safe unsafe purge pool_max learned retire opened reused ...
  EXPECT_NE(out.find("app/s1 127.0.0.1:9 0 0 0 0 5000 -1 - - 0 0 7 "), std::string::npos) << out;
  EXPECT_NE(out.find("app/s2 127.0.0.1:9 0 0 0 0 5000 -1 - - 0 3 0 "), std::string::npos) << out;
  EXPECT_EQ(thread_calls_, 1);  // idle pool figures are read on the worker threads
  EXPECT_EQ(out.substr(out.size() - 2), "\n\n");
}

TEST_F(RuntimeApiTest, ShowServersConnFiltersByBackend) {
  EXPECT_EQ(api_->execute("show servers conn nope", false), "No such backend.\n\n");
  EXPECT_NE(api_->execute("show servers conn app", false).find("app/s2"), std::string::npos);
}

// Returns: column `col` of row "px,sv" of a `show stat` answer, split at
// commas (the fields these tests read hold none); "?" if absent.
std::string stat_field(const std::string& out, const std::string& px, const std::string& sv,
                       const std::string& col) {
  std::istringstream in(out);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> names;
  std::istringstream h(line.substr(2));
  for (std::string c; std::getline(h, c, ',');) names.push_back(c);
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::istringstream cols(line);
    for (std::string c; std::getline(cols, c, ',');) f.push_back(c);
    if (f.size() < 2 || f[0] != px || f[1] != sv) continue;
    for (size_t i = 0; i < names.size() && i < f.size(); ++i)
      if (names[i] == col) return f[i];
    return "";  // a trailing empty field
  }
  return "?";
}

TEST_F(RuntimeApiTest, DisableServerNeedsAdminAndChangesState) {
  EXPECT_EQ(api_->execute("disable server app/s1", false), "Permission denied\n\n");
  EXPECT_FALSE(be_.servers()[0]->disabled.load());
  EXPECT_EQ(api_->execute("disable server app/s1", true), "\n");
  EXPECT_TRUE(be_.servers()[0]->disabled.load());
  EXPECT_EQ(stat_field(api_->execute("show stat", false), "app", "s1", "status"), "MAINT");
  EXPECT_EQ(api_->execute("enable server app/s1", true), "\n");
  EXPECT_FALSE(be_.servers()[0]->disabled.load());
  EXPECT_EQ(api_->execute("enable server app/zz", true), "No such server.\n\n");
}

TEST_F(RuntimeApiTest, ShowStatReportsCheckState) {
  backend::Server& s1 = *be_.servers()[0];
  s1.health.checked = true;
  s1.health.rise = 2;
  s1.health.fall = 3;
  s1.health.health = 1;  // DOWN, one success of two
  s1.health.failed_checks = 4;
  s1.health.down_transitions = 1;
  s1.health.set_last(backend::CheckStatus::kL4Con, 0, 3, "Connection refused");
  s1.up = false;
  std::string out = api_->execute("show stat", false);
  auto f = [&](const char* sv, const char* col) { return stat_field(out, "app", sv, col); };
  EXPECT_EQ(f("s1", "status"), "DOWN 1/2") << out;
  EXPECT_EQ(f("s1", "chkfail"), "4");
  EXPECT_EQ(f("s1", "chkdown"), "1");
  EXPECT_EQ(f("s1", "check_status"), "L4CON");
  EXPECT_EQ(f("s1", "check_code"), "");
  EXPECT_EQ(f("s1", "check_duration"), "3");
  EXPECT_EQ(f("s1", "last_chk"), "Connection refused");
  EXPECT_EQ(f("s1", "check_desc"), "Layer4 connection problem");
  EXPECT_EQ(f("s1", "check_health"), "1");
  // A server without checks: no check columns, as HAProxy.
  EXPECT_EQ(f("s2", "status"), "no check");
  EXPECT_EQ(f("s2", "chkfail"), "");
  EXPECT_EQ(f("s2", "check_rise"), "");
  // The backend: one usable server of weight 1.
  EXPECT_EQ(f("BACKEND", "status"), "UP");
  EXPECT_EQ(f("BACKEND", "act"), "1");
  EXPECT_EQ(f("BACKEND", "weight"), "1");
  s1.health.health = 3;
  s1.up = true;
  s1.health.set_last(backend::CheckStatus::kL7Sts, 503, 1, "HTTP status 503, for once");
  out = api_->execute("show stat", false);
  EXPECT_EQ(f("s1", "status"), "UP 2/3") << out;
  EXPECT_EQ(f("s1", "check_code"), "503");
  // A field holding the separator is quoted, as HAProxy's CSV.
  EXPECT_NE(out.find(",L7STS,503,1,"), std::string::npos) << out;
  EXPECT_NE(out.find(",\"HTTP status 503, for once\","), std::string::npos) << out;
  EXPECT_EQ(f("BACKEND", "act"), "2");
  // Maintenance hides the check state.
  EXPECT_EQ(api_->execute("disable server app/s1", true), "\n");
  out = api_->execute("show stat", false);
  EXPECT_EQ(f("s1", "status"), "MAINT");
  EXPECT_EQ(f("BACKEND", "act"), "1");
}

// Options Hearth lacks are refused, never answered as the plain command.
TEST_F(RuntimeApiTest, OptionsNotSupportedAreRefused) {
  EXPECT_EQ(api_->execute("show stat domain dns", false), "Invalid statistics domain.\n\n");
  // The forms it has answer in their own format.
  EXPECT_EQ(api_->execute("show stat typed", false).rfind("S.0.1.0.pxname.1:KNS:str:app\n", 0), 0u);
  EXPECT_EQ(api_->execute("show info json", false).rfind("[{\"field\":{\"pos\":0,", 0), 0u);
  EXPECT_EQ(api_->execute("show pools byname", false),
            "'show pools' does not support 'byname' in Hearth.\n\n");
  EXPECT_EQ(api_->execute("show metrics x", false),
            "'show metrics' does not support 'x' in Hearth.\n\n");
  EXPECT_EQ(api_->execute("show servers conn app x", false),
            "'show servers conn app' does not support 'x' in Hearth.\n\n");
  EXPECT_EQ(api_->execute("help show", false), "'help' does not support 'show' in Hearth.\n\n");
  EXPECT_EQ(api_->execute("show stat", false).rfind("# pxname,", 0), 0u);
}

TEST_F(RuntimeApiTest, ShowStatHasHAProxyColumnsAndIds) {
  fe_.id = 4;
  be_.id = 9;
  be_.servers()[1]->puid = 2;
  std::string out = api_->execute("show stat", false);
  // HAProxy 2.6's header: the static fields, "-", then the modules' fields.
  EXPECT_EQ(out.rfind("# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,", 0),
            0u);
  EXPECT_NE(out.find(",uweight,agg_server_status,agg_server_check_status,agg_check_status,-,"
                     "ssl_sess,"),
            std::string::npos);
  // Rows by proxy id: the frontend (4) before the backend's servers and BACKEND (9).
  EXPECT_LT(out.find("public,FRONTEND,"), out.find("app,s1,"));
  EXPECT_LT(out.find("app,s2,"), out.find("app,BACKEND,"));
  EXPECT_EQ(stat_field(out, "public", "FRONTEND", "iid"), "4");
  EXPECT_EQ(stat_field(out, "public", "FRONTEND", "type"), "0");
  EXPECT_EQ(stat_field(out, "public", "FRONTEND", "qcur"), "");  // as HAProxy: no queue
  EXPECT_EQ(stat_field(out, "app", "s2", "iid"), "9");
  EXPECT_EQ(stat_field(out, "app", "s2", "sid"), "2");
  EXPECT_EQ(stat_field(out, "app", "s2", "type"), "2");
  EXPECT_EQ(stat_field(out, "app", "s2", "addr"), "127.0.0.1:9");
  EXPECT_EQ(stat_field(out, "app", "BACKEND", "type"), "1");
  EXPECT_EQ(stat_field(out, "app", "BACKEND", "algo"), "roundrobin");
  // Every row has as many fields as the header.
  std::istringstream in(out);
  for (std::string line; std::getline(in, line) && !line.empty();)
    EXPECT_EQ(std::count(line.begin(), line.end(), ','), 128) << line;
}

TEST_F(RuntimeApiTest, ShowInfoCountsPipesAndSplicedBytes) {
  std::string out = api_->execute("show info", false);
  EXPECT_NE(out.find("\nPipesUsed: "), std::string::npos) << out;
  EXPECT_NE(out.find("\nPipesFree: "), std::string::npos) << out;
  EXPECT_NE(out.find("\nSplicedBytes: "), std::string::npos) << out;
}

TEST_F(RuntimeApiTest, MetricsShowWhetherEachServerTakesTraffic) {
  be_.servers()[0]->up = false;
  be_.servers()[0]->health.failed_checks = 2;
  std::string out = api_->execute("show metrics", false);
  EXPECT_NE(out.find("# TYPE hearth_server_up gauge"), std::string::npos) << out;
  EXPECT_NE(out.find("hearth_server_up{proxy=\"app\",server=\"s1\"} 0"), std::string::npos);
  EXPECT_NE(out.find("hearth_server_up{proxy=\"app\",server=\"s2\"} 1"), std::string::npos);
  EXPECT_EQ(api_->execute("disable server app/s2", true), "\n");
  out = api_->execute("show metrics", false);
  EXPECT_NE(out.find("hearth_server_up{proxy=\"app\",server=\"s2\"} 0"), std::string::npos);
}

TEST_F(RuntimeApiTest, ShowPoolsListsNamedPools) {
  Buffer::pool();  // pools register when first used
  std::string out = api_->execute("show pools", false);
  EXPECT_NE(out.find("Pool buffer"), std::string::npos) << out;
  EXPECT_NE(out.find("Total: "), std::string::npos);
}

TEST_F(RuntimeApiTest, MetricsAreInPrometheusFormat) {
  be_.servers()[1]->counters.local().retries_reuse_race.add(4);
  be_.servers()[1]->counters.local().reused.add(9);
  std::string out = api_->execute("show metrics", false);
  EXPECT_NE(out.find("# TYPE hearth_server_retries_total counter"), std::string::npos);
  EXPECT_NE(out.find("hearth_server_retries_total{proxy=\"app\",server=\"s2\",reason=\"reuse-"
                     "race\"} 4\n"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("hearth_server_retries_total{proxy=\"app\",server=\"s2\",reason=\"retry-"
                     "on\"} 0\n"),
            std::string::npos);
  EXPECT_NE(out.find("hearth_server_reused_total{proxy=\"app\",server=\"s2\"} 9\n"),
            std::string::npos);
  EXPECT_NE(out.find("haproxy_frontend_sessions_total{proxy=\"public\"} 0\n"), std::string::npos);
}

// Map and ACL commands on references loaded as the configuration would:
// listing, entries, changes, permissions and the CLI's backslash escapes.
TEST_F(RuntimeApiTest, MapAndAclCommands) {
  struct Lines : expr::PatternSource {
    bool read_lines(const std::string& path, std::vector<std::string>* lines,
                    std::string*) override {
      if (path == "/m") *lines = {"k1 v1"};
      return true;
    }
  } files;
  expr::PatRefRegistry::instance().reset();
  expr::set_load_origin("t.cfg", 4);
  std::string err;
  auto map =
      expr::Map::load("/m", expr::MatchMethod::kStr, expr::SmpType::kStr, false, files, &err);
  ASSERT_NE(map, nullptr) << err;
  auto strip = [](std::string s) {  // entry references are addresses
    for (size_t p; (p = s.find("0x")) != std::string::npos;)
      s.replace(p, s.find(' ', p) - p, "REF");
    return s;
  };
  EXPECT_EQ(api_->execute("show map", false),
            "# id (file) description\n0 (/m) pattern loaded from file '/m' used by map at file "
            "'t.cfg' line 4. curr_ver=0 next_ver=0 entry_cnt=1\n\n");
  EXPECT_EQ(api_->execute("add map /m k2 v2", false), "Permission denied\n\n");
  EXPECT_EQ(api_->execute("add map #0 k\\ 2 v\\;2", true), "\n");
  EXPECT_EQ(strip(api_->execute("show map /m", false)), "REF k1 v1\nREF k 2 v;2\n\n");
  expr::Sample key, value;
  key.set_str("k 2");
  ASSERT_TRUE(map->lookup(key, &value));
  EXPECT_EQ(value.str, "v;2");
  EXPECT_EQ(api_->execute("get map /m k1", false),
            "type=str, case=sensitive, found=yes, idx=tree, key=\"k1\", value=\"v1\", "
            "type=\"str\"\n\n");
  EXPECT_EQ(api_->execute("set map /m k1 new", true), "\n");
  EXPECT_EQ(api_->execute("del map /m nope", true), "Key not found.\n\n");
  EXPECT_EQ(api_->execute("clear map /m", true), "\n");
  EXPECT_FALSE(map->lookup(key, &value));
  EXPECT_EQ(api_->execute("show acl /m", false),
            "Unknown ACL identifier. Please use #<id> or <file>.\n\n");
  EXPECT_EQ(api_->execute("show mapping", true),
            "Unknown command: 'show mapping'. Try 'help'.\n\n");
  expr::PatRefRegistry::instance().reset();
}

TEST_F(RuntimeApiTest, UnknownCommandIsNamed) {
  EXPECT_EQ(api_->execute("show nothing", true),
            "Unknown command: 'show nothing'. Try 'help'.\n\n");
  EXPECT_NE(api_->execute("help", false).find("show servers conn"), std::string::npos);
}

}  // namespace
}  // namespace hearth::admin

namespace hearth::admin {
namespace {

// HAProxy 2.6's answers, measured with haproxy 2.6.12 on the same commands.
TEST_F(RuntimeApiTest, GetAndSetProcVariables) {
  CliSession user;
  user.level = config::CliLevel::kOperator;  // get var needs operator
  EXPECT_EQ(api_->execute("get var", user), "Missing process-wide variable identifier.\n\n");
  EXPECT_EQ(api_->execute("get var proc.cli_never", user), "Variable not found.\n\n");
  EXPECT_EQ(api_->execute("get var txn.cli", user), "Variable not found.\n\n");
  EXPECT_EQ(api_->execute("set var proc.cli_x int(5)", user),
            "This command is restricted to experimental mode only.\n\n");
  EXPECT_EQ(api_->execute("experimental-mode on", user), "Permission denied\n\n");

  CliSession admin;
  admin.level = config::CliLevel::kAdmin;
  EXPECT_EQ(api_->execute("experimental-mode", admin), "experimental-mode is OFF\n\n");
  EXPECT_EQ(api_->execute("experimental-mode on", admin), "\n");
  EXPECT_EQ(api_->execute("experimental-mode", admin), "experimental-mode is ON\n\n");
  EXPECT_EQ(api_->execute("set var proc.cli_x int(5)", admin), "\n");
  EXPECT_EQ(api_->execute("get var proc.cli_x", user), "proc.cli_x: type=sint value=<5>\n");
  EXPECT_EQ(api_->execute("set var proc.cli_x expr str(abc),upper", admin), "\n");
  EXPECT_EQ(api_->execute("get var proc.cli_x", user), "proc.cli_x: type=str value=<ABC>\n");
  EXPECT_EQ(api_->execute("set var proc.cli_x fmt x%[var(proc.cli_x),lower]y", admin), "\n");
  EXPECT_EQ(api_->execute("get var proc.cli_x", user), "proc.cli_x: type=str value=<xabcy>\n");
  EXPECT_EQ(api_->execute("set var proc.cli_b expr bin(4142)", admin), "\n");
  EXPECT_EQ(api_->execute("get var proc.cli_b", user), "proc.cli_b: type=bin value=<AB>\n");
  EXPECT_EQ(api_->execute("set var proc.cli_x", admin),
            "Missing either 'expr', 'fmt' or expression.\n\n");
  EXPECT_EQ(api_->execute("set var proc.cli_x int(4) junk", admin),
            "'set var': arg type must be either 'expr' or 'fmt' but got 'int(4)'.\n");
  EXPECT_EQ(api_->execute("set var txn.cli_x str(1)", admin),
            "'set var': cannot set variable 'txn.cli_x', only scope 'proc' is permitted here.\n");
  EXPECT_EQ(api_->execute("set var proc.cli_x expr src", admin),
            "fetch method 'src' extracts information from 'client address', none of which is "
            "available here\n");
  EXPECT_EQ(api_->execute("experimental-mode off", admin), "\n");
  EXPECT_EQ(api_->execute("set var proc.cli_x int(1)", admin),
            "This command is restricted to experimental mode only.\n\n");
  EXPECT_EQ(api_->execute("get var proc.cli_x", user), "proc.cli_x: type=str value=<xabcy>\n");
}

}  // namespace
}  // namespace hearth::admin
