#pragma once
// Indexes behind PatternSet for large pattern files: exact strings, prefixes
// and suffixes, delimited words (dir, dom) and networks are found by hashing
// instead of trying every pattern. Each index keeps, per key, the position
// of the earliest pattern added with it, so duplicates resolve as a scan in
// file order would. Lookups take string views and never allocate.
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace hearth::expr {

// Keys of one case mode: exact, or folded to lower case (-i). Both accept
// string_view lookups (transparent hash and equality). The keys are views:
// a set of a million patterns costs no copy of each (the patterns are the
// entries' own strings, which outlive every set compiled from them).
class KeyTable {
 public:
  // Records `key` for pattern `index`; an existing key keeps its position.
  // Requires: the bytes of `key` outlive the table, unless `copy` (the table
  // then keeps its own copy).
  void add(std::string_view key, bool icase, int index, bool copy = false);
  // Returns: the earliest position of a pattern equal to `key` (in the case
  // mode it was added with), or -1.
  int find(std::string_view key) const;
  bool empty() const { return exact_.empty() && folded_.empty(); }

  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  struct FoldHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const;
  };
  struct FoldEq {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const;
  };

 private:
  std::unordered_map<std::string_view, int, Hash, std::equal_to<>> exact_;
  std::unordered_map<std::string_view, int, FoldHash, FoldEq> folded_;
  std::deque<std::string> owned_;  // the keys added with `copy`
};

// Prefixes (beg) or suffixes (end): one table keyed by the whole pattern and
// the distinct pattern lengths, longest first; a lookup hashes the sample's
// prefix (suffix) of each length, so it costs one probe per distinct length.
class AffixIndex {
 public:
  explicit AffixIndex(bool suffix) : suffix_(suffix) {}
  // As KeyTable::add().
  void add(std::string_view p, bool icase, int index, bool copy = false);
  // Returns: for prefixes, the position of the longest pattern `v` starts
  // with (HAProxy keeps prefixes in a tree); for suffixes, the earliest
  // pattern `v` ends with (HAProxy scans them in order); -1 if none.
  int find(std::string_view v) const;

 private:
  bool suffix_;
  KeyTable keys_;
  std::vector<size_t> lengths_;  // distinct, descending
};

// dir and dom: a pattern, less its leading and trailing delimiters, must
// appear in the sample bounded by delimiters or the sample's ends. The index
// knows the most delimiters inside one pattern, so a lookup tries each
// delimited run of the sample up to that many inner delimiters.
class DelimIndex {
 public:
  // `dom`: the delimiters are '.', ':', '/' and '?'; otherwise '/' and '?'.
  explicit DelimIndex(bool dom) : dom_(dom) {}
  // As KeyTable::add().
  void add(std::string_view p, bool icase, int index, bool copy = false);
  // Returns: the earliest position of a pattern found in `v`, or -1.
  int find(std::string_view v) const;

 private:
  bool delim(char c) const;
  bool dom_;
  KeyTable keys_;
  int max_inner_ = 0;  // most delimiters inside one stripped pattern
};

// IPv4 and IPv6 networks: one hash table per prefix length and family,
// longest first, keyed by the masked address. Non-contiguous IPv4 masks
// ("10.0.255.0/255.0.255.0") cannot be indexed by length and stay in a list.
class NetIndex {
 public:
  // `addr` holds 4 or 16 bytes already masked; `mask` likewise.
  void add(bool v6, const unsigned char* addr, const unsigned char* mask, int bits, int index);
  // Returns: the longest network holding the address, the earliest of equal
  // lengths, or -1. A v4 address also matches v6 networks through its
  // v4-mapped form; a v6 address matches v4 networks if `v4` (its v4 form,
  // or null) does.
  int find(const unsigned char* v4, const unsigned char* v6) const;

 private:
  struct V6 {
    uint64_t hi, lo;
    bool operator==(const V6&) const = default;
  };
  struct V6Hash {
    size_t operator()(const V6& k) const { return std::hash<uint64_t>()(k.hi * 31 + k.lo); }
  };
  template <typename K, typename H = std::hash<K>>
  struct Level {
    int bits;
    std::unordered_map<K, int, H> nets;
  };
  struct Odd {  // an IPv4 network with a non-contiguous mask
    uint32_t addr, mask;
    int bits, index;
  };
  std::vector<Level<uint32_t>> v4_;  // descending bits
  std::vector<Level<V6, V6Hash>> v6_;
  std::vector<Odd> odd_;
};

}  // namespace hearth::expr
