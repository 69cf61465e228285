// Section kinds, defaults inheritance, and multi-file parsing.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::dump;
using testing::has;
using testing::only_error;
using testing::parse;

TEST(Sections, EachKindBecomesAProxyInFileOrder) {
  auto r = parse(
      "global\n"
      "  maxconn 100\n"
      "frontend fe\n"
      "  bind :80\n"
      "backend be\n"
      "  server s1 10.0.0.1:80\n"
      "listen li\n"
      "  bind :81\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  ASSERT_EQ(r.config.proxies.size(), 3u);
  EXPECT_EQ(r.config.proxies[0].kind, ProxyKind::kFrontend);
  EXPECT_EQ(r.config.proxies[0].name, "fe");
  EXPECT_EQ(r.config.proxies[0].loc.line, 3);
  EXPECT_EQ(r.config.proxies[0].loc.file, "t.cfg");
  EXPECT_EQ(r.config.proxies[1].kind, ProxyKind::kBackend);
  EXPECT_EQ(r.config.proxies[2].kind, ProxyKind::kListen);
  EXPECT_EQ(r.config.global.maxconn, 100);
}

TEST(Sections, DefaultsDoNotAppearAsProxies) {
  auto r = parse("defaults\n  mode http\ndefaults named\n  mode tcp\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(r.config.proxies.empty());
}

TEST(Sections, ListenLineAddressIsABind) {
  auto r = parse("listen li 127.0.0.1:8080\n  server s 10.0.0.1:80\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  ASSERT_EQ(r.config.proxies[0].binds.size(), 1u);
  EXPECT_EQ(r.config.proxies[0].binds[0].address, "127.0.0.1:8080");
  EXPECT_EQ(r.config.proxies[0].binds[0].loc.line, 1);
}

TEST(Sections, ProxyTakesTheMostRecentDefaults) {
  auto r = parse(
      "defaults\n"
      "  mode http\n"
      "  timeout connect 3s\n"
      "  retries 5\n"
      "backend a\n"
      "defaults\n"
      "  timeout server 7s\n"
      "backend b\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const ProxyConfig& a = r.config.proxies[0];
  EXPECT_EQ(a.mode, Mode::kHttp);
  EXPECT_EQ(a.timeouts.connect, 3000);
  EXPECT_EQ(a.retries, 5);
  // The second defaults section starts from the built-in values.
  const ProxyConfig& b = r.config.proxies[1];
  EXPECT_EQ(b.mode, Mode::kTcp);
  EXPECT_EQ(b.timeouts.connect, std::nullopt);
  EXPECT_EQ(b.timeouts.server, 7000);
  EXPECT_EQ(b.retries, 3);
}

TEST(Sections, ProxySettingsOverrideDefaultsWithoutLeaking) {
  auto r = parse(
      "defaults\n  mode http\n  timeout client 1s\n"
      "frontend a\n  mode tcp\n  timeout client 2s\n"
      "frontend b\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.proxies[0].mode, Mode::kTcp);
  EXPECT_EQ(r.config.proxies[0].timeouts.client, 2000);
  EXPECT_EQ(r.config.proxies[1].mode, Mode::kHttp);
  EXPECT_EQ(r.config.proxies[1].timeouts.client, 1000);
}

TEST(Sections, DefaultBackendIsInheritedByFrontendsOnly) {
  auto r = parse("defaults\n  default_backend be\nfrontend fe\nbackend be\nlisten li\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.proxies[0].default_backend, "be");
  EXPECT_EQ(r.config.proxies[0].default_backend_loc.line, 2);
  EXPECT_EQ(r.config.proxies[1].default_backend, "");
  EXPECT_EQ(r.config.proxies[2].default_backend, "be");
}

TEST(Sections, DefaultServerFromDefaultsAppliesToLaterServers) {
  auto r = parse(
      "defaults\n  default-server weight 7 maxconn 20\n"
      "backend be\n"
      "  server a 10.0.0.1:80\n"
      "  default-server weight 9\n"
      "  server b 10.0.0.2:80 maxconn 5\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const auto& s = r.config.proxies[0].servers;
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].weight, 7);
  EXPECT_EQ(s[0].maxconn, 20);
  EXPECT_EQ(s[1].weight, 9);
  EXPECT_EQ(s[1].maxconn, 5);
}

TEST(Sections, NamedDefaultsSelectedWithFrom) {
  auto r = parse(
      "defaults web\n  mode http\n"
      "defaults raw\n  mode tcp\n  retries 1\n"
      "backend b1 from web\n"
      "backend b2\n"
      "defaults web2 from web\n  retries 9\n"
      "backend b3\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.proxies[0].mode, Mode::kHttp);
  EXPECT_EQ(r.config.proxies[0].retries, 3);
  EXPECT_EQ(r.config.proxies[1].mode, Mode::kTcp);  // most recent: raw
  EXPECT_EQ(r.config.proxies[1].retries, 1);
  EXPECT_EQ(r.config.proxies[2].mode, Mode::kHttp);  // web2 inherits web
  EXPECT_EQ(r.config.proxies[2].retries, 9);
}

TEST(Sections, FromUnknownDefaultsIsAnError) {
  auto r = parse("backend b from nowhere\n");
  EXPECT_EQ(only_error(r),
            "t.cfg:1: 'backend': no defaults section named 'nowhere' appears before this line");
}

TEST(Sections, DuplicateNamedDefaultsIsAnError) {
  auto r = parse("defaults d\ndefaults d\n");
  EXPECT_EQ(only_error(r), "t.cfg:2: 'defaults': a defaults section named 'd' already exists");
}

TEST(Sections, HeaderErrors) {
  EXPECT_EQ(only_error(parse("frontend\n")),
            "t.cfg:1: 'frontend': missing name: expects 'frontend NAME [from DEFAULTS]'");
  EXPECT_EQ(only_error(parse("backend a b\n")),
            "t.cfg:1: 'backend': unexpected argument 'b': expects 'backend NAME [from DEFAULTS]'");
  EXPECT_EQ(
      only_error(parse("listen a :80 extra\n")),
      "t.cfg:1: 'listen': unexpected argument 'extra': expects 'listen NAME [ADDR:PORT] [from "
      "DEFAULTS]'");
  EXPECT_EQ(
      only_error(parse("backend bad/name\n")),
      "t.cfg:1: 'backend': invalid name 'bad/name': expects letters, digits, '-', '_', '.' or ':'");
  EXPECT_EQ(only_error(parse("global extra\n")),
            "t.cfg:1: 'global': unexpected argument 'extra': 'global' takes none");
  EXPECT_EQ(
      only_error(parse("backend b from\n")),
      "t.cfg:1: 'backend': 'from' expects the name of a defaults section: 'backend NAME [from "
      "DEFAULTS]'");
}

TEST(Sections, InvalidHeaderStillChecksItsLinesButDropsTheProxy) {
  auto r = parse("backend\n  retries x\n");
  EXPECT_EQ(r.errors.size(), 2u) << dump(r.errors);
  EXPECT_EQ(r.errors[1].loc.line, 2);
  EXPECT_TRUE(r.config.proxies.empty());
}

TEST(Sections, KeywordBeforeAnySectionIsAnError) {
  auto r = parse("# comment\n\nmaxconn 10\nglobal\n");
  EXPECT_EQ(only_error(r),
            "t.cfg:3: 'maxconn': keyword outside any section: start one with global, defaults, "
            "frontend, backend, listen, userlist, http-errors, ring, resolvers, peers or program");
}

TEST(Sections, UnsupportedSectionReportedOnceAndSkipped) {
  auto r = parse("mailers m\n  mailer a 1.1.1.1:25\nbackend b\n");
  EXPECT_EQ(only_error(r),
            "t.cfg:1: 'mailers': Hearth does not support this section yet; its lines are skipped");
  ASSERT_EQ(r.config.proxies.size(), 1u);
}

TEST(Sections, LexerErrorsNameFileAndLine) {
  auto r = parse("global\n  pidfile \"${PIDDIR\"\n");
  EXPECT_EQ(only_error(r), "t.cfg:2: 'pidfile': unterminated '${PIDDIR': expects '}'");
  // An unset variable is empty, as in HAProxy, with a warning.
  r = parse("global\n  pidfile \"${PIDDIR}/h.pid\"\n");
  EXPECT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.global.pidfile, "/h.pid");
  EXPECT_TRUE(has(r.warnings, "t.cfg:2: 'pidfile'", "environment variable 'PIDDIR' is not set"))
      << dump(r.warnings);
}

TEST(Sections, EnvironmentExpandsInValues) {
  auto r = parse_string("frontend fe\n  bind \"${IP-0.0.0.0}:${PORT}\"\n", "t.cfg",
                        testing::fake_env({{"PORT", "8081"}}));
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.proxies[0].binds[0].address, "0.0.0.0:8081");
}

TEST(Sections, CrlfLineEndingsAreAccepted) {
  auto r = parse("backend b\r\n  retries 2\r\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.proxies[0].retries, 2);
}

TEST(Sections, ErrorsDoNotStopTheParse) {
  auto r = parse("global\n  nbthread x\n  bogus\nbackend b\n  retries y\n  retries 4\n");
  EXPECT_EQ(r.errors.size(), 3u) << dump(r.errors);
  ASSERT_EQ(r.config.proxies.size(), 1u);
  EXPECT_EQ(r.config.proxies[0].retries, 4);
}

class TempFiles : public ::testing::Test {
 protected:
  std::string write(const std::string& name, const std::string& text) {
    std::string path = ::testing::TempDir() + "hearth_cfg_" + name;
    std::ofstream(path) << text;
    paths_.push_back(path);
    return path;
  }
  void TearDown() override {
    for (const auto& p : paths_) std::remove(p.c_str());
  }
  std::vector<std::string> paths_;
};

TEST_F(TempFiles, ParseFilesJoinsFilesAndCarriesDefaults) {
  const std::string a = write("a.cfg", "global\n  maxconn 50\ndefaults\n  mode http\n");
  const std::string b =
      write("b.cfg", "frontend fe\n  bind :80\n  default_backend be\nbackend be\n");
  auto r = parse_files({a, b}, testing::fake_env());
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.global.maxconn, 50);
  ASSERT_EQ(r.config.proxies.size(), 2u);
  EXPECT_EQ(r.config.proxies[0].mode, Mode::kHttp);
  EXPECT_EQ(r.config.proxies[0].loc.file, b);
  EXPECT_EQ(r.config.proxies[0].loc.line, 1);
}

TEST_F(TempFiles, EachFileStartsOutsideAnySection) {
  const std::string a = write("c.cfg", "global\n  maxconn 50\n");
  const std::string b = write("d.cfg", "  nbthread 2\n");
  auto r = parse_files({a, b}, testing::fake_env());
  ASSERT_EQ(r.errors.size(), 1u) << dump(r.errors);
  EXPECT_EQ(r.errors[0].loc.file, b);
  EXPECT_EQ(r.errors[0].loc.line, 1);
  EXPECT_EQ(r.errors[0].keyword, "nbthread");
}

TEST_F(TempFiles, ErrorsNameTheirOwnFile) {
  const std::string a = write("e.cfg", "backend x\n  retries -1\n");
  const std::string b = write("f.cfg", "backend y\n\n  retries z\n");
  auto r = parse_files({a, b}, testing::fake_env());
  ASSERT_EQ(r.errors.size(), 2u) << dump(r.errors);
  EXPECT_EQ(r.errors[0].str().rfind(a + ":2: 'retries': ", 0), 0u) << r.errors[0].str();
  EXPECT_EQ(r.errors[1].str().rfind(b + ":3: 'retries': ", 0), 0u) << r.errors[1].str();
}

TEST_F(TempFiles, DirectoryStandsForItsCfgFilesInOrder) {
  const std::string dir = ::testing::TempDir() + "hearth_cfg_dir";
  std::filesystem::create_directory(dir);
  std::ofstream(dir + "/20-backend.cfg") << "backend be\n";
  std::ofstream(dir + "/10-defaults.cfg") << "defaults\n  mode http\n";
  std::ofstream(dir + "/notes.txt") << "not a config\n";
  auto r = parse_files({dir}, testing::fake_env());
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  ASSERT_EQ(r.config.proxies.size(), 1u);
  EXPECT_EQ(r.config.proxies[0].mode, Mode::kHttp);
  EXPECT_EQ(r.config.proxies[0].loc.file, dir + "/20-backend.cfg");
}

TEST(ParseFiles, MissingFileIsAnError) {
  auto r = parse_files({"/nonexistent/hearth.cfg"}, testing::fake_env());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].str(),
            "/nonexistent/hearth.cfg:0: cannot read the file: No such file or directory");
}

}  // namespace
}  // namespace hearth::config
