// "track", "on-marked-down" and "on-marked-up" server options: parsing, and
// validate()'s checks of the tracking links with HAProxy 2.6's words (each
// message below is what `haproxy -c` prints after "'server B/S' : ").
#include <gtest/gtest.h>

#include "config/validate.h"
#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::dump;
using testing::only_error;
using testing::parse_and_validate;

const char* kHead =
    "defaults\n  timeout connect 1s\n  timeout client 1s\n  timeout server 1s\n"
    "backend b\n";  // line 5; servers from line 6

std::vector<std::string> errors(const std::string& servers) {
  std::vector<std::string> out;
  for (const Diagnostic& d : parse_and_validate(kHead + servers).errors) out.push_back(d.str());
  return out;
}

TEST(ServerTrack, ParsedWithBackendOrNot) {
  auto r = parse_and_validate(std::string(kHead) +
                              "  server s1 127.0.0.1:1 check\n"
                              "  server s2 127.0.0.1:1 track s1\n"
                              "  server s3 127.0.0.1:1 track b/s2\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const ProxyConfig& b = r.config.proxies[0];
  EXPECT_EQ(b.servers[0].track, "");
  EXPECT_EQ(b.servers[1].track, "s1");
  EXPECT_EQ(b.servers[2].track, "b/s2");
}

TEST(ServerTrack, ChainsAcrossBackendsAndAgentsAreAccepted) {
  auto r = parse_and_validate(std::string(kHead) +
                              "  server s1 127.0.0.1:1 agent-check agent-port 5\n"
                              "  server s2 127.0.0.1:1 track c/t1\n"  // c comes later
                              "backend c\n"
                              "  server t1 127.0.0.1:1 track b/s1\n"
                              "  server t2 127.0.0.1:1 track t1 agent-check agent-port 5\n");
  EXPECT_TRUE(r.ok()) << dump(r.errors);
}

TEST(ServerTrack, RefusedAsHAProxyWithFileAndLine) {
  EXPECT_EQ(errors("  server s1 127.0.0.1:1 track s2\n"
                   "  server s2 127.0.0.1:1 track s1\n"
                   "  server s4 127.0.0.1:1 track s5\n"
                   "  server s6 127.0.0.1:1 track x/s1\n"
                   "  server s8 127.0.0.1:1 track s9\n"
                   "  server s9 127.0.0.1:1\n"
                   "  server s10 127.0.0.1:1 track s10\n"
                   "  server s11 127.0.0.1:1 track /s1\n"
                   "  server s12 127.0.0.1:1 track b/\n"),
            (std::vector<std::string>{
                "t.cfg:7: 'server': 'server b/s2' : unable to track b/s1 as it belongs to a "
                "tracking chain looping back to b/s2.",
                "t.cfg:8: 'server': 'server b/s4' : unable to find required server 's5' for "
                "tracking.",
                "t.cfg:9: 'server': 'server b/s6' : unable to find required proxy 'x' for "
                "tracking.",
                "t.cfg:10: 'server': 'server b/s8' : unable to use b/s9 for tracking as it does "
                "not have any check nor agent enabled.",
                "t.cfg:12: 'server': 'server b/s10' : unable to track b/s10 as it belongs to a "
                "tracking chain looping back to b/s10.",
                "t.cfg:13: 'server': 'server b/s11' : unable to find required proxy '' for "
                "tracking.",
                "t.cfg:14: 'server': 'server b/s12' : unable to find required server '' for "
                "tracking.",
            }));
}

TEST(ServerTrack, NotWithCheckEvenFromDefaultServer) {
  EXPECT_EQ(errors("  default-server check\n"
                   "  server s1 127.0.0.1:1\n"
                   "  server s2 127.0.0.1:1 track s1\n"
                   "  server s3 127.0.0.1:1 no-check track s1\n"),
            (std::vector<std::string>{
                "t.cfg:8: 'server': unable to enable checks and tracking at the same time!"}));
  EXPECT_EQ(errors("  server s1 127.0.0.1:1 track\n"),
            (std::vector<std::string>{
                "t.cfg:6: 'server': 'track' expects [<proxy>/]<server> as argument.."}));
}

TEST(ServerTrack, FetchesNamingServersAreRecorded) {
  auto r = parse_and_validate(std::string(kHead) +
                              "  server s1 127.0.0.1:1\n"
                              "  acl a srv_is_up(s1)\n"
                              "frontend f\n  bind :80\n  default_backend b\n"
                              "  acl b srv_sess_rate(b/s1) gt 50\n");
  EXPECT_EQ(r.config.fetch_server_refs, (std::vector<std::string>{"b/s1", "b/s1"}));
}

// As HAProxy: a server named without its backend where there is no backend
// of its own (a frontend, or a defaults section handing rules down) is refused.
TEST(ServerTrack, ServerWithoutBackendRefusedOutsideBackends) {
  auto r = parse_and_validate(
      "frontend f\n  mode http\n  bind :80\n  default_backend be\n"
      "  acl c srv_conn(www) gt 1\n  acl e srv_is_up(be/www)\n"
      "defaults d\n  mode http\n  http-request set-header x \"%[srv_conn(www)]\"\n"
      "  http-request set-header y \"%[srv_conn(be/www)]\"\n"
      "backend be from d\n  server www 127.0.0.1:80\n");
  EXPECT_EQ(r.errors.size(), 2u) << dump(r.errors);
  EXPECT_NE(dump(r.errors).find("t.cfg:9: 'http-request': backend name must be set in server "
                                "argument 'www'"),
            std::string::npos)
      << dump(r.errors);
  EXPECT_NE(dump(r.errors).find("t.cfg:5: 'acl': unable to find server 'www' in proxy 'f'"),
            std::string::npos)
      << dump(r.errors);
}

TEST(ServerMarked, ActionsParsedAndCheckedAsHAProxy) {
  auto r = parse_and_validate(std::string(kHead) +
                              "  server s1 127.0.0.1:1 on-marked-down shutdown-sessions\n"
                              "  server s2 127.0.0.1:1 on-marked-up shutdown-backup-sessions\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(r.config.proxies[0].servers[0].shutdown_on_down);
  EXPECT_FALSE(r.config.proxies[0].servers[0].shutdown_backups_on_up);
  EXPECT_TRUE(r.config.proxies[0].servers[1].shutdown_backups_on_up);
  EXPECT_EQ(errors("  server s1 127.0.0.1:1 on-marked-down foo\n"
                   "  server s2 127.0.0.1:1 on-marked-up shutdown-sessions\n"
                   "  server s3 127.0.0.1:1 on-marked-down\n"),
            (std::vector<std::string>{
                "t.cfg:6: 'server': 'on-marked-down' expects 'shutdown-sessions' but got 'foo'.",
                "t.cfg:7: 'server': 'on-marked-up' expects 'shutdown-backup-sessions' but got "
                "'shutdown-sessions'.",
                "t.cfg:8: 'server': 'on-marked-down' expects 'shutdown-sessions' but got ''."}));
}

}  // namespace
}  // namespace hearth::config
