// The converters that act on the transaction or the process rather than on
// their input: capture-req and capture-res store it in a capture slot,
// debug copies it to an event sink. Each returns its input unchanged.
#include <string>

#include "expr/converters_more.h"
#include "expr/event_sink.h"

namespace hearth::expr {
namespace {

using A = ArgType;
using T = SmpType;

// A slot that does not exist here fails the expression, as HAProxy's.
bool conv_capture(const Arg* a, Sample& smp, FetchContext& ctx, bool response) {
  return a[0].sint >= 0 && ctx.capture(response, size_t(a[0].sint), smp.str);
}

bool conv_capture_req(const Arg* a, size_t, Sample& smp, FetchContext& ctx) {
  return conv_capture(a, smp, ctx, false);
}

bool conv_capture_res(const Arg* a, size_t, Sample& smp, FetchContext& ctx) {
  return conv_capture(a, smp, ctx, true);
}

bool check_capture_id(const ConvDef& def, std::vector<Arg>& args, std::string* err) {
  if (args[0].sint >= 0) return true;
  *err = "converter '" + std::string(def.name) + "' expects a capture slot id (0 or more)";
  return false;
}

// debug([PREFIX[,SINK]]): "[debug] PREFIX: type=TYPE <VALUE>", the value as
// text up to its first NUL byte, each byte outside printable ASCII shown as
// '.' (HAProxy's layout).
bool conv_debug(const Arg* a, size_t n, Sample& smp, FetchContext&) {
  std::string line = "[debug] ";
  if (n > 0) line += a[0].str;
  line += ": type=";
  line += type_name(smp.type);
  line += " <";
  Sample text = smp;
  if (cast(text, T::kStr)) {
    for (char c : text.str) {
      if (c == '\0') break;
      line.push_back(c >= 0x20 && c < 0x7f ? c : '.');
    }
  }
  line.push_back('>');
  write_event_sink(n > 1 ? std::string_view(a[1].str) : "buf0", line);
  return true;
}

bool check_debug(const ConvDef&, std::vector<Arg>& args, std::string* err) {
  if (args.size() < 2 || event_sink_known(args[1].str)) return true;
  *err = "converter 'debug': no event sink called '" + args[1].str +
         "' (expects stdout, stderr, buf0 or a ring section declared before)";
  return false;
}

const ConvDef kConverters[] = {
    {"capture-req", {1, {A::kSint}}, T::kStr, T::kStr, conv_capture_req, check_capture_id},
    {"capture-res", {1, {A::kSint}}, T::kStr, T::kStr, conv_capture_res, check_capture_id},
    {"debug", {0, {A::kStr, A::kStr}}, T::kAny, T::kAny, conv_debug, check_debug},
};

}  // namespace

const ConvDef* find_stream_converter(std::string_view name) {
  for (const ConvDef& c : kConverters)
    if (c.name == name) return &c;
  return nullptr;
}

}  // namespace hearth::expr
