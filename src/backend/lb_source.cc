#include "backend/lb_source.h"

#include <numeric>

namespace hearth::backend {
namespace {

struct Slot {
  uint32_t pos;    // position in the server list
  int64_t weight;  // weight divided by the gcd of all weights
  int64_t credit = 0;
};

// Returns: the usable servers of the tier (backups or not) with their weights
// reduced by their gcd.
std::vector<Slot> usable_slots(const std::vector<Server*>& servers, bool backup) {
  std::vector<Slot> slots;
  int g = 0;
  for (size_t i = 0; i < servers.size(); ++i) {
    const Server* s = servers[i];
    if (s->backup != backup || !s->usable()) continue;
    const int w = s->weight.load();
    slots.push_back({static_cast<uint32_t>(i), w});
    g = std::gcd(g, w);
  }
  for (Slot& slot : slots) slot.weight /= g;
  return slots;
}

}  // namespace

uint32_t mix_source_hash(uint32_t h) {
  // MurmurHash3's 32-bit finaliser: every input bit affects every output bit.
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

SourceLb::SourceLb(const std::vector<Server*>& servers) : LbBase(servers) { rebuild(); }

void SourceLb::refresh() {
  std::vector<Slot> slots = usable_slots(servers(), backup_tier());
  int64_t total = 0;
  for (const Slot& slot : slots) total += slot.weight;
  table_.clear();
  table_.reserve(static_cast<size_t>(total));
  // One full smooth round robin cycle: each server appears exactly weight
  // times, evenly interleaved.
  for (int64_t n = 0; n < total; ++n) {
    Slot* best = nullptr;
    for (Slot& slot : slots) {
      slot.credit += slot.weight;
      if (best == nullptr || slot.credit > best->credit) best = &slot;
    }
    best->credit -= total;
    table_.push_back(best->pos);
  }
}

Server* SourceLb::pick_active(uint32_t source_hash, const Server* skip) {
  const std::vector<Server*>& list = servers();
  const uint32_t h = mix_source_hash(source_hash);
  const size_t size = table_.size();
  for (size_t k = 0; k < size; ++k) {
    const uint32_t pos = table_[(h % size + k) % size];
    if (is_candidate(list[pos], skip)) return list[pos];
  }
  return scan_servers(h, skip);
}

Server* SourceLb::scan_servers(uint32_t start, const Server* skip) const {
  const std::vector<Server*>& list = servers();
  const size_t n = list.size();
  for (size_t k = 0; k < n; ++k) {
    Server* s = list[(start % n + k) % n];
    if (is_candidate(s, skip)) return s;
  }
  return nullptr;
}

}  // namespace hearth::backend
