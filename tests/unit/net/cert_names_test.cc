// Which certificate group answers a server name (SNI): exact names first,
// then "*.domain" wildcards for exactly one leftmost label; the first
// certificate to claim a name keeps it.
#include "net/cert_names.h"

#include <gtest/gtest.h>

namespace hearth::net {
namespace {

TEST(CertNames, NormalizeLowersAndDropsTrailingDot) {
  EXPECT_EQ(normalize_server_name("Www.Example.COM."), "www.example.com");
  EXPECT_EQ(normalize_server_name("a.b"), "a.b");
  EXPECT_EQ(normalize_server_name(""), "");
}

TEST(CertNames, ExactNamesIgnoreCase) {
  CertNameIndex idx;
  idx.add("www.example.com", 0);
  idx.add("API.example.com", 1);
  EXPECT_EQ(idx.find("www.example.com"), 0);
  EXPECT_EQ(idx.find("WWW.EXAMPLE.COM"), 0);
  EXPECT_EQ(idx.find("api.example.com."), 1);
  EXPECT_EQ(idx.find("example.com"), -1);
  EXPECT_EQ(idx.find(""), -1);
}

TEST(CertNames, WildcardCoversOneLabelOnly) {
  CertNameIndex idx;
  idx.add("*.example.com", 3);
  EXPECT_EQ(idx.find("a.example.com"), 3);
  EXPECT_EQ(idx.find("A.Example.Com"), 3);
  EXPECT_EQ(idx.find("a.b.example.com"), -1);
  EXPECT_EQ(idx.find("example.com"), -1);
  EXPECT_EQ(idx.find(".example.com"), -1);
  EXPECT_EQ(idx.find("aexample.com"), -1);
}

TEST(CertNames, ExactWinsOverWildcardWhateverTheOrder) {
  CertNameIndex idx;
  idx.add("*.example.com", 0);
  idx.add("www.example.com", 1);
  EXPECT_EQ(idx.find("www.example.com"), 1);
  EXPECT_EQ(idx.find("mail.example.com"), 0);
}

TEST(CertNames, FirstCertificateKeepsAName) {
  CertNameIndex idx;
  idx.add("www.example.com", 0);
  idx.add("www.example.com", 1);
  idx.add("*.example.org", 2);
  idx.add("*.EXAMPLE.org", 3);
  EXPECT_EQ(idx.find("www.example.com"), 0);
  EXPECT_EQ(idx.find("x.example.org"), 2);
}

TEST(CertNames, UnusableNamesAreNotIndexed) {
  CertNameIndex idx;
  EXPECT_TRUE(idx.empty());
  idx.add("*", 0);               // a bare star matches nothing
  idx.add("w*.example.com", 0);  // partial wildcards are not honoured
  idx.add("", 0);
  EXPECT_TRUE(idx.empty());
  EXPECT_EQ(idx.find("www.example.com"), -1);
}

TEST(CertNames, ExclusionsStopAGroupsWildcardOnly) {
  CertNameIndex idx;
  idx.add("*.domain.tld", 1);
  idx.exclude("secure.domain.tld", 1);
  EXPECT_EQ(idx.find("www.domain.tld"), 1);
  EXPECT_EQ(idx.find("SECURE.domain.tld"), -1);
  idx.add("*.domain.tld", 2);  // a later group with the same wildcard takes over
  EXPECT_EQ(idx.find("secure.domain.tld"), 2);
  idx.add("secure.domain.tld", 3);  // an exact name wins anyway
  EXPECT_EQ(idx.find("secure.domain.tld"), 3);
  idx.exclude("*", 1);  // "!*" excludes nothing
  EXPECT_EQ(idx.find("a.domain.tld"), 1);
}

TEST(CertNames, ServerNameExtension) {
  const unsigned char one[] = {0,   14,  0,   0,   11,  'e', 'x', 'a',
                               'm', 'p', 'l', 'e', '.', 'c', 'o', 'm'};
  EXPECT_EQ(sni_from_extension(one, sizeof one), "example.com");
  // A name of another type first, then the host name.
  const unsigned char two[] = {0, 10, 1, 0, 2, 'a', 'b', 0, 0, 2, 'x', 'y'};
  EXPECT_EQ(sni_from_extension(two, sizeof two), "xy");
  // The list length disagrees, a name overruns, nothing at all.
  EXPECT_EQ(sni_from_extension(one, sizeof one - 1), "");
  const unsigned char over[] = {0, 5, 0, 0, 9, 'a', 'b'};
  EXPECT_EQ(sni_from_extension(over, sizeof over), "");
  EXPECT_EQ(sni_from_extension(one, 0), "");
}

TEST(CertNames, CandidatesKeepEveryGroupOfANameInOrder) {
  CertNameIndex idx;
  idx.add("api.example.com", 2);
  idx.add("API.example.com", 0);  // a second certificate of the name (another key type)
  idx.add("api.example.com", 2);  // once per group
  idx.add("*.example.com", 1);
  idx.add("*.example.com", 3);
  idx.exclude("api.example.com", 3);
  std::vector<int> exact, wild;
  idx.candidates("Api.Example.com.", &exact, &wild);
  EXPECT_EQ(exact, (std::vector<int>{2, 0}));
  EXPECT_EQ(wild, (std::vector<int>{1}));  // 3 excludes the name
  idx.candidates("www.example.com", &exact, &wild);
  EXPECT_TRUE(exact.empty());
  EXPECT_EQ(wild, (std::vector<int>{1, 3}));
  idx.candidates("example.com", &exact, &wild);
  EXPECT_TRUE(exact.empty() && wild.empty());
}

TEST(CertNames, SignatureAlgorithmsSayRsaAndEcdsa) {
  bool rsa = false, ecdsa = false;
  // ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256 (neither), rsa_pkcs1_sha256
  const unsigned char both[] = {0, 6, 4, 3, 8, 4, 4, 1};
  EXPECT_TRUE(sigalgs_from_extension(both, sizeof both, &rsa, &ecdsa));
  EXPECT_TRUE(rsa && ecdsa);
  const unsigned char pss[] = {0, 2, 8, 4};
  EXPECT_TRUE(sigalgs_from_extension(pss, sizeof pss, &rsa, &ecdsa));
  EXPECT_FALSE(rsa || ecdsa);
  const unsigned char cut[] = {0, 9, 4, 3};  // longer than the body: what is there counts
  EXPECT_TRUE(sigalgs_from_extension(cut, sizeof cut, &rsa, &ecdsa));
  EXPECT_TRUE(ecdsa && !rsa);
  EXPECT_FALSE(sigalgs_from_extension(cut, 1, &rsa, &ecdsa));
}

}  // namespace
}  // namespace hearth::net
