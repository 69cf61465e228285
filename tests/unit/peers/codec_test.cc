// Table definitions and updates, against bytes HAProxy 2.6.12 sent and
// accepted on a real peers session (captured with a scripted peer), and
// round trips between two tables.
#include "peers/codec.h"

#include <gtest/gtest.h>

#include <string>

#include "peers/wire.h"
#include "stick/dict.h"
#include "stick/track.h"

namespace hearth::peers {
namespace {

using stick::DataType;

std::string unhex(std::string_view h) {
  std::string s;
  for (size_t i = 0; i + 1 < h.size(); i += 2)
    s.push_back(char(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
  return s;
}

std::string hex(std::string_view s) {
  static const char* d = "0123456789abcdef";
  std::string h;
  for (unsigned char c : s) h += d[c >> 4], h += d[c & 15];
  return h;
}

stick::TableConfig config(stick::KeyType type, uint32_t key_len, const char* name,
                          std::initializer_list<const char*> store, uint32_t expire = 0) {
  stick::TableConfig c;
  c.name = name;
  c.wire_name = name;
  c.type = type;
  c.key_len = key_len;
  c.size = 100;
  c.expire_ms = expire;
  std::string err;
  for (const char* s : store) EXPECT_TRUE(c.layout.add(s, &err)) << err;
  return c;
}

// "table ts type string len 10 size 100 expire 30s store
// server_id,gpt(1),conn_rate(10s),bytes_in_cnt,gpc(2),gpc_rate(2,5s),server_key"
// in a peers section: HAProxy announces it as "/ts".
stick::TableConfig ts_config() {
  stick::TableConfig c = config(stick::KeyType::kString, 10, "pp/ts",
                                {"server_id", "gpt(1)", "conn_rate(10s)", "bytes_in_cnt", "gpc(2)",
                                 "gpc_rate(2,5s)", "server_key"},
                                30000);
  c.wire_name = "/ts";
  c.peer_key_len = 11;
  return c;
}

constexpr const char* kTsDefine = "01032f7473060bf1f38271f0c40d05f0e203160117021802f8a901";

TEST(PeersCodec, DefinitionIsHAProxys) {
  stick::Table t(ts_config());
  std::string out;
  encode_define(t, 1, &out);
  EXPECT_EQ(hex(out), kTsDefine);
  stick::Table ti(config(stick::KeyType::kInteger, 4, "ti", {"gpc0"}));
  out.clear();
  encode_define(ti, 2, &out);
  EXPECT_EQ(hex(out), "0202746902040400");
  stick::Table tip(config(stick::KeyType::kIp, 4, "tip", {"gpt0", "http_req_cnt"}));
  out.clear();
  encode_define(tip, 3, &out);
  EXPECT_EQ(hex(out), "03037469700404f21100");
}

TEST(PeersCodec, DecodesHAProxysDefinition) {
  TableDef d;
  ASSERT_TRUE(decode_define(unhex(kTsDefine), &d));
  EXPECT_EQ(d.id, 1u);
  EXPECT_EQ(d.name, "/ts");
  EXPECT_EQ(d.key_type, uint64_t(kKeyStr));
  EXPECT_EQ(d.key_len, 11u);
  EXPECT_EQ(d.expire_ms, 30000u);
  EXPECT_EQ(d.period[size_t(DataType::kConnRate)], 10000u);
  EXPECT_EQ(d.nbelem[size_t(DataType::kGpc)], 2u);
  EXPECT_EQ(d.nbelem[size_t(DataType::kGpcRate)], 2u);
  EXPECT_EQ(d.period[size_t(DataType::kGpcRate)], 5000u);
  stick::Table t(ts_config());
  EXPECT_TRUE(matches(d, t));
  stick::TableConfig other = ts_config();
  other.peer_key_len = 0;  // "len 11" would announce 12, the default 32
  EXPECT_FALSE(matches(d, stick::Table(other)));
}

TEST(PeersCodec, RefusesMalformedDefinitions) {
  TableDef d;
  const std::string good = unhex(kTsDefine);
  // Cut anywhere but between two data-type parameter sets: malformed.
  for (size_t n = 0; n < good.size(); ++n) {
    if (n == 14 || n == 18 || n == 20 || n == 22) continue;
    EXPECT_FALSE(decode_define(good.substr(0, n), &d)) << n;
  }
  // A data-type bit beyond the known types: its values could not be skipped.
  std::string bad;
  put_varint(&bad, 1);
  put_varint(&bad, 1);
  bad += "x";
  put_varint(&bad, 6);
  put_varint(&bad, 32);
  put_varint(&bad, uint64_t(1) << 40);
  put_varint(&bad, 0);
  EXPECT_FALSE(decode_define(bad, &d));
}

TEST(PeersCodec, AppliesHAProxysUpdates) {
  // An update HAProxy sent for key "abc" after "set table pp/ts key abc
  // data.server_id 3 data.bytes_in_cnt 300".
  TableDef d;
  ASSERT_TRUE(decode_define(unhex(kTsDefine), &d));
  stick::Table t(ts_config());
  RxDict dict;
  UpdateInfo info;
  const std::string upd =
      unhex("000000010361626303f0ffb0f9180000fc0300000000f0ffb0f9180000f0ffb0f9180000");
  ASSERT_TRUE(apply_update(kUpdate, upd, d, &t, &dict, 1000000, &info));
  EXPECT_TRUE(info.has_id);
  EXPECT_EQ(info.id, 1u);
  stick::Entry* e = t.lookup("abc", 1000000);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(*t.data<int64_t>(e, DataType::kServerId), 3);
  EXPECT_EQ(*t.data<uint64_t>(e, DataType::kBytesInCnt), 300u);
  EXPECT_EQ(*t.data<const std::string*>(e, DataType::kServerKey), nullptr);
  t.release(e);

  // Integer keys travel in network order: 258 is 00 00 01 02.
  TableDef di;
  ASSERT_TRUE(decode_define(unhex("0202746902040400"), &di));
  stick::Table ti(config(stick::KeyType::kInteger, 4, "ti", {"gpc0"}));
  ASSERT_TRUE(matches(di, ti));
  ASSERT_TRUE(apply_update(kUpdate, unhex("000000010000010207"), di, &ti, &dict, 0, &info));
  const uint32_t k = 258;
  e = ti.lookup(std::string_view(reinterpret_cast<const char*>(&k), 4), 0);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(*ti.data<uint32_t>(e, DataType::kGpc0), 7u);
  ti.release(e);
}

TEST(PeersCodec, RoundTripWithRatesDictionaryAndExpiry) {
  stick::Table a(ts_config()), b(ts_config());
  const int64_t now = 500000;
  stick::Entry* e = a.get_or_create("k1", now - 2000);
  {
    std::lock_guard<stick::SpinLock> g(e->lock);
    *a.data<int64_t>(e, DataType::kServerId) = -1;
    *a.data<uint64_t>(e, DataType::kBytesInCnt) = uint64_t(1) << 40;
    *a.data<const std::string*>(e, DataType::kServerKey) = stick::intern("srv-a");
    *a.data<uint32_t>(e, DataType::kGpc, 1) = 77;
  }
  for (int i = 0; i < 5; ++i) stick::gpc_inc(a, e, DataType::kGpc, 0, now - 1500);
  std::string p1, p2;
  encode_update(a, e, 9, false, now, &p1);
  a.release(e);
  e = a.get_or_create("k2", now);
  encode_update(a, e, 10, true, now, &p2);
  a.release(e);

  std::string def;
  encode_define(a, 4, &def);
  TableDef d;
  ASSERT_TRUE(decode_define(def, &d));
  RxDict dict;
  UpdateInfo info;
  ASSERT_TRUE(apply_update(kUpdate, p1, d, &b, &dict, now, &info));
  EXPECT_EQ(info.id, 9u);
  ASSERT_TRUE(apply_update(kIncUpdate, p2, d, &b, &dict, now, &info));
  EXPECT_FALSE(info.has_id);
  stick::Entry* r = b.lookup("k1", now);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(*b.data<int64_t>(r, DataType::kServerId), -1);
  EXPECT_EQ(*b.data<uint64_t>(r, DataType::kBytesInCnt), uint64_t(1) << 40);
  EXPECT_EQ(*b.data<const std::string*>(r, DataType::kServerKey), stick::intern("srv-a"));
  EXPECT_EQ(*b.data<uint32_t>(r, DataType::kGpc, 1), 77u);
  int64_t rate = 0;
  ASSERT_TRUE(stick::read_value(b, r, DataType::kGpcRate, 0, now, &rate));
  EXPECT_EQ(rate, 5);
  b.release(r);
  EXPECT_NE(b.lookup("k2", now), nullptr);
}

TEST(PeersCodec, DictionaryIdsAreRemembered) {
  // HAProxy sends a string once under an id, then the id alone.
  TableDef d;
  ASSERT_TRUE(decode_define(unhex(kTsDefine), &d));
  stick::Table t(ts_config());
  RxDict dict;
  UpdateInfo info;
  auto update = [](std::string_view key, std::string dict_part) {
    std::string u;
    put_varint(&u, key.size());
    u += key;
    put_varint(&u, 1);     // server_id
    u += unhex("000000");  // conn_rate
    put_varint(&u, 0);     // bytes_in_cnt
    put_varint(&u, dict_part.size());
    u += dict_part;
    u += unhex("000000000000000000");  // gpt(1), gpc(2), gpc_rate(2) x 3
    return u;
  };
  std::string full;
  put_varint(&full, 3);
  put_varint(&full, 4);
  full += "srvA";
  ASSERT_TRUE(apply_update(kIncUpdate, update("x", full), d, &t, &dict, 0, &info));
  ASSERT_TRUE(
      apply_update(kIncUpdate, update("y", std::string(1, char(3))), d, &t, &dict, 0, &info));
  stick::Entry* e = t.lookup("y", 0);
  ASSERT_NE(e, nullptr);
  ASSERT_NE(*t.data<const std::string*>(e, DataType::kServerKey), nullptr);
  EXPECT_EQ(**t.data<const std::string*>(e, DataType::kServerKey), "srvA");
  t.release(e);
  // An id out of range is malformed.
  EXPECT_FALSE(
      apply_update(kIncUpdate, update("z", std::string(1, char(200))), d, &t, &dict, 0, &info));
}

TEST(PeersCodec, TimedUpdateSetsExpiryAndTruncationStoresNothing) {
  TableDef d;
  ASSERT_TRUE(decode_define(unhex(kTsDefine), &d));
  stick::Table t(ts_config());
  RxDict dict;
  UpdateInfo info;
  std::string u;
  put_u32(&u, 5);
  put_u32(&u, 20000);  // 20 s left
  const std::string rest =
      unhex("0361626303f0ffb0f9180000fc0300000000f0ffb0f9180000f0ffb0f9180000");
  ASSERT_TRUE(apply_update(kUpdateTimed, u + rest, d, &t, &dict, 100000, &info));
  EXPECT_TRUE(info.timed);
  stick::Entry* e = t.lookup("abc", 100000);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(t.expires_at(e), 120000);
  t.release(e);
  for (size_t n = 0; n < rest.size(); ++n)
    EXPECT_FALSE(
        apply_update(kUpdate, unhex("00000007") + rest.substr(0, n), d, &t, &dict, 0, &info));
  EXPECT_EQ(t.count(), 1u);
}

}  // namespace
}  // namespace hearth::peers
