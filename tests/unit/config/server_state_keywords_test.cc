// server-state-file, server-state-base, load-server-state-from-file and
// server-state-file-name: values, inheritance from defaults, placement and
// errors (messages checked against haproxy 2.6's behaviour on the same lines).
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::dump;
using testing::has;
using testing::only_error;
using testing::parse;

const char* const kTail =
    "frontend f\n  bind :8080\n  default_backend b\n"
    "backend b\n  server s1 127.0.0.1:80\n";

TEST(ServerStateKeywords, GlobalFileAndBase) {
  auto r = parse("global\n  server-state-file st\n  server-state-base /var/lib/h/\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.global.server_state_file, "st");
  EXPECT_EQ(r.config.global.server_state_base, "/var/lib/h/");
}

TEST(ServerStateKeywords, SecondGlobalLineWarnsAndKeepsTheFirst) {
  auto r = parse("global\n  server-state-file a\n  server-state-file b\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.global.server_state_file, "a");
  EXPECT_TRUE(has(r.warnings, "t.cfg:3", "already specified")) << dump(r.warnings);
}

TEST(ServerStateKeywords, ArityIsChecked) {
  EXPECT_NE(only_error(parse("global\n  server-state-file a b\n")).find("server-state-file"),
            std::string::npos);
  EXPECT_NE(only_error(parse("global\n  server-state-base\n")).find("server-state-base"),
            std::string::npos);
}

TEST(ServerStateKeywords, ProxyModesAndInheritance) {
  auto r = parse(std::string("defaults\n  mode http\n  load-server-state-from-file local\n"
                             "  server-state-file-name common\n") +
                 kTail + "backend c\n  load-server-state-from-file global\n" +
                 "  server-state-file-name use-backend-name\n  server s 127.0.0.1:81\n" +
                 "backend d\n  load-server-state-from-file none\n  server s 127.0.0.1:82\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const auto& px = r.config.proxies;
  ASSERT_EQ(px.size(), 4u);
  EXPECT_EQ(px[1].load_server_state, ServerStateLoad::kLocal);  // b: from defaults
  EXPECT_EQ(px[1].server_state_file_name, "common");
  EXPECT_EQ(px[2].load_server_state, ServerStateLoad::kGlobal);
  EXPECT_EQ(px[2].server_state_file_name, "");  // the backend's own name
  EXPECT_EQ(px[3].load_server_state, ServerStateLoad::kNone);
}

TEST(ServerStateKeywords, BadModeIsAnError) {
  std::string e = only_error(parse(std::string(kTail) + "  load-server-state-from-file bogus\n"));
  EXPECT_NE(e.find("'load-server-state-from-file'"), std::string::npos) << e;
  EXPECT_NE(e.find("expects 'global', 'local' or 'none'"), std::string::npos) << e;
}

TEST(ServerStateKeywords, IgnoredWithAWarningInAFrontend) {
  auto r = parse(
      "frontend f\n  bind :8080\n  load-server-state-from-file global\n"
      "  server-state-file-name x\n  default_backend b\n"
      "backend b\n  server s1 127.0.0.1:80\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(has(r.warnings, "t.cfg:3", "load-server-state-from-file")) << dump(r.warnings);
  EXPECT_TRUE(has(r.warnings, "t.cfg:4", "server-state-file-name")) << dump(r.warnings);
  EXPECT_EQ(r.config.proxies[0].load_server_state, ServerStateLoad::kNone);
}

}  // namespace
}  // namespace hearth::config
