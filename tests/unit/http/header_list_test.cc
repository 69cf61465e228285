// HeaderList: the editable field list rules work on.
#include "http/header_list.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hearth::http {
namespace {

std::string dump(const HeaderList& l) {
  std::string out;
  for (const HeaderField& f : l) out += std::string(f.name) + "=" + std::string(f.value) + ";";
  return out;
}

TEST(HeaderList, AddKeepsOrderAndDuplicates) {
  HeaderField storage[4];
  HeaderList l(storage, 4);
  EXPECT_TRUE(l.add("A", "1"));
  EXPECT_TRUE(l.add("b", "2"));
  EXPECT_TRUE(l.add("a", "3"));
  EXPECT_EQ(dump(l), "A=1;b=2;a=3;");
  EXPECT_EQ(l.count("a"), 2u);
  ASSERT_NE(l.find("B"), nullptr);
  EXPECT_EQ(l.find("B")->value, "2");
  EXPECT_EQ(l.find("c"), nullptr);
}

TEST(HeaderList, DelRemovesEveryMatchCaseInsensitively) {
  HeaderField storage[4];
  HeaderList l(storage, 4);
  l.add("X-A", "1");
  l.add("keep", "k");
  l.add("x-a", "2");
  EXPECT_EQ(l.del("X-a"), 2u);
  EXPECT_EQ(dump(l), "keep=k;");
  EXPECT_EQ(l.del("absent"), 0u);
}

TEST(HeaderList, SetReplacesAllAndMovesToTheEnd) {
  HeaderField storage[4];
  HeaderList l(storage, 4);
  l.add("X-A", "old");
  l.add("other", "o");
  l.add("x-a", "older");
  EXPECT_TRUE(l.set("X-A", "new"));
  EXPECT_EQ(dump(l), "other=o;X-A=new;");
}

TEST(HeaderList, FullListRefusesAndStaysIntact) {
  HeaderField storage[2];
  HeaderList l(storage, 2);
  EXPECT_TRUE(l.add("a", "1"));
  EXPECT_TRUE(l.add("b", "2"));
  EXPECT_FALSE(l.add("c", "3"));
  EXPECT_EQ(dump(l), "a=1;b=2;");
  EXPECT_TRUE(l.set("a", "9"));  // a deletion made room
  EXPECT_EQ(dump(l), "b=2;a=9;");
}

TEST(HeaderList, RehomeKeepsTheFields) {
  HeaderField small[2], big[8];
  HeaderList l(small, 2);
  l.add("a", "1");
  l.add("b", "2");
  l.rehome(big, 8);
  EXPECT_EQ(l.capacity(), 8u);
  EXPECT_TRUE(l.add("c", "3"));
  EXPECT_EQ(dump(l), "a=1;b=2;c=3;");
}

}  // namespace
}  // namespace hearth::http
