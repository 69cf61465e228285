#include "expr/pattern_index.h"

#include <algorithm>

namespace hearth::expr {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? char(c + 32) : c; }

// Returns: the earlier of two positions, -1 meaning none.
int earliest(int a, int b) { return a < 0 ? b : b < 0 ? a : std::min(a, b); }

// Keeps `v` sorted descending and free of duplicates.
template <typename T>
void add_length(std::vector<T>* v, T n) {
  auto it = std::lower_bound(v->begin(), v->end(), n, std::greater<T>());
  if (it == v->end() || *it != n) v->insert(it, n);
}

uint32_t load_v4(const unsigned char* a) {
  return uint32_t(a[0]) << 24 | uint32_t(a[1]) << 16 | uint32_t(a[2]) << 8 | a[3];
}

uint64_t load_u64(const unsigned char* a) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = v << 8 | a[i];
  return v;
}

uint32_t v4_mask(int bits) { return bits == 0 ? 0 : ~uint32_t(0) << (32 - bits); }

uint64_t u64_mask(int bits) {
  return bits <= 0 ? 0 : bits >= 64 ? ~uint64_t(0) : ~uint64_t(0) << (64 - bits);
}

// Keeps (bits, index) if it beats the best so far: longer, or as long and earlier.
void consider(int bits, int index, int* best_bits, int* best) {
  if (index < 0) return;
  if (*best < 0 || bits > *best_bits || (bits == *best_bits && index < *best)) {
    *best_bits = bits;
    *best = index;
  }
}

}  // namespace

size_t KeyTable::FoldHash::operator()(std::string_view s) const {
  uint64_t h = 1469598103934665603ull;  // FNV-1a over the folded bytes
  for (char c : s) h = (h ^ uint8_t(lower(c))) * 1099511628211ull;
  return size_t(h);
}

bool KeyTable::FoldEq::operator()(std::string_view a, std::string_view b) const {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

void KeyTable::add(std::string_view key, bool icase, int index, bool copy) {
  auto put = [&](auto& table) {
    if (table.find(key) != table.end()) return;  // the earliest position stays
    if (copy) key = owned_.emplace_back(key);
    table.emplace(key, index);
  };
  if (icase)
    put(folded_);
  else
    put(exact_);
}

int KeyTable::find(std::string_view key) const {
  int found = -1;
  if (!exact_.empty())
    if (auto it = exact_.find(key); it != exact_.end()) found = it->second;
  if (!folded_.empty())
    if (auto it = folded_.find(key); it != folded_.end()) found = earliest(found, it->second);
  return found;
}

void AffixIndex::add(std::string_view p, bool icase, int index, bool copy) {
  keys_.add(p, icase, index, copy);
  add_length(&lengths_, p.size());
}

int AffixIndex::find(std::string_view v) const {
  int found = -1;
  for (size_t n : lengths_) {
    if (n > v.size()) continue;
    const int i = keys_.find(suffix_ ? v.substr(v.size() - n) : v.substr(0, n));
    if (i >= 0 && !suffix_) return i;
    found = earliest(found, i);
  }
  return found;
}

bool DelimIndex::delim(char c) const {
  return c == '/' || c == '?' || (dom_ && (c == '.' || c == ':'));
}

void DelimIndex::add(std::string_view p, bool icase, int index, bool copy) {
  while (!p.empty() && delim(p.front())) p.remove_prefix(1);
  while (!p.empty() && delim(p.back())) p.remove_suffix(1);
  if (p.empty()) return;  // matches nothing
  keys_.add(p, icase, index, copy);
  max_inner_ = std::max(
      max_inner_, int(std::count_if(p.begin(), p.end(), [this](char c) { return delim(c); })));
}

int DelimIndex::find(std::string_view v) const {
  if (keys_.empty()) return -1;
  int found = -1;
  // Each run starts at the sample's start or after a delimiter, and ends at
  // a delimiter or the sample's end, with at most max_inner_ delimiters inside.
  for (size_t start = 0; start <= v.size();) {
    int inner = 0;
    for (size_t end = start;; ++end) {
      if (end == v.size() || delim(v[end])) {
        if (end > start) found = earliest(found, keys_.find(v.substr(start, end - start)));
        if (end == v.size() || ++inner > max_inner_) break;
      }
    }
    const size_t next = v.find_first_of(dom_ ? "./:?" : "/?", start);
    if (next == std::string_view::npos) break;
    start = next + 1;
  }
  return found;
}

void NetIndex::add(bool v6, const unsigned char* addr, const unsigned char* mask, int bits,
                   int index) {
  if (!v6) {
    const uint32_t a = load_v4(addr), m = load_v4(mask);
    if (m != v4_mask(bits)) {
      odd_.push_back(Odd{a, m, bits, index});
      return;
    }
    auto it =
        std::find_if(v4_.begin(), v4_.end(), [bits](const auto& l) { return l.bits <= bits; });
    if (it == v4_.end() || it->bits != bits) it = v4_.insert(it, Level<uint32_t>{bits, {}});
    it->nets.emplace(a, index);
    return;
  }
  auto it = std::find_if(v6_.begin(), v6_.end(), [bits](const auto& l) { return l.bits <= bits; });
  if (it == v6_.end() || it->bits != bits) it = v6_.insert(it, Level<V6, V6Hash>{bits, {}});
  it->nets.emplace(V6{load_u64(addr), load_u64(addr + 8)}, index);
}

int NetIndex::find(const unsigned char* v4, const unsigned char* v6) const {
  int best = -1, best_bits = -1;
  if (v4) {
    const uint32_t a = load_v4(v4);
    for (const auto& l : v4_) {
      if (auto it = l.nets.find(a & v4_mask(l.bits)); it != l.nets.end()) {
        consider(l.bits, it->second, &best_bits, &best);
        break;
      }
    }
    for (const Odd& o : odd_)
      if ((a & o.mask) == o.addr) consider(o.bits, o.index, &best_bits, &best);
  }
  if (v6 && !v6_.empty()) {
    const uint64_t hi = load_u64(v6), lo = load_u64(v6 + 8);
    for (const auto& l : v6_) {
      if (l.bits < best_bits) break;  // a v4 network already matched more bits
      const V6 k{hi & u64_mask(l.bits), lo & u64_mask(l.bits - 64)};
      if (auto it = l.nets.find(k); it != l.nets.end()) {
        consider(l.bits, it->second, &best_bits, &best);
        break;
      }
    }
  }
  return best;
}

}  // namespace hearth::expr
