#include "stick/table.h"

#include <new>

namespace hearth::stick {
namespace {

constexpr size_t kPurgeBatch = 16;

uint32_t fnv1a(std::string_view s) {
  uint32_t h = 2166136261u;
  for (unsigned char c : s) h = (h ^ c) * 16777619u;
  return h;
}

}  // namespace

const char* key_type_name(KeyType t) {
  switch (t) {
    case KeyType::kIp:
      return "ip";
    case KeyType::kIpv6:
      return "ipv6";
    case KeyType::kInteger:
      return "integer";
    case KeyType::kString:
      return "string";
    case KeyType::kBinary:
      return "binary";
  }
  return "?";
}

// One cache line apart from its neighbours, so that threads working in
// different shards do not pull each other's lock and list heads back and forth.
struct alignas(64) Table::Shard {
  std::mutex mu;
  std::vector<Entry*> buckets = std::vector<Entry*>(64, nullptr);
  size_t count = 0;
  Entry* oldest = nullptr;
  Entry* newest = nullptr;

  Entry*& bucket(uint32_t hash) { return buckets[(hash >> 4) & (buckets.size() - 1)]; }

  void push_newest(Entry* e) {
    e->newer = nullptr;
    e->older = newest;
    if (newest) newest->newer = e;
    newest = e;
    if (!oldest) oldest = e;
  }
  void unlist(Entry* e) {
    (e->older ? e->older->newer : oldest) = e->newer;
    (e->newer ? e->newer->older : newest) = e->older;
    e->older = e->newer = nullptr;
  }
  void grow() {
    std::vector<Entry*> old(buckets.size() * 2, nullptr);
    old.swap(buckets);
    for (Entry* head : old) {
      while (head) {
        Entry* next = head->chain;
        Entry*& b = bucket(head->hash);
        head->chain = b;
        b = head;
        head = next;
      }
    }
  }
};

Table::Table(TableConfig cfg)
    : cfg_(std::move(cfg)),
      key_room_((cfg_.key_len + 7) & ~7u),
      shard_mask_(cfg_.shards && (cfg_.shards & (cfg_.shards - 1)) == 0 ? cfg_.shards - 1 : 15),
      shards_(std::make_unique<Shard[]>(shard_mask_ + 1)) {}

Table::~Table() {
  for (size_t i = 0; i <= shard_mask_; ++i) {
    Entry* e = shards_[i].oldest;
    while (e) {
      Entry* next = e->newer;
      e->~Entry();
      ::operator delete(e);
      e = next;
    }
  }
}

size_t Table::normalize_key(std::string_view raw, char* out) const {
  switch (cfg_.type) {
    case KeyType::kString: {
      const size_t n = std::min<size_t>(raw.size(), cfg_.key_len);
      std::memcpy(out, raw.data(), n);
      return n;
    }
    case KeyType::kBinary: {
      const size_t n = std::min<size_t>(raw.size(), cfg_.key_len);
      std::memcpy(out, raw.data(), n);
      std::memset(out + n, 0, cfg_.key_len - n);
      return cfg_.key_len;
    }
    default: {
      const size_t n = std::min<size_t>(raw.size(), cfg_.key_len);
      std::memcpy(out, raw.data(), n);
      if (n < cfg_.key_len) std::memset(out + n, 0, cfg_.key_len - n);
      return cfg_.key_len;
    }
  }
}

uint32_t Table::hash_key(std::string_view key) const { return fnv1a(key); }

Table::Shard& Table::shard_of(uint32_t hash) const { return shards_[hash & shard_mask_]; }

bool Table::key_equal(const Entry* e, std::string_view key) const {
  return e->key_len == key.size() && std::memcmp(e->key(), key.data(), key.size()) == 0;
}

Entry* Table::find_locked(Shard& s, std::string_view key, uint32_t hash) const {
  for (Entry* e = s.bucket(hash); e; e = e->chain)
    if (e->hash == hash && key_equal(e, key)) return e;
  return nullptr;
}

void Table::unlink_locked(Shard& s, Entry* e) {
  for (Entry** p = &s.bucket(e->hash); *p; p = &(*p)->chain) {
    if (*p == e) {
      *p = e->chain;
      break;
    }
  }
  s.unlist(e);
  --s.count;
  count_.fetch_sub(1, std::memory_order_relaxed);
  e->removed = true;
}

void Table::free_entry(Entry* e) {
  e->~Entry();
  ::operator delete(e);
}

Entry* Table::get_or_create(std::string_view key, int64_t now_ms) {
  const uint32_t h = hash_key(key);
  Shard& s = shard_of(h);
  {
    std::lock_guard<std::mutex> g(s.mu);
    if (Entry* e = find_locked(s, key, h)) {
      if (e->refs == 0 && expires_at(e) <= now_ms) {
        unlink_locked(s, e);  // expired: a new entry starts afresh
        free_entry(e);
      } else {
        ++e->refs;
        e->touched = now_ms;
        s.unlist(e);
        s.push_newest(e);
        return e;
      }
    }
  }
  if (count() >= cfg_.size) {
    if (cfg_.nopurge) return nullptr;
    purge_expired(now_ms);
    if (count() >= cfg_.size && purge_oldest(kPurgeBatch) == 0) return nullptr;
  }
  void* mem = ::operator new(entry_bytes());
  std::memset(mem, 0, entry_bytes());
  Entry* fresh = new (mem) Entry;
  fresh->hash = h;
  fresh->key_len = uint16_t(key.size());
  std::memcpy(fresh->key(), key.data(), key.size());
  std::lock_guard<std::mutex> g(s.mu);
  if (Entry* e = find_locked(s, key, h)) {  // another thread made it meanwhile
    free_entry(fresh);
    ++e->refs;
    e->touched = now_ms;
    s.unlist(e);
    s.push_newest(e);
    return e;
  }
  fresh->refs.store(1, std::memory_order_relaxed);
  fresh->touched = now_ms;
  Entry*& b = s.bucket(h);
  fresh->chain = b;
  b = fresh;
  s.push_newest(fresh);
  if (++s.count > s.buckets.size()) s.grow();
  count_.fetch_add(1, std::memory_order_relaxed);
  return fresh;
}

Entry* Table::lookup(std::string_view key, int64_t now_ms) {
  const uint32_t h = hash_key(key);
  Shard& s = shard_of(h);
  std::lock_guard<std::mutex> g(s.mu);
  Entry* e = find_locked(s, key, h);
  if (!e || (e->refs == 0 && expires_at(e) <= now_ms)) return nullptr;
  ++e->refs;
  return e;
}

void Table::touch(Entry* e, int64_t now_ms) {
  Shard& s = shard_of(e->hash);
  std::lock_guard<std::mutex> g(s.mu);
  if (e->removed) return;
  e->touched = now_ms;
  s.unlist(e);
  s.push_newest(e);
}

void Table::set_expiry(Entry* e, int64_t now_ms, int64_t left_ms) {
  if (!cfg_.expire_ms) return;
  if (left_ms > int64_t(cfg_.expire_ms)) left_ms = cfg_.expire_ms;
  if (left_ms < 0) left_ms = 0;
  Shard& s = shard_of(e->hash);
  std::lock_guard<std::mutex> g(s.mu);
  if (e->removed) return;
  // The touch list stays in expiry order: the entry goes before the first
  // newer entry that expires later.
  e->touched = now_ms - (int64_t(cfg_.expire_ms) - left_ms);
  s.unlist(e);
  Entry* after = s.newest;
  while (after && after->touched > e->touched) after = after->older;
  e->older = after;
  e->newer = after ? after->newer : s.oldest;
  (e->newer ? e->newer->older : s.newest) = e;
  (after ? after->newer : s.oldest) = e;
}

void Table::release(Entry* e) {
  Shard& s = shard_of(e->hash);
  std::lock_guard<std::mutex> g(s.mu);
  if (--e->refs == 0 && e->removed) free_entry(e);
}

bool Table::remove(Entry* e) {
  Shard& s = shard_of(e->hash);
  std::lock_guard<std::mutex> g(s.mu);
  if (e->removed) return false;
  unlink_locked(s, e);
  if (e->refs == 0) free_entry(e);
  return true;
}

size_t Table::purge_expired(int64_t now_ms) {
  if (!cfg_.expire_ms) return 0;
  size_t n = 0;
  for (size_t i = 0; i <= shard_mask_; ++i) {
    Shard& s = shards_[i];
    std::lock_guard<std::mutex> g(s.mu);
    // Touch order is expiry order: stop at the first entry still alive.
    Entry* e = s.oldest;
    while (e && expires_at(e) <= now_ms) {
      Entry* next = e->newer;
      if (e->refs == 0) {
        unlink_locked(s, e);
        free_entry(e);
        ++n;
      }
      e = next;
    }
  }
  return n;
}

size_t Table::purge_oldest(size_t want) {
  // The globally oldest unreferenced entries: each round takes the oldest
  // candidate among the shards' heads.
  size_t freed = 0;
  while (freed < want) {
    Shard* best = nullptr;
    int64_t best_t = INT64_MAX;
    for (size_t i = 0; i <= shard_mask_; ++i) {
      Shard& s = shards_[i];
      std::lock_guard<std::mutex> g(s.mu);
      for (Entry* e = s.oldest; e; e = e->newer) {
        if (e->refs) continue;
        if (e->touched < best_t) best_t = e->touched, best = &s;
        break;
      }
    }
    if (!best) break;
    std::lock_guard<std::mutex> g(best->mu);
    Entry* e = best->oldest;
    while (e && e->refs) e = e->newer;
    if (!e) continue;  // taken meanwhile; look again
    unlink_locked(*best, e);
    free_entry(e);
    ++freed;
  }
  return freed;
}

void Table::for_each(const std::function<bool(Entry*)>& f) {
  for (size_t i = 0; i <= shard_mask_; ++i) {
    Shard& s = shards_[i];
    std::lock_guard<std::mutex> g(s.mu);
    for (Entry* e = s.oldest; e; e = e->newer)
      if (!f(e)) return;
  }
}

}  // namespace hearth::stick
