// Feeds the input to the peers protocol's decoders as a session reads it
// after the handshake: messages framed one after another; table definitions
// bind the updates that follow to one of two local tables (by name, as a
// session does), or to none (decoded, not stored). Every update stored must
// encode again and decode to the same data; tables never exceed their size.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "peers/codec.h"
#include "peers/wire.h"

namespace {

using namespace hearth;

void check(bool ok) {
  if (!ok) __builtin_trap();
}

std::unique_ptr<stick::Table> make(const char* wire, stick::KeyType type, uint32_t len,
                                   uint32_t peer_len, std::initializer_list<const char*> store) {
  stick::TableConfig c;
  c.name = wire;
  c.wire_name = wire;
  c.type = type;
  c.key_len = len;
  c.peer_key_len = peer_len;
  c.size = 64;
  c.expire_ms = 30000;
  std::string err;
  for (const char* s : store) c.layout.add(s, &err);
  return std::make_unique<stick::Table>(std::move(c));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto ts = make("/ts", stick::KeyType::kString, 10, 11,
                 {"server_id", "gpt(1)", "conn_rate(10s)", "bytes_in_cnt", "gpc(2)",
                  "gpc_rate(2,5s)", "server_key"});
  auto tip = make("tip", stick::KeyType::kIp, 4, 0, {"gpt0", "http_req_cnt", "http_req_rate(1s)"});
  stick::Table* tables[] = {ts.get(), tip.get()};
  std::map<uint64_t, std::pair<peers::TableDef, stick::Table*>> defs;
  std::pair<peers::TableDef, stick::Table*>* cur = nullptr;
  peers::RxDict dict;
  const int64_t now = 1000000;
  while (!in.empty()) {
    peers::Frame f;
    if (peers::next_frame(in, 65536, &f) != peers::FrameStatus::kOk) break;
    check(f.size <= in.size() && f.size >= 2);
    in.remove_prefix(f.size);
    if (f.cls != peers::kClassTable) continue;
    if (f.type == peers::kDefine) {
      peers::TableDef d;
      if (!peers::decode_define(f.payload, &d)) continue;
      stick::Table* t = nullptr;
      for (stick::Table* x : tables)
        if (x->config().wire_name == d.name && peers::matches(d, *x)) t = x;
      auto& slot = defs[d.id];
      slot = {std::move(d), t};
      cur = &slot;
    } else if (f.type >= peers::kUpdate && f.type <= peers::kIncUpdateTimed &&
               f.type != peers::kDefine && f.type != peers::kSwitch && f.type != peers::kAck) {
      if (!cur) continue;
      peers::UpdateInfo info;
      if (!peers::apply_update(f.type, f.payload, cur->first, cur->second, &dict, now, &info) ||
          !cur->second)
        continue;
      // Every entry stored encodes and decodes again (into a fresh table).
      stick::Table& t = *cur->second;
      check(t.count() <= t.config().size);
      std::string def, upd;
      peers::encode_define(t, 1, &def);
      peers::TableDef d2;
      check(peers::decode_define(def, &d2) && peers::matches(d2, t));
      stick::Table copy(t.config());
      std::vector<std::string> keys;
      t.for_each([&](stick::Entry* e) {
        keys.emplace_back(e->key(), e->key_len);
        return true;
      });
      for (const std::string& k : keys) {
        stick::Entry* e = t.lookup(k, now);
        if (!e) continue;
        upd.clear();
        peers::encode_update(t, e, 1, false, now, &upd);
        t.release(e);
        peers::RxDict d3;
        peers::UpdateInfo i3;
        check(peers::apply_update(peers::kUpdate, upd, d2, &copy, &d3, now, &i3));
        check(copy.lookup(k, now) != nullptr);
      }
    }
  }
  return 0;
}
