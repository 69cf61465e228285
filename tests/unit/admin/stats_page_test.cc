// The stats page's builder without sockets: its options, the admin form, and
// what the HTML and the CSV hold.
#include "admin/stats_page.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "admin/stats_admin.h"
#include "admin/stats_html.h"
#include "unit/admin/test_servers.h"

namespace hearth::admin {
namespace {

class StatsPageTest : public ::testing::Test {
 protected:
  StatsPageTest() : be_("app", backend::LbKind::kRoundRobin, 2) {
    testing::add_idle_servers(be_, {"s1", "s<2>"});
    be_.id = 3;
    be_.settings.mode = config::Mode::kHttp;
    fe_.name = "web";
    fe_.id = 2;
    fe_.mode = config::Mode::kHttp;
    StatSources src;
    src.frontends = {&fe_};
    src.backends = {&be_};
    src.global_maxconn = 100;
    RuntimeApi::ProcessInfo info;
    info.node = "n1";
    page_ = std::make_unique<StatsPage>(src, info, 1);
    cfg_.enabled = true;
    cfg_.uri = "/st";
  }
  stream::StatsPageAnswer get(std::string_view rest, bool admin = false) {
    stream::StatsPageRequest q;
    q.cfg = &cfg_;
    q.rest = rest;
    q.admin = admin;
    stream::StatsPageAnswer a;
    page_->build(q, &a);
    return a;
  }
  std::string field(const stream::StatsPageAnswer& a, const std::string& name) {
    for (const auto& [n, v] : a.fields)
      if (n == name) return v;
    return "-";
  }
  backend::Backend be_;
  stream::Frontend fe_;
  config::StatsPageConfig cfg_;
  std::unique_ptr<StatsPage> page_;
};

TEST_F(StatsPageTest, ViewOptionsAnywhereAfterTheUri) {
  const StatsView v = parse_stats_view("?x;up;norefresh;st=DONE;csv");
  EXPECT_TRUE(v.up_only && v.norefresh && v.csv);
  EXPECT_FALSE(v.json);
  EXPECT_EQ(v.status, "DONE");
  EXPECT_FALSE(parse_stats_view("").csv);
}

TEST_F(StatsPageTest, HtmlHasEveryProxyAndServerEscaped) {
  cfg_.refresh_ms = 4500;
  const stream::StatsPageAnswer a = get("");
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(field(a, "refresh"), "5");
  EXPECT_EQ(field(a, "content-type"), "text/html; charset=utf-8");
  EXPECT_NE(a.body.find("<h2 id=\"web\">"), std::string::npos);
  EXPECT_NE(a.body.find("<h2 id=\"app\">"), std::string::npos);
  EXPECT_NE(a.body.find("s&lt;2&gt;"), std::string::npos);
  EXPECT_EQ(a.body.find("s<2>"), std::string::npos);
  EXPECT_EQ(a.body.find("<script"), std::string::npos);
  EXPECT_EQ(a.body.find("<form method=\"post\""), std::string::npos);  // no admin: no form
  EXPECT_EQ(a.body.find("node = "), std::string::npos);
  cfg_.show_node = true;
  cfg_.hide_version = true;
  const stream::StatsPageAnswer b = get(";norefresh;st=DENY", true);
  EXPECT_EQ(field(b, "refresh"), "-");
  EXPECT_NE(b.body.find("node = n1"), std::string::npos);
  EXPECT_EQ(b.body.find("version"), std::string::npos);
  EXPECT_NE(b.body.find("has no admin access"), std::string::npos);
  EXPECT_NE(b.body.find("<input type=\"hidden\" name=\"b\" value=\"#3\">"), std::string::npos);
}

TEST_F(StatsPageTest, CsvScopeAndUp) {
  be_.servers()[0]->disabled = true;
  cfg_.scope = {"app"};
  const stream::StatsPageAnswer a = get(";csv;up");
  EXPECT_EQ(field(a, "content-type"), "text/plain");
  EXPECT_EQ(a.body.rfind("# pxname,svname,", 0), 0u);
  EXPECT_EQ(a.body.find("\nweb,"), std::string::npos);
  EXPECT_EQ(a.body.find("\napp,s1,"), std::string::npos);  // in maintenance: not UP
  EXPECT_NE(a.body.find("\napp,s<2>,"), std::string::npos);
  EXPECT_NE(a.body.find("\napp,BACKEND,"), std::string::npos);
  // ";json": HAProxy's objects, one array per row, only the fields with a value.
  const stream::StatsPageAnswer j = get(";json");
  EXPECT_EQ(field(j, "content-type"), "application/json");
  EXPECT_EQ(j.body.rfind("[[{\"objType\":\"Server\",\"proxyId\":3,\"id\":1,\"field\":{\"pos\":0,"
                         "\"name\":\"pxname\"},\"processNum\":1,\"tags\":{\"origin\":\"Key\","
                         "\"nature\":\"Name\",\"scope\":\"Service\"},\"value\":{\"type\":\"str\","
                         "\"value\":\"app\"}}",
                         0),
            0u)
      << j.body;
  EXPECT_NE(j.body.find("\"field\":{\"pos\":7,\"name\":\"stot\"},\"processNum\":1,\"tags\":{"
                        "\"origin\":\"Metric\",\"nature\":\"Counter\",\"scope\":\"Process\"},"
                        "\"value\":{\"type\":\"u64\",\"value\":0}}"),
            std::string::npos);
  EXPECT_NE(j.body.find("{\"pos\":106,\"name\":\"h2_headers_rcvd\"}"), std::string::npos)
      << "module fields follow the static ones at 103: the '-' has no position";
  EXPECT_EQ(j.body.find("\"name\":\"-\""), std::string::npos);
  // "scope=" in the target (the page's search form): a part of the name, any case.
  cfg_.scope.clear();
  EXPECT_EQ(parse_stats_view("?;csv;scope=b1&x").search, "b1");
  const std::string searched = get("?;csv;scope=WE").body;
  EXPECT_NE(searched.find("\nweb,FRONTEND,"), std::string::npos) << searched;
  EXPECT_EQ(searched.find("\napp,"), std::string::npos) << searched;
}

TEST_F(StatsPageTest, AdminFormSetsStatesAndSaysHowItWent) {
  EXPECT_EQ(form_decode("a+b%3c%2F%zz"), "a b</%zz");
  backend::Server& s1 = *be_.servers()[0];
  StatSources src;
  src.backends = {&be_};
  int posted = 0;  // "shutdown" posts the kill to the workers
  src.post_all = [&posted](const std::function<void()>&) { ++posted; };
  EXPECT_EQ(apply_stats_form("s=s1&action=maint&b=%233", src, "t"), "DONE");
  EXPECT_TRUE(s1.disabled.load());
  EXPECT_EQ(apply_stats_form("s=s1&s=nope&action=drain&b=app", src, "t"), "PART");
  EXPECT_FALSE(s1.disabled.load());
  EXPECT_TRUE(s1.drain.load());
  EXPECT_EQ(apply_stats_form("action=ready&b=app", src, "t"), "NONE");
  EXPECT_EQ(apply_stats_form("s=s1&action=shutdown&b=app", src, "t"), "DONE");
  EXPECT_EQ(posted, 1);
  EXPECT_EQ(apply_stats_form("s=s1&action=ready&b=#9", src, "t"), "ERRP");
  EXPECT_EQ(apply_stats_form("s=s1&action=ready&b=app", src, "t"), "DONE");
  EXPECT_FALSE(s1.drain.load());
  // The check actions: forcing the health applies to an unchecked server too,
  // the agent's and the checks' own only where they are configured.
  EXPECT_EQ(apply_stats_form("s=s1&action=hdown&b=app", src, "t"), "DONE");
  EXPECT_FALSE(s1.up.load());
  EXPECT_EQ(apply_stats_form("s=s1&action=hnolb&b=app", src, "t"), "DONE");
  EXPECT_TRUE(s1.up.load());
  EXPECT_TRUE(s1.stopping.load());
  EXPECT_FALSE(s1.usable());
  EXPECT_EQ(apply_stats_form("s=s1&action=hrunn&b=app", src, "t"), "DONE");
  EXPECT_FALSE(s1.stopping.load());
  EXPECT_EQ(apply_stats_form("s=s1&action=adown&b=app", src, "t"), "NONE");
  EXPECT_EQ(apply_stats_form("s=s1&action=ehlth&b=app", src, "t"), "NONE");
  EXPECT_EQ(apply_stats_form("s=s1&action=hsideways&b=app", src, "t"), "ERRP");
  // Through the page: a POST is answered by a 303 to the result.
  stream::StatsPageRequest q;
  q.cfg = &cfg_;
  q.post = true;
  q.body = "s=s1&action=maint&b=app";
  stream::StatsPageAnswer a;
  page_->build(q, &a);  // not admin
  EXPECT_EQ(a.status, 303);
  EXPECT_EQ(field(a, "location"), "/st;st=DENY");
  EXPECT_FALSE(s1.disabled.load());
}

TEST_F(StatsPageTest, HumanDurations) {
  EXPECT_EQ(human_duration(7), "7s");
  EXPECT_EQ(human_duration(366), "6m6s");
  EXPECT_EQ(human_duration(7300), "2h1m");
  EXPECT_EQ(human_duration(90000), "1d1h");
}

}  // namespace
}  // namespace hearth::admin
