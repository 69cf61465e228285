#include "peers/codec.h"

#include <algorithm>
#include <climits>
#include <cstring>
#include <mutex>
#include <vector>

#include "peers/wire.h"
#include "stick/dict.h"

namespace hearth::peers {
namespace {

using stick::DataKind;
using stick::DataType;

// One decoded value: a counter (a), a rate (a: age, b: count, c: previous),
// or a dictionary string (s, with `set` when the message names one).
struct Value {
  uint64_t a = 0, b = 0, c = 0;
  const std::string* s = nullptr;
  bool set = false;
};

bool read_dict(Reader& r, RxDict* dict, Value* v) {
  const uint64_t len = r.varint();
  if (!r.ok() || len == 0) return r.ok();
  Reader sub(r.bytes(size_t(len)));
  if (!r.ok()) return false;
  const uint64_t id = sub.varint();
  if (!sub.ok() || id == 0 || id > kDictSlots) return false;
  if (!sub.done()) {
    const uint64_t n = sub.varint();
    const std::string_view s = sub.bytes(size_t(n));
    if (!sub.ok()) return false;
    dict->slot[id - 1] = stick::intern(s);
  }
  v->s = dict->slot[id - 1];
  v->set = v->s != nullptr;
  return true;
}

bool read_value(Reader& r, DataKind k, RxDict* dict, Value* v) {
  switch (k) {
    case DataKind::kU32:
    case DataKind::kU64:
    case DataKind::kSint:
      v->a = r.varint();
      return r.ok();
    case DataKind::kRate:
      v->a = r.varint();
      v->b = r.varint();
      v->c = r.varint();
      return r.ok();
    case DataKind::kDict:
      return read_dict(r, dict, v);
  }
  return false;
}

void write_value(stick::Table& t, stick::Entry* e, DataType type, size_t idx, const Value& v,
                 int64_t now) {
  switch (stick::info(type).kind) {
    case DataKind::kU32:
      *t.data<uint32_t>(e, type, idx) = uint32_t(v.a);
      break;
    case DataKind::kU64:
      *t.data<uint64_t>(e, type, idx) = v.a;
      break;
    case DataKind::kSint:
      *t.data<int64_t>(e, type, idx) = int64_t(int32_t(uint32_t(v.a)));
      break;
    case DataKind::kRate: {
      stick::FreqCtr f;
      f.count = uint32_t(v.b);
      f.prev = uint32_t(v.c);
      f.start = (f.count || f.prev) ? now - int64_t(uint32_t(v.a)) : 0;
      *t.data<stick::FreqCtr>(e, type, idx) = f;
      break;
    }
    case DataKind::kDict:
      if (v.set) *t.data<const std::string*>(e, type, idx) = v.s;
      break;
  }
}

void put_value(std::string* out, stick::Table& t, stick::Entry* e, DataType type, size_t idx,
               int64_t now) {
  switch (stick::info(type).kind) {
    case DataKind::kU32:
      put_varint(out, *t.data<uint32_t>(e, type, idx));
      break;
    case DataKind::kU64:
      put_varint(out, *t.data<uint64_t>(e, type, idx));
      break;
    case DataKind::kSint:
      put_varint(out, uint64_t(int64_t(int32_t(*t.data<int64_t>(e, type, idx)))));
      break;
    case DataKind::kRate: {
      const stick::FreqCtr& f = *t.data<stick::FreqCtr>(e, type, idx);
      put_varint(out, uint32_t(now - f.start));
      put_varint(out, f.count);
      put_varint(out, f.prev);
      break;
    }
    case DataKind::kDict: {
      const std::string* s = *t.data<const std::string*>(e, type, idx);
      if (!s) {
        put_varint(out, 0);
        break;
      }
      // Always the string itself, under id 1: the receiver rebinds the id.
      std::string d;
      put_varint(&d, 1);
      put_varint(&d, s->size());
      d += *s;
      put_varint(out, d.size());
      *out += d;
      break;
    }
  }
}

}  // namespace

uint8_t wire_key_type(stick::KeyType t) {
  switch (t) {
    case stick::KeyType::kIp:
      return kKeyIpv4;
    case stick::KeyType::kIpv6:
      return kKeyIpv6;
    case stick::KeyType::kInteger:
      return kKeySint;
    case stick::KeyType::kString:
      return kKeyStr;
    case stick::KeyType::kBinary:
      return kKeyBin;
  }
  return 0;
}

uint32_t wire_key_len(const stick::TableConfig& c) {
  return c.peer_key_len ? c.peer_key_len : c.key_len;
}

void encode_define(const stick::Table& t, uint64_t id, std::string* out) {
  const stick::TableConfig& c = t.config();
  put_varint(out, id);
  put_varint(out, c.wire_name.size());
  *out += c.wire_name;
  put_varint(out, wire_key_type(c.type));
  put_varint(out, wire_key_len(c));
  uint64_t bits = 0;
  std::string params;
  for (const stick::StoredType& st : c.layout.types()) {
    bits |= uint64_t(1) << unsigned(st.type);
    const stick::DataTypeInfo& in = stick::info(st.type);
    if (!in.is_array && !in.takes_period) continue;
    put_varint(&params, unsigned(st.type));
    if (in.is_array) put_varint(&params, st.count);
    if (in.takes_period) put_varint(&params, st.period_ms);
  }
  put_varint(out, bits);
  put_varint(out, c.expire_ms);
  *out += params;
}

bool decode_define(std::string_view payload, TableDef* def) {
  Reader r(payload);
  def->id = r.varint();
  def->name = std::string(r.bytes(size_t(r.varint())));
  def->key_type = r.varint();
  def->key_len = r.varint();
  def->data_bits = r.varint();
  def->expire_ms = r.varint();
  if (!r.ok() || def->data_bits >> kDataTypes) return false;
  def->nbelem.fill(1);
  def->period.fill(0);
  while (!r.done()) {
    const uint64_t type = r.varint();
    if (!r.ok() || type >= kDataTypes || !(def->data_bits >> type & 1)) return false;
    const stick::DataTypeInfo& in = stick::info(DataType(type));
    if (in.is_array) {
      const uint64_t n = r.varint();
      if (n == 0 || n > 100) return false;
      def->nbelem[type] = uint32_t(n);
    }
    if (in.takes_period) def->period[type] = uint32_t(r.varint());
    if (!in.is_array && !in.takes_period) return false;
    if (!r.ok()) return false;
  }
  return true;
}

bool matches(const TableDef& def, const stick::Table& t) {
  return def.key_type == wire_key_type(t.config().type) && def.key_len == wire_key_len(t.config());
}

void encode_update(stick::Table& t, stick::Entry* e, uint32_t id, bool incremental, int64_t now,
                   std::string* out, bool timed) {
  const stick::TableConfig& c = t.config();
  if (!incremental) put_u32(out, id);
  if (timed) {
    const int64_t left = t.expires_at(e) - now;
    put_u32(out, uint32_t(std::clamp<int64_t>(left, 0, INT32_MAX)));
  }
  switch (c.type) {
    case stick::KeyType::kString:
      put_varint(out, e->key_len);
      out->append(e->key(), e->key_len);
      break;
    case stick::KeyType::kInteger: {
      uint32_t k;
      std::memcpy(&k, e->key(), 4);
      put_u32(out, k);
      break;
    }
    default:
      out->append(e->key(), c.key_len);
      break;
  }
  std::lock_guard<stick::SpinLock> g(e->lock);
  for (const stick::StoredType& st : c.layout.types())
    for (size_t i = 0; i < st.count; ++i) put_value(out, t, e, st.type, i, now);
}

bool apply_update(uint8_t type, std::string_view payload, const TableDef& def, stick::Table* t,
                  RxDict* dict, int64_t now, UpdateInfo* info) {
  Reader r(payload);
  info->has_id = type == kUpdate || type == kUpdateTimed;
  info->timed = type == kUpdateTimed || type == kIncUpdateTimed;
  if (info->has_id) info->id = r.u32();
  if (info->timed) info->expire_ms = r.u32();
  std::string key;
  switch (def.key_type) {
    case kKeyStr:
      key = std::string(r.bytes(size_t(r.varint())));
      break;
    case kKeySint: {
      const uint32_t k = r.u32();
      key.assign(reinterpret_cast<const char*>(&k), 4);
      break;
    }
    default:
      key = std::string(r.bytes(size_t(def.key_len)));
      break;
  }
  if (!r.ok()) return false;
  // Every value first: a malformed message stores nothing.
  std::vector<std::pair<DataType, std::vector<Value>>> values;
  for (size_t ty = 0; ty < kDataTypes; ++ty) {
    if (!(def.data_bits >> ty & 1)) continue;
    const DataType dt = DataType(ty);
    std::vector<Value> v(def.nbelem[ty]);
    for (Value& x : v)
      if (!read_value(r, stick::info(dt).kind, dict, &x)) return false;
    values.emplace_back(dt, std::move(v));
  }
  if (!r.done()) return false;
  if (!t) return true;
  std::string norm(std::max<size_t>(key.size(), t->config().key_len) + 1, '\0');
  norm.resize(t->normalize_key(key, norm.data()));
  stick::Entry* e = t->get_or_create(norm, now);
  if (!e) return true;  // full: the update is lost, as a local one would be
  {
    std::lock_guard<stick::SpinLock> g(e->lock);
    for (const auto& [dt, v] : values) {
      const stick::StoredType* st = t->config().layout.find(dt);
      if (!st) continue;
      for (size_t i = 0; i < v.size() && i < st->count; ++i) write_value(*t, e, dt, i, v[i], now);
    }
  }
  if (info->timed) t->set_expiry(e, now, info->expire_ms);
  t->release(e);
  return true;
}

}  // namespace hearth::peers
