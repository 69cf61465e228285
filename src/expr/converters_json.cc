// json_query(JSON_PATH[,OUTPUT_TYPE]) (HAProxy manual 7.3.1): the value a
// JSONPath names in the input, as a string, a boolean, or with "int" an
// integer. The path is compiled at load (expr/json_query.h).
#include <memory>

#include "expr/converters_more.h"
#include "expr/json_query.h"

namespace hearth::expr {
namespace {

using A = ArgType;
using T = SmpType;

bool conv_json_query(const Arg* args, size_t nargs, Sample& smp, FetchContext&) {
  return json_query_sample(smp.str, *args[0].json, nargs > 1 && args[1].sint, smp);
}

bool check_json_query(const ConvDef&, std::vector<Arg>& args, std::string* err) {
  if (args[0].str.empty()) {
    *err = "the JSON path must not be empty";
    return false;
  }
  args[0].json = std::make_shared<const JsonPath>(args[0].str);
  if (args.size() > 1) {
    if (args[1].str != "int") {
      *err = "the output type can only be 'int'";
      return false;
    }
    args[1].sint = 1;
  }
  return true;
}

const ConvDef kJsonQuery = {"json_query", {1, {A::kStr, A::kStr}}, T::kStr,
                            T::kAny,      conv_json_query,         check_json_query};

}  // namespace

bool json_query_sample(std::string_view json, const JsonPath& path, bool as_int, Sample& smp) {
  JsonValue v;
  if (!json_find(json, path, &v)) return false;
  switch (v.kind) {
    case JsonKind::kTrue:
    case JsonKind::kFalse:
      smp.set_bool(v.kind == JsonKind::kTrue);
      return true;
    case JsonKind::kNumber: {
      if (as_int) {
        int64_t n = 0;
        if (!json_number_int(v.from, &n)) return false;
        smp.set_sint(n);
        return true;
      }
      const Chunk c = next_chunk();
      size_t len = 0;
      if (!json_number_text(v.raw, c.data, c.size, &len)) return false;
      smp.set_str(std::string_view(c.data, len));
      return true;
    }
    case JsonKind::kString: {
      const Chunk c = next_chunk();
      const long len = json_unescape(v.raw, c.data, c.size);
      if (len < 0) return false;
      smp.set_str(std::string_view(c.data, size_t(len)));
      return true;
    }
  }
  return false;
}

const ConvDef* find_json_converter(std::string_view name) {
  return name == kJsonQuery.name ? &kJsonQuery : nullptr;
}

}  // namespace hearth::expr
