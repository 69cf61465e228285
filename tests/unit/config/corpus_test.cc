// Runs the fuzz seed corpus and the shipped examples through the parser:
// ok_*.cfg and examples/*.cfg must be valid; each bad_*.cfg names, on its first
// line, the line and keyword of an error it must produce:
//   # expect-error: LINE: 'keyword'
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "config_test_util.h"

namespace hearth::config {
namespace {

namespace fs = std::filesystem;
using testing::dump;

std::vector<fs::path> files_in(const fs::path& dir, const std::string& prefix) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.rfind(prefix, 0) == 0 && e.path().extension() == ".cfg") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

const fs::path kCorpus = fs::path(HEARTH_SOURCE_DIR) / "fuzz" / "corpus" / "config";

TEST(Corpus, ValidSeedsParseAndValidate) {
  const auto files = files_in(kCorpus, "ok_");
  ASSERT_GE(files.size(), 5u);
  for (const fs::path& f : files) {
    ParseResult r = parse_files({f.string()}, testing::fake_env());
    validate(r);
    EXPECT_TRUE(r.ok()) << f << "\n" << dump(r.errors);
    EXPECT_FALSE(r.config.proxies.empty()) << f;
  }
}

TEST(Corpus, InvalidSeedsReportTheExpectedLineAndKeyword) {
  const auto files = files_in(kCorpus, "bad_");
  ASSERT_GE(files.size(), 10u);
  for (const fs::path& f : files) {
    std::ifstream in(f);
    std::string first;
    std::getline(in, first);
    const std::string tag = "# expect-error: ";
    ASSERT_EQ(first.rfind(tag, 0), 0u) << f << " lacks an expect-error line";
    const std::string want = f.string() + ":" + first.substr(tag.size()) + ": ";
    ParseResult r = parse_files({f.string()}, testing::fake_env());
    validate(r);
    EXPECT_TRUE(testing::has(r.errors, want)) << "want prefix " << want << "\ngot:\n"
                                              << dump(r.errors);
  }
}

TEST(Examples, ShippedExamplesAreValid) {
  const auto files = files_in(fs::path(HEARTH_SOURCE_DIR) / "examples", "");
  ASSERT_FALSE(files.empty());
  for (const fs::path& f : files) {
    ParseResult r = parse_files({f.string()}, testing::fake_env());
    validate(r);
    EXPECT_TRUE(r.ok()) << f << "\n" << dump(r.errors);
  }
}

TEST(Examples, TcpExampleHasTheDocumentedShape) {
  ParseResult r =
      parse_files({std::string(HEARTH_SOURCE_DIR) + "/examples/tcp.cfg"}, testing::fake_env());
  validate(r);
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(r.warnings.empty()) << dump(r.warnings);
  const ProxyConfig* be = r.config.find("app", true);
  ASSERT_NE(be, nullptr);
  EXPECT_EQ(be->mode, Mode::kTcp);
  EXPECT_EQ(be->servers.size(), 2u);
  const ProxyConfig* li = r.config.find("tcp_leastconn", false);
  ASSERT_NE(li, nullptr);
  EXPECT_EQ(li->balance, BalanceAlgo::kLeastConn);
  ASSERT_EQ(li->binds.size(), 1u);
  EXPECT_EQ(li->binds[0].address, ":8081");
}

}  // namespace
}  // namespace hearth::config
