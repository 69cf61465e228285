#pragma once
// json_query (HAProxy manual 7.3.1): a JSONPath subset ("$", then ".key" and
// "[n]" steps, a backslash making the next path byte literal) compiled once at
// load, and a single pass over the document that walks to the first value the
// path names and stops there. HAProxy reads JSON with a small lenient
// tokenizer; this one accepts and refuses what that tokenizer does (control
// bytes in strings, trailing commas, at most 20 nested containers, the
// document's tail after the match not read). Nothing here allocates.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hearth::expr {

class JsonPath {
 public:
  struct Step {
    std::string key;     // an object member, compared byte for byte with the raw key
    int64_t index = -1;  // an array element when >= 0
  };
  // Compiles `text`. A path outside the subset compiles too but never
  // matches, as HAProxy's (which accepts any text there).
  explicit JsonPath(std::string_view text);
  const std::vector<Step>& steps() const { return steps_; }
  bool usable() const { return usable_; }

 private:
  std::vector<Step> steps_;
  bool usable_ = true;
};

enum class JsonKind : uint8_t { kString, kNumber, kTrue, kFalse };

struct JsonValue {
  JsonKind kind = JsonKind::kString;
  // The value's text as written: a string's bytes between its quotes
  // (escapes not decoded), a number's characters.
  std::string_view raw;
  std::string_view from;  // the document from the value on (numbers: see json_number_int)
};

// Walks `doc` to the value `path` names. Returns: false if the document has
// no such value before it ends or turns invalid, or if the value is null,
// an object or an array (json_query has no sample for those).
bool json_find(std::string_view doc, const JsonPath& path, JsonValue* out);

// Decodes a string's escapes as HAProxy's reader does: \" \\ \b \f \n \r
// \t, and \u00XX as the one byte XX. Returns: the decoded length, or -1 for
// any other escape or when `cap` is too small.
long json_unescape(std::string_view raw, char* out, size_t cap);

// A number read as HAProxy does. json_number_text: its value printed with
// "%g" into `out`. json_number_int: the integer C's strtoll(..., 0) reads
// from the number's start (`from`: "3.9" is 3, "1e3" is 1). Returns: false
// if it does not fit (text), or lies outside +/-(2^53 - 1) (integer).
bool json_number_text(std::string_view raw, char* out, size_t cap, size_t* len);
bool json_number_int(std::string_view from, int64_t* out);

}  // namespace hearth::expr
