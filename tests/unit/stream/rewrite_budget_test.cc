// tune.maxrewrite: the size of a head on the wire, the limit HAProxy's
// shared buffer sets once payload came with the head, and HTTP rules failing
// the rewrites beyond it (strict-mode on: an error; off: skipped), counted.
#include "stream/rewrite_budget.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/buffer.h"
#include "stream/http_rules.h"
#include "stream/sample_fetch.h"

namespace hearth::stream {
namespace {

using Action = config::HttpRule::Action;

class RewriteBudget : public ::testing::Test {
 protected:
  void TearDown() override { set_max_rewrite(1024); }
};

TEST_F(RewriteBudget, WireSizeCountsStartLineFieldsAndEmptyLine) {
  http::MsgHead h;
  ASSERT_TRUE(h.init(4));
  h.flags = http::kMsgRequest;
  h.method_str = "GET";
  h.target = "/a";
  h.fields().add("host", "x");
  // "GET /a HTTP/1.1\r\n" + "host: x\r\n" + "\r\n"
  EXPECT_EQ(head_wire_size(h), 17u + 9u + 2u);
}

TEST_F(RewriteBudget, LimitIsTheBufferLessThePayloadSharingIt) {
  const size_t size = Buffer::configured_size();
  set_max_rewrite(1024);
  EXPECT_EQ(max_rewrite(), 1024u);
  // No payload: only the head's own block bounds it.
  EXPECT_EQ(rewrite_limit(100, 0), kNoRewriteLimit);
  // A payload filling the buffer: the reserve is what is left to grow.
  EXPECT_EQ(rewrite_limit(100, 100000), 100 + 1024u);
  // A small payload leaves the rest of the buffer.
  EXPECT_EQ(rewrite_limit(100, 50), size - 50);
  // Larger than half the buffer: halved, as HAProxy does.
  set_max_rewrite(size);
  EXPECT_EQ(max_rewrite(), size / 2);
  EXPECT_EQ(rewrite_limit(100, 100000), 100 + size / 2);
}

struct Outcome {
  std::string fields;
  bool full = false;
};

Outcome run(const std::vector<config::HttpRule>& rules, size_t grow_room) {
  http::MsgHead head;
  EXPECT_TRUE(head.init(8));
  head.flags = http::kMsgRequest;
  head.method_str = "GET";
  head.target = "/";
  head.fields().add("x-old", "1");
  bool full = false;
  TxnFetch fetch(expr::kUseConn | expr::kUseReq, nullptr, nullptr, nullptr, &head, nullptr);
  fetch.set_rewrite_limit(head_wire_size(head) + grow_room);
  eval_http_rules(rules, head, &full, fetch);
  Outcome o;
  o.full = full;
  for (const http::HeaderField& f : head.fields())
    o.fields += std::string(f.name) + "=" + std::string(f.value) + "|";
  return o;
}

config::HttpRule header(Action a, std::string name, std::string value) {
  config::HttpRule r{};
  r.action = a;
  r.name = std::move(name);
  r.value = std::move(value);
  return r;
}

TEST_F(RewriteBudget, RulesFailBeyondTheLimit) {
  // "x-a: 12345\r\n" is 12 bytes: two fit in 24, not three.
  const config::HttpRule add = header(Action::kAddHeader, "x-a", "12345");
  Outcome o = run({add, add}, 24);
  EXPECT_FALSE(o.full);
  EXPECT_EQ(o.fields, "x-old=1|x-a=12345|x-a=12345|");
  o = run({add, add, add}, 24);
  EXPECT_TRUE(o.full);
  // strict-mode off: the third is skipped, a later one that fits still runs
  // (deleting x-old made room).
  config::HttpRule off{};
  off.action = Action::kStrictMode;
  off.strict_on = false;
  config::HttpRule del = header(Action::kDelHeader, "x-old", "");
  o = run({off, add, add, add, del, header(Action::kAddHeader, "x", "1")}, 24);
  EXPECT_FALSE(o.full);
  EXPECT_EQ(o.fields, "x-a=12345|x-a=12345|x=1|");
  // set-header that does not fit still removed the fields it replaces (as
  // HAProxy, which removes them before adding).
  o = run({off, header(Action::kSetHeader, "x-old", std::string(40, 'v'))}, 24);
  EXPECT_EQ(o.fields, "");
  // A replace that grows past the limit fails too.
  o = run({header(Action::kSetHeader, "x-old", std::string(20, 'v'))}, 24);
  EXPECT_FALSE(o.full);
  o = run({header(Action::kSetHeader, "x-old", std::string(30, 'v'))}, 24);
  EXPECT_TRUE(o.full);
}

}  // namespace
}  // namespace hearth::stream
