// Parses the input as a crt-list file. Every line that parses must print
// back (as "show ssl crt-list" writes it) to a line that parses to the same
// certificate, options and filters.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/crt_list.h"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hearth::config;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  BindTls bind;
  bind.enabled = true;
  const CrtList list = parse_crt_list(text, "fuzz.lst", bind);
  for (const CrtListLine& l : list.lines) {
    check(!l.path.empty() && l.line >= 1);
    if (l.path[0] == '#') continue;  // "  #x" names a certificate; printed first, it is a comment
    const std::string again = format_crt_list_line(l);
    const CrtList re = parse_crt_list(again, "again.lst", bind);
    check(re.ok() && re.lines.size() == 1);
    check(re.lines[0].path == l.path && re.lines[0].options == l.options &&
          re.lines[0].filters == l.filters);
  }
  return 0;
}
