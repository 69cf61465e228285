// Credentials of the Authorization field and the http_auth* fetches, read
// as HAProxy 2.6 reads them (each case below was sent to haproxy -db).
#include "stream/http_auth.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "expr/acl.h"
#include "stream/sample_fetch.h"

namespace hearth::stream {
namespace {

// Gives `h` these fields (their text kept in the head).
void fill(http::MsgHead& h, const std::vector<std::pair<std::string, std::string>>& fields) {
  ASSERT_TRUE(h.init(fields.size()));
  for (const auto& [n, v] : fields) {
    std::string_view kn, kv;
    ASSERT_TRUE(h.keep(n, &kn) && h.keep(v, &kv));
    h.fields().add(kn, kv);
  }
}

// "user:pass" of the first Authorization field, "bearer", or "-" if none.
std::string creds(const std::vector<std::pair<std::string, std::string>>& fields,
                  bool proxy = false) {
  http::MsgHead h;
  fill(h, fields);
  HttpCredentials c;
  if (!read_credentials(h.fields(), proxy, &c)) return "-";
  if (c.scheme == HttpCredentials::Scheme::kBearer) return "bearer";
  return std::string(c.user) + ":" + std::string(c.pass);
}

std::string basic(const std::string& scheme_and_data) {
  return creds({{"Authorization", scheme_and_data}});
}

TEST(HttpCredentials, BasicSchemeAsHAProxyReadsIt) {
  EXPECT_EQ(basic("Basic YWxpY2U6c2VjcmV0"), "alice:secret");
  EXPECT_EQ(basic("basic YWxpY2U6c2VjcmV0"), "alice:secret");
  EXPECT_EQ(basic("BASIC   YWxpY2U6c2VjcmV0"), "alice:secret");  // spaces skipped
  EXPECT_EQ(basic("B YWxpY2U6c2VjcmV0"), "alice:secret");        // a prefix of "Basic" is Basic
  EXPECT_EQ(basic("Basicx YWxpY2U6c2VjcmV0"), "-");
  EXPECT_EQ(basic("Basic YWxpY2U6c2VjcmV0, Basic Zm9v"), "alice:secret");  // first element
  EXPECT_EQ(basic("Basic YTpiOmM="), "a:b:c");                             // the first ':' splits
  EXPECT_EQ(basic("Basic Og=="), ":");
}

TEST(HttpCredentials, MalformedOrOtherSchemes) {
  EXPECT_EQ(basic("Basic"), "-");                    // no space
  EXPECT_EQ(basic("Basic YWxpY2U="), "-");           // no ':'
  EXPECT_EQ(basic("Basic !!!!"), "-");               // not base64
  EXPECT_EQ(basic("Basic YWxpY2U6c2VjcmV0="), "-");  // length not a multiple of 4
  EXPECT_EQ(basic("Basic YWxp Y2U6c2VjcmV0"), "-");  // a space inside the data
  EXPECT_EQ(basic("Digest x"), "-");
  EXPECT_EQ(basic("Bearer tok"), "bearer");
  EXPECT_EQ(basic("Be tok"), "bearer");
  EXPECT_EQ(creds({}), "-");
}

TEST(HttpCredentials, NulEndsTheDecodedText) {
  // "a:b\0c" then "a\0:b": C strings in HAProxy.
  EXPECT_EQ(basic("Basic YTpiAGM="), "a:b");
  EXPECT_EQ(basic("Basic YQA6Yg=="), "-");
}

TEST(HttpCredentials, FirstFieldOnlyAndProxyField) {
  EXPECT_EQ(
      creds({{"Authorization", "Basic Zm9vOmJhcg=="}, {"Authorization", "Basic YWxpY2U6c2VjcmV0"}}),
      "foo:bar");
  const std::vector<std::pair<std::string, std::string>> both = {
      {"Authorization", "Basic Zm9vOmJhcg=="}, {"Proxy-Authorization", "Basic YWxpY2U6c2VjcmV0"}};
  EXPECT_EQ(creds(both, false), "foo:bar");
  EXPECT_EQ(creds(both, true), "alice:secret");
}

// The fetches and the http_auth_group ACL on a userlist built by hand.
class AuthFetch : public ::testing::Test {
 protected:
  void SetUp() override {
    auto l = std::make_shared<expr::Userlist>("L");
    const size_t g1 = l->add_group("G1");
    l->add_group("G2");
    expr::Userlist::User u;
    u.name = "alice";
    u.pass = "secret";
    u.has_pass = u.insecure = true;
    l->add_user(u);
    l->join(0, g1);
    u.name = "bob";
    u.pass = "pw";
    l->add_user(u);
    list_ = l;
  }

