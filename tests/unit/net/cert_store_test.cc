// The certificate store: files read once and kept (with a ".key" companion
// appended), what the runtime API puts in it read before the file system,
// empty entries, and the order paths are listed in.
#include "net/cert_store.h"

#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace hearth::net {
namespace {

using test::TempDir;
using test::write_file;

const char kCert[] = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
const char kKey[] = "-----BEGIN PRIVATE KEY-----\nBBBB\n-----END PRIVATE KEY-----\n";

TEST(PemStore, FilesAreReadWithTheirKeyAndKeptOnlyWhenAsked) {
  PemStore store;
  TempDir dir;
  const std::string a = dir.file("a.pem"), b = dir.file("b.pem");
  ASSERT_TRUE(write_file(a, kCert));
  ASSERT_TRUE(write_file(a + ".key", kKey));
  ASSERT_TRUE(write_file(b, std::string(kCert) + kKey));
  ASSERT_TRUE(write_file(b + ".key", "not read: b holds its key"));
  std::string err;
  bool from_file = false;
  EXPECT_EQ(store.pem(a, &err, &from_file), std::string(kCert) + kKey);
  EXPECT_TRUE(from_file);
  EXPECT_EQ(store.pem(b, &err, &from_file), std::string(kCert) + kKey);
  EXPECT_FALSE(store.contains(a));  // kept only once found good
  store.keep(a, "A");
  store.keep(a, "not this");  // the first stays
  ASSERT_TRUE(write_file(a, "changed on disk"));
  EXPECT_EQ(store.pem(a, &err, &from_file), "A");
  EXPECT_FALSE(from_file);
  EXPECT_FALSE(store.pem(dir.file("none.pem"), &err, &from_file));
  EXPECT_NE(err.find("cannot open certificate file"), std::string::npos) << err;
}

TEST(PemStore, EmptyEntriesAndReplacement) {
  PemStore store;
  EXPECT_TRUE(store.create("/z.pem"));
  EXPECT_FALSE(store.create("/z.pem"));
  EXPECT_EQ(store.find("/z.pem"), "");
  std::string err;
  bool from_file = true;
  EXPECT_FALSE(store.pem("/z.pem", &err, &from_file));  // empty: nothing to load
  EXPECT_NE(err.find("empty"), std::string::npos) << err;
  store.set("/z.pem", "Z");
  store.keep("/a.pem", "A");
  EXPECT_EQ(store.paths(), (std::vector<std::string>{"/a.pem", "/z.pem"}));
  EXPECT_EQ(store.pem("/z.pem", &err, &from_file), "Z");
  store.set("/z.pem", std::nullopt);
  EXPECT_FALSE(store.contains("/z.pem"));
}

TEST(PemStore, AFrozenStoreReadsNoFile) {
  PemStore store("CA file", false);
  TempDir dir;
  const std::string a = dir.file("a.pem"), b = dir.file("b.pem");
  ASSERT_TRUE(write_file(a, kCert));
  ASSERT_TRUE(write_file(b, kCert));
  ASSERT_TRUE(write_file(b + ".key", kKey));
  std::string err;
  bool from_file = false;
  EXPECT_EQ(store.pem(b, &err, &from_file), kCert);  // no ".key" for a CA file
  store.keep(a, kCert);
  store.freeze();
  EXPECT_EQ(store.pem(a, &err, &from_file), kCert);
  EXPECT_FALSE(store.pem(b, &err, &from_file));
  EXPECT_NE(err.find("unable to load " + b), std::string::npos) << err;
}

}  // namespace
}  // namespace hearth::net
