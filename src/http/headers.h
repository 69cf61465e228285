#pragma once
// Parsed header fields as views into the caller's receive buffer, plus the
// small helpers every consumer of header fields needs.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace hearth::http {

// The field names that framing and connection handling look at, recognised
// once, when a field line is parsed, so later stages switch on a byte rather
// than compare names again.
enum class FieldName : uint8_t {
  kUnclassified,  // not looked at (a field a rule added): compare the name
  kOther,         // looked at: none of those below
  kHost,
  kContentLength,
  kTransferEncoding,
  kConnection,
  kKeepAlive,
  kProxyConnection,
  kTe,
  kUpgrade,
  kExpect,
};

// One field line. `value` has leading and trailing whitespace removed;
// `known` is set by the parser.
struct HeaderField {
  std::string_view name;
  std::string_view value;
  FieldName known = FieldName::kUnclassified;
};

namespace detail {
// Requires: a and b each hold n readable bytes.
bool iequals_n(const char* a, const char* b, size_t n);
}  // namespace detail

// Returns: true when `a` and `b` are equal ignoring ASCII case. Inline so the
// common cases, a length mismatch or first bytes that differ by more than the
// case bit, cost a compare or two.
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  if (((a[0] ^ b[0]) & ~0x20) != 0) return false;
  return detail::iequals_n(a.data(), b.data(), a.size());
}

// Returns: which of the FieldName names `name` is (ignoring case), or kOther.
FieldName classify_field_name(std::string_view name);

// Returns: which FieldName `f` has, classifying it if the parser did not.
inline FieldName known_name(const HeaderField& f) {
  return f.known == FieldName::kUnclassified ? classify_field_name(f.name) : f.known;
}

// Read-only view over the fields of one message, in the order received. It
// owns nothing: the fields live in the HeadParser's fixed array and point into
// the caller's buffer, so a view is valid until the next parse call on that
// parser or until the buffer bytes move.
class Headers {
 public:
  Headers() = default;
  Headers(const HeaderField* fields, size_t size) : fields_(fields), size_(size) {}

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // Requires: i < size().
  const HeaderField& operator[](size_t i) const { return fields_[i]; }
  const HeaderField* begin() const { return fields_; }
  const HeaderField* end() const { return fields_ + size_; }

  // Returns: the first field named `name` (case-insensitive), or nullptr.
  const HeaderField* find(std::string_view name) const;
  // Returns: how many field lines are named `name` (case-insensitive).
  size_t count(std::string_view name) const;

 private:
  const HeaderField* fields_ = nullptr;
  size_t size_ = 0;
};

// Walks a comma-separated field value (RFC 9110 §5.6.1) without allocating.
// Elements are returned with surrounding whitespace removed; empty elements
// ("a, ,b") are returned as empty views so a strict caller can reject them.
// Commas inside quoted strings are not special-cased: none of the fields this
// parser interprets as lists (Connection, Transfer-Encoding, TE) need them.
class ListCursor {
 public:
  explicit ListCursor(std::string_view value) : rest_(value) {}
  // Returns: false when there are no more elements; otherwise sets *element.
  bool next(std::string_view* element);

 private:
  std::string_view rest_;
  bool done_ = false;
};

// Returns: `s` without leading and trailing SP/HTAB.
std::string_view trim_ows(std::string_view s);

}  // namespace hearth::http
