// The stats page's builder without sockets: its options, the admin form, and
// what the HTML and the CSV hold.
#include "admin/stats_page.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

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

// Returns: the text of each cell of the row named `name` (its first cell).
std::vector<std::string> cells_of(const std::string& body, const std::string& name) {
  const size_t at = body.find("<td class=\"n\">" + name);
  std::vector<std::string> out;
  if (at == std::string::npos) return out;
  const size_t end = body.find("</tr>", at);
  for (size_t p = at; (p = body.find("<td", p)) < end;) {
    const size_t open = body.find('>', p) + 1;
    const size_t close = body.find("</td>", open);
    std::string text;
    bool tag = false;
    for (char c : body.substr(open, close - open)) {
      if (c == '<') tag = true;
      if (!tag) text += c;
      if (c == '>') tag = false;
    }
    out.push_back(text);
    p = close;
  }
  return out;
}

TEST_F(StatsPageTest, LastSessionAndResponseErrorsColumns) {
  backend::Server& s1 = *be_.servers()[0];
  s1.counters.note_session(backend::stat_now_ms());
  s1.counters.local().failed_resp.add(2);
  be_.counters.local().failed_resp.add(2);
  const std::vector<std::string> one = cells_of(get("").body, "s1");
  const std::vector<std::string> two = cells_of(get("").body, "s&lt;2&gt;");
  ASSERT_GT(one.size(), 19u);
  ASSERT_GT(two.size(), 19u);
  // Name, 3 queue, 3 rate, then Cur Max Limit Total LbTot Last (12), Bytes
  // In Out, Denied Req Resp, Errors Req Conn Resp (19).
  EXPECT_EQ(one[12], "0s");
  EXPECT_EQ(two[12], "never");
  EXPECT_EQ(one[19], "2");
  EXPECT_EQ(two[19], "0");
  const std::vector<std::string> be = cells_of(get("").body, "Backend");
  ASSERT_GT(be.size(), 19u);
  EXPECT_EQ(be[12], "never");  // the backend's own: no stream came to it
  EXPECT_EQ(be[19], "2");
  EXPECT_EQ(cells_of(get("").body, "Frontend")[12], "");  // frontends do not count it
}

TEST_F(StatsPageTest, ShowDescLegendsAndModules) {
  const std::string plain = get("").body;
  EXPECT_EQ(plain.find("a test node"), std::string::npos);
  EXPECT_EQ(plain.find(" id 1</span>"), std::string::npos);
  EXPECT_EQ(plain.find("ssl, h2, h1"), std::string::npos);
  cfg_.show_desc = true;
  cfg_.desc = "a test node";
  cfg_.show_legends = true;
  cfg_.show_modules = true;
  const std::string all = get("").body;
  EXPECT_NE(all.find("<tr><td>a test node</td></tr>"), std::string::npos);
  // The legend beside a server's name: its address and id.
  const std::vector<std::string> one = cells_of(all, "s1");
  ASSERT_FALSE(one.empty());
  EXPECT_NE(one[0].find(" id 1"), std::string::npos) << one[0];
  // The modules' column: their fields in the cell's title.
  EXPECT_NE(all.find("ssl, h2, h1"), std::string::npos);
  EXPECT_NE(all.find("h1_open_streams: "), std::string::npos);
}

TEST_F(StatsPageTest, HumanDurations) {
  EXPECT_EQ(human_duration(7), "7s");
  EXPECT_EQ(human_duration(366), "6m6s");
  EXPECT_EQ(human_duration(7300), "2h1m");
  EXPECT_EQ(human_duration(90000), "1d1h");
}

}  // namespace
}  // namespace hearth::admin
