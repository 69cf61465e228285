// The answer readers (c-ares's parsers behind parse_*_answer) on the fuzz
// seeds: real DNS answers written byte by byte.
#include <arpa/nameser.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dns/resolution.h"
#include "support/temp_dir.h"

namespace hearth::dns {
namespace {

std::string seed(const std::string& name) {
  return test::read_file(std::string(HEARTH_SOURCE_DIR) + "/fuzz/corpus/dns_answer/" + name);
}

const unsigned char* bytes(const std::string& s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

TEST(DnsAnswer, ARecordsInOrder) {
  const std::string a = seed("a_two.bin");
  ASSERT_FALSE(a.empty());
  std::vector<net::Address> out;
  EXPECT_EQ(parse_host_answer(ns_t_a, bytes(a), int(a.size()), &out), QueryStatus::kValid);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].str(), "127.0.0.2:0");
  EXPECT_EQ(out[1].str(), "10.0.0.3:0");
}

TEST(DnsAnswer, AaaaRecord) {
  const std::string a = seed("aaaa_one.bin");
  std::vector<net::Address> out;
  EXPECT_EQ(parse_host_answer(ns_t_aaaa, bytes(a), int(a.size()), &out), QueryStatus::kValid);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].str(), "[::1]:0");
}

TEST(DnsAnswer, SrvRecords) {
  const std::string a = seed("srv_two.bin");
  std::vector<SrvRecord> out;
  EXPECT_EQ(parse_srv_answer(bytes(a), int(a.size()), &out), QueryStatus::kValid);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].target, "t1.test");
  EXPECT_EQ(out[0].port, 8080);
  EXPECT_EQ(out[0].weight, 512);
  EXPECT_EQ(out[1].target, "t2.test");
  EXPECT_EQ(out[1].weight, 10);
}

TEST(DnsAnswer, BrokenAnswersAreInvalid) {
  const std::string t = seed("truncated.bin");
  std::vector<net::Address> out;
  EXPECT_EQ(parse_host_answer(ns_t_a, bytes(t), int(t.size()), &out), QueryStatus::kInvalid);
  std::vector<SrvRecord> srv;
  EXPECT_EQ(parse_srv_answer(bytes(t), int(t.size()), &srv), QueryStatus::kInvalid);
}

TEST(DnsAnswer, FailuresCombineByWeight) {
  EXPECT_EQ(combine_failures(QueryStatus::kNoData, QueryStatus::kNx), QueryStatus::kNx);
  EXPECT_EQ(combine_failures(QueryStatus::kTimeout, QueryStatus::kNoData), QueryStatus::kTimeout);
  EXPECT_EQ(combine_failures(QueryStatus::kRefused, QueryStatus::kTimeout), QueryStatus::kRefused);
}

}  // namespace
}  // namespace hearth::dns
