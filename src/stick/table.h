#pragma once
// A stick table (HAProxy 2.6 `stick-table`): entries found by a key of one
// type, each holding the data types its Layout stores, expiring `expire` ms
// after they were last touched, at most `size` of them.
//
// Concurrency: the table is cut in shards by key hash, each with its own
// lock, hash chains and least-recently-touched list, so threads working on
// different keys rarely meet. An entry's data has a lock of its own
// (Entry::lock); a reference (Entry::refs) keeps it from being purged while
// a stream tracks it.
//
// Entry lifecycle:
//   absent --get_or_create--> live(refs>0) --release--> live(refs=0)
//   live(refs=0) --touch--> live(refs=0), expiry moved
//   live(refs=0) --expire reached, or the oldest when a new key needs room
//                  (unless nopurge)--> freed
//   live --remove (clear table / runtime API)--> freed once refs=0
#include <atomic>
#include <climits>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "stick/data_types.h"
#include "stick/freq_ctr.h"

namespace hearth::stick {

enum class KeyType : uint8_t { kIp, kIpv6, kInteger, kString, kBinary };
// Returns: the type as `stick-table type` names it ("ip", "string", ...).
const char* key_type_name(KeyType t);

struct TableConfig {
  std::string name;
  KeyType type = KeyType::kIp;
  uint32_t key_len = 4;    // bytes: 4 (ip, integer), 16 (ipv6), len (string, binary)
  uint32_t size = 0;       // most entries
  uint32_t expire_ms = 0;  // 0: never
  bool nopurge = false;
  Layout layout;
  // Lock shards, a power of two. The default suits any thread count; the
  // micro-benchmark sets 1 to measure what sharding saves.
  uint32_t shards = 16;
  // Replication (peers.h): the peers section that shares it ("": none), the
  // name its peers know it by (a peers section's table T: "/T", as HAProxy
  // 2.6 sends it; else the proxy's name), and whether server_key holds the
  // server's address ("srvkey addr") rather than its name.
  std::string peers;
  std::string wire_name;
  bool srvkey_addr = false;
  // The key length peers announce when it differs from key_len (HAProxy
  // counts a string's NUL when "len" is given); 0: key_len.
  uint32_t peer_key_len = 0;
};

// A small lock for one entry's data: writes are a few adds.
class SpinLock {
 public:
  void lock() {
    while (flag_.test_and_set(std::memory_order_acquire)) {
    }
  }
  void unlock() { flag_.clear(std::memory_order_release); }

 private:
  std::atomic_flag flag_ = ATOMIC_FLAG_INIT;
};

struct Entry {
  Entry* chain = nullptr;  // next in the shard's hash bucket
  Entry* older = nullptr;  // the shard's touch order
  Entry* newer = nullptr;
  int64_t touched = 0;  // ms: created, tracked or matched last
  // Streams holding it: changed under the shard's lock, read anywhere.
  std::atomic<uint32_t> refs{0};
  uint32_t hash = 0;
  uint16_t key_len = 0;  // string keys: bytes used
  bool removed = false;  // unlinked, freed at the last release (shard lock)
  SpinLock lock;
  // Announced to the table's UpdateSink and not taken by it yet.
  std::atomic<bool> queued{false};
  // Then: the key (TableConfig::key_len bytes), then the data block.
  char* key() { return reinterpret_cast<char*>(this + 1); }
  const char* key() const { return reinterpret_cast<const char*>(this + 1); }
};

class Table;

// Who learns of the entries changed locally (the peers section replicating
// the table). Called from any thread, with a reference on the entry held;
// must not block.
class UpdateSink {
 public:
  virtual ~UpdateSink() = default;
  virtual void entry_changed(Table& t, Entry& e) = 0;
};

class Table {
 public:
  explicit Table(TableConfig cfg);
  ~Table();
  Table(const Table&) = delete;
  Table& operator=(const Table&) = delete;

  const TableConfig& config() const { return cfg_; }

  // Replication: set before the workers run (null: none).
  void set_sink(UpdateSink* s) { sink_ = s; }
  // A local change of `e`'s data or expiry (the caller holds a reference):
  // tells the sink once until it takes the entry (Entry::queued).
  void changed(Entry* e) {
    if (sink_ && !e->queued.exchange(true, std::memory_order_acq_rel))
      sink_->entry_changed(*this, *e);
  }
  // Sets the entry's expiry to now + `left_ms` (at most the table's expire),
  // for entries learnt from a peer.
  void set_expiry(Entry* e, int64_t now_ms, int64_t left_ms);

  // The key bytes a table of this type stores for `raw` (truncated, or
  // zero-padded for binary). Returns: the length used.
  size_t normalize_key(std::string_view raw, char* out) const;

  // The entry of `key` (normalized), touched, with a reference the caller
  // releases; created if absent. Returns: nullptr if the table is full and
  // nothing may be purged (nopurge, or every entry referenced).
  Entry* get_or_create(std::string_view key, int64_t now_ms);
  // The entry of `key` with a reference, untouched (table_* converters);
  // nullptr if absent or expired.
  Entry* lookup(std::string_view key, int64_t now_ms);
  // Moves the entry's expiry to now + expire and makes it the newest.
  void touch(Entry* e, int64_t now_ms);
  // Returns: when the entry expires (INT64_MAX: never).
  int64_t expires_at(const Entry* e) const {
    return cfg_.expire_ms ? e->touched + cfg_.expire_ms : INT64_MAX;
  }
  void release(Entry* e);
  // Unlinks an entry (freed once unreferenced). Returns: false if it was
  // already.
  bool remove(Entry* e);
  // Frees the expired, unreferenced entries. Returns: how many.
  size_t purge_expired(int64_t now_ms);

  size_t count() const { return count_.load(std::memory_order_relaxed); }
  // Calls f(entry) for each live entry, shard by shard, each shard locked
  // meanwhile; f returns false to stop.
  void for_each(const std::function<bool(Entry*)>& f);

  // The entry's data for a stored type (nullptr when not stored).
  template <typename T>
  T* data(Entry* e, DataType t, size_t index = 0) const {
    const StoredType* st = cfg_.layout.find(t);
    if (!st || index >= st->count) return nullptr;
    return reinterpret_cast<T*>(reinterpret_cast<char*>(e->key()) + key_room_ + st->offset) + index;
  }
  // Bytes one entry takes (header, key, data).
  size_t entry_bytes() const { return sizeof(Entry) + key_room_ + cfg_.layout.size(); }

 private:
  struct Shard;
  Shard& shard_of(uint32_t hash) const;
  uint32_t hash_key(std::string_view key) const;
  Entry* find_locked(Shard& s, std::string_view key, uint32_t hash) const;
  void unlink_locked(Shard& s, Entry* e);
  // Frees up to `n` of the oldest unreferenced entries of other shards too.
  // Requires: no shard lock held. Returns: how many were freed.
  size_t purge_oldest(size_t n);
  void free_entry(Entry* e);
  bool key_equal(const Entry* e, std::string_view key) const;

  TableConfig cfg_;
  uint32_t key_room_;  // key bytes reserved in each entry (8-aligned)
  uint32_t shard_mask_;
  std::unique_ptr<Shard[]> shards_;
  std::atomic<size_t> count_{0};
  UpdateSink* sink_ = nullptr;
};

}  // namespace hearth::stick
