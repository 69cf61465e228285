// A backend's server list changed at run time (add server / del server):
// ids, the LB over the new list, retired servers kept.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>

#include "backend/backend.h"
#include "backend/server.h"

namespace hearth::backend {
namespace {

std::unique_ptr<Server> server(const std::string& name, int puid = 0) {
  auto s = std::make_unique<Server>();
  s->name = name;
  s->puid = puid;
  return s;
}

std::string picks(Backend& be, int n) {
  std::set<std::string> seen;
  for (int i = 0; i < n; ++i) {
    Server* s = nullptr;
    QueueWaiter* w = nullptr;
    if (be.take(LbRequest{}, &s, nullptr, nullptr, &w) == TakeResult::kAssigned) {
      seen.insert(s->name);
      be.release(s);
    }
  }
  std::string out;
  for (const std::string& x : seen) out += x + " ";
  return out;
}

TEST(BackendDynamic, AddedServersJoinTheBalancingOnceEnabled) {
  Backend be("b", LbKind::kRoundRobin, 2);
  be.add_server(server("s1"));
  be.finalize();
  EXPECT_EQ(picks(be, 4), "s1 ");
  auto s2 = server("s2");
  s2->disabled = true;  // as "add server" makes it
  Server* added = be.add_dynamic_server(std::move(s2));
  EXPECT_EQ(added->id, 1);
  EXPECT_EQ(added->puid, 2);
  EXPECT_EQ(picks(be, 4), "s1 ");
  added->disabled = false;
  be.servers_changed();
  EXPECT_EQ(picks(be, 4), "s1 s2 ");
}

TEST(BackendDynamic, RetiredServersLeaveTheListAndStayAllocated) {
  Backend be("b", LbKind::kLeastConn, 2);
  be.add_server(server("s1", 1));
  be.add_server(server("s2", 2));
  be.add_server(server("s3", 3));
  be.finalize();
  Server* s2 = be.server_named("s2");
  s2->disabled = true;
  be.retire_server(s2);
  ASSERT_EQ(be.servers().size(), 2u);
  EXPECT_EQ(be.servers()[1]->name, "s3");
  EXPECT_EQ(be.servers()[1]->id, 1);  // positions follow the list
  EXPECT_EQ(be.server_named("s2"), nullptr);
  ASSERT_EQ(be.retired().size(), 1u);
  EXPECT_EQ(be.retired()[0].get(), s2);
  EXPECT_EQ(s2->name, "s2");  // still readable by whoever holds it
  EXPECT_EQ(picks(be, 4), "s1 s3 ");
  EXPECT_EQ(be.free_puid(), 2);  // HAProxy's: the smallest free id is reused
  EXPECT_EQ(be.add_dynamic_server(server("s4"))->puid, 2);
  EXPECT_EQ(be.add_dynamic_server(server("s5", 9))->puid, 9);
}

TEST(BackendDynamic, DynamicAlgorithmsAreHAProxys) {
  for (LbKind k : {LbKind::kRoundRobin, LbKind::kLeastConn, LbKind::kFirst, LbKind::kRandom})
    EXPECT_TRUE(Backend("b", k, 2).dynamic_lb());
  EXPECT_FALSE(Backend("b", LbKind::kStaticRr, 2).dynamic_lb());
  Backend map("b", LbKind::kSource, 2);
  EXPECT_FALSE(map.dynamic_lb());
  Backend ring("b", LbKind::kUri, 2);
  ring.settings.hash_type.method = config::HashMethod::kConsistent;
  EXPECT_TRUE(ring.dynamic_lb());
}

}  // namespace
}  // namespace hearth::backend
