// "resolvers" sections, the servers' resolution options and server-template.
#include <arpa/inet.h>
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::dump;
using testing::has;
using testing::only_error;
using testing::parse;
using testing::parse_and_validate;

TEST(Resolvers, SectionKeywordsAndDefaults) {
  auto r = parse(
      "resolvers dns\n  nameserver ns1 127.0.0.1:5353\n  nameserver ns2 udp@10.0.0.2\n"
      "  nameserver ns3 [::1]:53\n  resolve_retries 5\n  timeout resolve 2s\n"
      "  timeout retry 300ms\n  hold valid 3s\n  hold obsolete 4s\n  hold nx 5s\n"
      "  hold other 6s\n  hold refused 7s\n  hold timeout 8s\n  accepted_payload_size 8192\n"
      "resolvers plain\n  nameserver a 1.2.3.4\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  ASSERT_EQ(r.config.resolvers.size(), 2u);
  const ResolversConfig& a = r.config.resolvers[0];
  ASSERT_EQ(a.nameservers.size(), 3u);
  EXPECT_EQ(a.nameservers[0].address, "127.0.0.1:5353");
  EXPECT_EQ(a.nameservers[1].address, "10.0.0.2:53");
  EXPECT_EQ(a.nameservers[2].address, "[::1]:53");
  EXPECT_EQ(a.resolve_retries, 5);
  EXPECT_EQ(a.timeout_resolve_ms, 2000);
  EXPECT_EQ(a.timeout_retry_ms, 300);
  EXPECT_EQ(a.hold_valid_ms, 3000);
  EXPECT_EQ(a.hold_obsolete_ms, 4000);
  EXPECT_EQ(a.hold_nx_ms, 5000);
  EXPECT_EQ(a.hold_other_ms, 6000);
  EXPECT_EQ(a.hold_refused_ms, 7000);
  EXPECT_EQ(a.hold_timeout_ms, 8000);
  EXPECT_EQ(a.accepted_payload_size, 8192);
  EXPECT_TRUE(has(r.warnings, "t.cfg:14: 'accepted_payload_size': Hearth announces at most 4096"));
  // HAProxy's defaults.
  const ResolversConfig& b = r.config.resolvers[1];
  EXPECT_EQ(b.resolve_retries, 3);
  EXPECT_EQ(b.timeout_resolve_ms, 1000);
  EXPECT_EQ(b.timeout_retry_ms, 1000);
  EXPECT_EQ(b.hold_nx_ms, 30000);
  EXPECT_EQ(b.hold_valid_ms, 10000);
  EXPECT_EQ(b.hold_obsolete_ms, 0);
  EXPECT_EQ(b.accepted_payload_size, 512);
}

TEST(Resolvers, BadValuesNameFileLineAndKeyword) {
  const std::pair<const char*, const char*> cases[] = {
      {"  nameserver a tcp@127.0.0.1:53\n",
       "t.cfg:2: 'nameserver': 'tcp@127.0.0.1:53': stream (tcp@) nameservers are not supported "
       "by Hearth: use a datagram address"},
      {"  nameserver a dns.example:53\n",
       "t.cfg:2: 'nameserver': 'dns.example:53': 'dns.example' is not an IPv4 or IPv6 address "
       "(Hearth resolves no nameserver name)"},
      {"  nameserver a 1.2.3.4:0\n", "t.cfg:2: 'nameserver': '1.2.3.4:0': invalid port '0'"},
      {"  nameserver a\n",
       "t.cfg:2: 'nameserver': expects 'nameserver NAME ADDRESS[:PORT]' (no other option)"},
      {"  resolve_retries 0\n",
       "t.cfg:2: 'resolve_retries': expects one integer between 1 and 1000, got '0'"},
      {"  accepted_payload_size 65536\n",
       "t.cfg:2: 'accepted_payload_size': expects one integer between 12 and 65535, got '65536'"},
      {"  timeout resolve 0\n", "t.cfg:2: 'timeout resolve': expects a non-zero duration, got '0'"},
      {"  timeout client 1s\n",
       "t.cfg:2: 'timeout': expects 'timeout resolve TIME' or 'timeout retry TIME'"},
      {"  hold bogus 1s\n",
       "t.cfg:2: 'hold': unknown status 'bogus': expects 'hold "
       "nx|other|refused|timeout|valid|obsolete PERIOD'"},
      {"  hold nx soon\n", "t.cfg:2: 'hold nx': invalid duration 'soon'"},
      {"  parse-resolv-conf now\n", "t.cfg:2: 'parse-resolv-conf': takes no argument"},
  };
  for (auto [line, want] : cases) {
    EXPECT_EQ(only_error(parse(std::string("resolvers dns\n") + line)), want) << line;
  }
  EXPECT_EQ(only_error(parse("resolvers dns\n  nameserver ns 1.1.1.2\n  nameserver ns 1.1.1.1\n")),
            "t.cfg:3: 'nameserver': resolvers 'dns' already has a nameserver named 'ns'");
  EXPECT_TRUE(has(parse("resolvers dns\n  nameserver a 1.1.1.1\n  bogus 1\n").errors,
                  "t.cfg:3: 'bogus': unknown keyword in a resolvers section"));
  EXPECT_EQ(only_error(parse("resolvers dns\n  nameserver a 1.1.1.1\nresolvers dns\n")),
            "t.cfg:3: 'resolvers': a resolvers section named 'dns' exists");
  // No nameserver: accepted, as HAProxy, with a warning.
  auto empty = parse("resolvers dns\n");
  EXPECT_TRUE(empty.ok());
  EXPECT_TRUE(has(empty.warnings, "t.cfg:1: 'resolvers': resolvers 'dns' has no nameserver"));
}

TEST(Resolvers, ParseResolvConfReadsTheSystemFile) {
  auto r = parse("resolvers dns\n  parse-resolv-conf\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  // Whatever /etc/resolv.conf lists, in order, with port 53.
  for (const NameserverConfig& n : r.config.resolvers[0].nameservers)
    EXPECT_NE(n.address.find(":53"), std::string::npos) << n.address;
}

TEST(Resolvers, ServerOptions) {
  auto r = parse_and_validate(
      "resolvers dns\n  nameserver a 127.0.0.1:53\n"
      "backend b\n  server s1 app.test:80 resolvers dns resolve-prefer ipv4 "
      "resolve-net 10.0.0.0/8,fd00::/8,192.168.0.0/255.255.0.0 "
      "resolve-opts allow-dup-ip,ignore-weight init-addr none\n"
      "  server s2 app.test:80 resolvers dns resolve-opts prevent-dup-ip\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const ServerConfig& s1 = r.config.proxies[0].servers[0];
  EXPECT_EQ(s1.resolve.resolvers, "dns");
  EXPECT_EQ(s1.resolve.prefer, ResolveFamily::kIpv4);
  ASSERT_EQ(s1.resolve.nets.size(), 3u);
  EXPECT_EQ(s1.resolve.nets[0].family, AF_INET);
  EXPECT_EQ(s1.resolve.nets[0].prefix, 8);
  EXPECT_EQ(s1.resolve.nets[1].family, AF_INET6);
  EXPECT_EQ(s1.resolve.nets[2].prefix, 16);
  EXPECT_EQ(s1.resolve.dup_ip, 1);
  EXPECT_TRUE(s1.resolve.ignore_weight);
  EXPECT_EQ(r.config.proxies[0].servers[1].resolve.prefer, ResolveFamily::kIpv6);  // default
  EXPECT_EQ(r.config.proxies[0].servers[1].resolve.dup_ip, 0);
}

TEST(Resolvers, ServerOptionErrors) {
  const std::string head = "resolvers dns\n  nameserver a 127.0.0.1:53\nbackend b\n";
  EXPECT_EQ(only_error(parse(head + "  server s x.test:80 resolve-prefer ipv5\n")),
            "t.cfg:4: 'server': option 'resolve-prefer' expects 'ipv4' or 'ipv6', got 'ipv5'");
  EXPECT_EQ(only_error(parse(head + "  server s x.test:80 resolve-net 10.0.0.0/33\n")),
            "t.cfg:4: 'server': option 'resolve-net' expects networks such as 10.0.0.0/8 or "
            "fd00::/8, comma-separated, got '10.0.0.0/33'");
  EXPECT_EQ(only_error(parse(head + "  server s x.test:80 resolve-opts allow-dup-ip,bogus\n")),
            "t.cfg:4: 'server': option 'resolve-opts' expects allow-dup-ip, prevent-dup-ip or "
            "ignore-weight, comma-separated, got 'bogus'");
  EXPECT_EQ(only_error(parse(head + "  server s x.test:80 resolvers\n")),
            "t.cfg:4: 'server': option 'resolvers' expects a value");
  EXPECT_EQ(only_error(parse_and_validate(head + "  server s x.test:80 resolvers nope\n")),
            "t.cfg:4: 'server': server 's': no resolvers section named 'nope'");
  auto unused = parse_and_validate(head + "  server s 1.2.3.4:80 resolve-net 10.0.0.0/8\n");
  EXPECT_TRUE(unused.ok());
  EXPECT_TRUE(has(unused.warnings,
                  "t.cfg:4: 'server': server 's': resolve-net and resolve-opts "
                  "have no effect without 'resolvers'"));
}

TEST(Resolvers, ServerTemplateMakesNumberedServers) {
  auto r = parse_and_validate(
      "resolvers dns\n  nameserver a 127.0.0.1:53\n"
      "backend b\n  server-template web 3 app.test:8080 resolvers dns init-addr none weight 7\n"
      "  server-template r 5-6 other.test:81 resolvers dns\n"
      "  server-template srv 2 _http._tcp.svc.test resolvers dns\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const auto& sv = r.config.proxies[0].servers;
  ASSERT_EQ(sv.size(), 7u);
  EXPECT_EQ(sv[0].name, "web1");
  EXPECT_EQ(sv[2].name, "web3");
  EXPECT_EQ(sv[2].address, "app.test:8080");
  EXPECT_EQ(sv[2].weight, 7);
  EXPECT_TRUE(sv[2].from_template);
  EXPECT_EQ(sv[3].name, "r5");
  EXPECT_EQ(sv[4].name, "r6");
  EXPECT_EQ(sv[5].name, "srv1");
  EXPECT_EQ(sv[5].srv_record, "_http._tcp.svc.test");
  EXPECT_FALSE(sv[5].port_from_client);  // the records give the port
}

TEST(Resolvers, ServerTemplateErrors) {
  const std::string head = "resolvers dns\n  nameserver a 127.0.0.1:53\nbackend b\n";
  EXPECT_EQ(only_error(parse(head + "  server-template w 0 a.test:80\n")),
            "t.cfg:4: 'server-template': '0': expects a number of servers (1 or more) or a "
            "range LOW-HIGH");
  EXPECT_EQ(only_error(parse(head + "  server-template w 5-2 a.test:80\n")),
            "t.cfg:4: 'server-template': '5-2': expects a number of servers (1 or more) or a "
            "range LOW-HIGH");
  EXPECT_EQ(only_error(parse(head + "  server-template w 2 _a._tcp.x:80 resolvers dns\n")),
            "t.cfg:4: 'server-template': '_a._tcp.x:80': an SRV label takes no port (the "
            "records give it)");
  EXPECT_TRUE(has(parse_and_validate(head + "  server-template w 2 _a._tcp.x\n").errors,
                  "t.cfg:4: 'server-template': server 'w1': the SRV label '_a._tcp.x' is "
                  "resolved at run time only: add 'resolvers NAME'"));
  EXPECT_TRUE(has(parse(head + "  server-template w 2\n").errors, "t.cfg:4: 'server-template':"));
  EXPECT_TRUE(has(parse("frontend f\n  server-template w 2 a.test:80\n").errors,
                  "t.cfg:2: 'server-template':"));
}

}  // namespace
}  // namespace hearth::config
