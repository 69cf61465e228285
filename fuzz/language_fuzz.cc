// Runs the language converter on "LIST\nVALUE" (VALUE as an Accept-Language
// header value), with and without a default: the answer is always one of the
// list's entries, whole, or the default, and never an empty string.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "expr/converter.h"

namespace {

using namespace hearth::expr;

void check(bool ok) {
  if (!ok) __builtin_trap();
}

class NoStream : public FetchContext {
 public:
  bool fetch(const FetchDef&, const Arg*, size_t, FetchIter&, Sample&) override { return false; }
};

// Returns: true if `v` is a whole ';'-separated entry of `list`, in place.
bool is_entry(std::string_view v, std::string_view list) {
  if (v.data() < list.data() || v.data() + v.size() > list.data() + list.size()) return false;
  const size_t at = size_t(v.data() - list.data()), end = at + v.size();
  return (at == 0 || list[at - 1] == ';') && (end == list.size() || list[end] == ';');
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const size_t nl = in.find('\n');
  if (nl == std::string_view::npos) return 0;
  static const ConvDef* def = find_converter("language");
  std::vector<Arg> args(2);
  args[0].str = std::string(in.substr(0, nl));
  args[1].str = "dflt";
  NoStream ctx;
  for (size_t nargs : {size_t(1), size_t(2)}) {
    Sample smp;
    smp.set_str(in.substr(nl + 1));
    if (!def->fn(args.data(), nargs, smp, ctx)) continue;
    check(smp.type == SmpType::kStr && !smp.str.empty());
    check(is_entry(smp.str, args[0].str) || (nargs == 2 && smp.str.data() == args[1].str.data()));
  }
  return 0;
}
