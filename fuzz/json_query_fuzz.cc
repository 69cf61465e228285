// Reads the input as "PATH\nDOCUMENT" and runs json_query's walk over it:
// every answer must lie inside the document, and decoding a string or a
// number must stay inside its output buffer.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "expr/json_query.h"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hearth::expr;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const size_t nl = in.find('\n');
  const std::string_view path = nl == std::string_view::npos ? "$" : in.substr(0, nl);
  const std::string_view doc = nl == std::string_view::npos ? in : in.substr(nl + 1);
  const JsonPath p(path);
  JsonValue v;
  if (!json_find(doc, p, &v)) return 0;
  check(v.raw.data() >= doc.data() && v.raw.data() + v.raw.size() <= doc.data() + doc.size());
  char out[64];
  if (v.kind == JsonKind::kString) {
    const long n = json_unescape(v.raw, out, sizeof out);
    check(n < long(sizeof out) && n <= long(v.raw.size()));
  } else if (v.kind == JsonKind::kNumber) {
    size_t len = 0;
    if (json_number_text(v.raw, out, sizeof out, &len)) check(len < sizeof out);
    int64_t n = 0;
    if (json_number_int(v.from, &n)) check(n < (int64_t(1) << 53) && n > -(int64_t(1) << 53));
  }
  return 0;
}