  // Evaluates an ACL test written as in the configuration, against a
  // request with `auth` as its Authorization field.
  bool acl(const std::vector<std::string>& words, const std::string& auth) {
    expr::UserlistRefScope scope;
    expr::AclTest t;
    std::string err, warning;
    EXPECT_TRUE(expr::parse_acl_test(words, expr::file_patterns(), &t, &err, &warning)) << err;
    for (auto& ref : scope.refs()) ref->list = list_;
    expr::Acl a("x");
    a.add(std::move(t));
    http::MsgHead h;
    fill(h, {{"authorization", auth}});
    TxnFetch fetch(expr::kUseConn | expr::kUseReq, nullptr, nullptr, nullptr, &h, nullptr);
    return a.eval(fetch);
  }

  std::shared_ptr<const expr::Userlist> list_;
};

const std::string kAlice = "Basic YWxpY2U6c2VjcmV0";     // alice:secret
const std::string kAliceBad = "Basic YWxpY2U6c2VjcmVU";  // alice:secreT
const std::string kBob = "Basic Ym9iOnB3";               // bob:pw

TEST_F(AuthFetch, HttpAuth) {
  EXPECT_TRUE(acl({"http_auth(L)"}, kAlice));
  EXPECT_TRUE(acl({"http_auth(L)"}, kBob));
  EXPECT_FALSE(acl({"http_auth(L)"}, kAliceBad));
  EXPECT_FALSE(acl({"http_auth(L)"}, "Bearer x"));
  EXPECT_FALSE(acl({"http_auth(L)"}, ""));
}

TEST_F(AuthFetch, HttpAuthGroupMatchesTheUsersGroups) {
  EXPECT_TRUE(acl({"http_auth_group(L)", "G1"}, kAlice));
  EXPECT_TRUE(acl({"http_auth_group(L)", "G2", "G1"}, kAlice));
  EXPECT_FALSE(acl({"http_auth_group(L)", "G2"}, kAlice));
  EXPECT_FALSE(acl({"http_auth_group(L)", "G1"}, kBob));       // in no group
  EXPECT_FALSE(acl({"http_auth_group(L)", "G1"}, kAliceBad));  // wrong password
  EXPECT_FALSE(acl({"http_auth_group(L)", "alice"}, kAlice));  // not the user name
  EXPECT_FALSE(acl({"http_auth_group(L)", "-i", "g1"}, kAlice));
}

TEST_F(AuthFetch, UserPassType) {
  EXPECT_TRUE(acl({"http_auth_user", "alice"}, kAliceBad));  // no check of the password
  EXPECT_TRUE(acl({"http_auth_pass", "secreT"}, kAliceBad));
  EXPECT_TRUE(acl({"http_auth_type", "Basic"}, kAlice));
  EXPECT_TRUE(acl({"http_auth_type", "Bearer"}, "bearer tok"));
  EXPECT_FALSE(acl({"http_auth_user", "-m", "found"}, "Bearer tok"));
  EXPECT_FALSE(acl({"http_auth_type", "-m", "found"}, "Digest x"));
}

TEST_F(AuthFetch, UnresolvedUserlistGivesNoSample) {
  expr::AclTest t;
  std::string err, warning;
  ASSERT_TRUE(expr::parse_acl_test({"http_auth(L)"}, expr::file_patterns(), &t, &err, &warning));
  expr::Acl a("x");
  a.add(std::move(t));
  http::MsgHead h;
  fill(h, {{"authorization", kAlice}});
  TxnFetch fetch(expr::kUseConn | expr::kUseReq, nullptr, nullptr, nullptr, &h, nullptr);
  EXPECT_FALSE(a.eval(fetch));
}

}  // namespace
}  // namespace hearth::stream
