// protobuf(PATH[,TYPE]) and ungrpc(PATH[,TYPE]) (HAProxy manual 7.3.1): a
// field of a Protocol Buffers message, or of the first gRPC message of the
// input that has it; expr/protobuf walks the bytes. Without TYPE the value's
// bytes come out as binary (a varint's own bytes, 8 or 4 bytes of a fixed
// field, a length-delimited field's payload); with TYPE an integer, as in
// HAProxy (whose declared output is binary for both: so is it here).
#include <cstring>

#include "expr/converters_more.h"
#include "expr/protobuf.h"

namespace hearth::expr {
namespace {

using A = ArgType;
using T = SmpType;

// The longest path taken: deeper nesting is refused at load.
constexpr size_t kMaxPath = 64;

// At load: PATH becomes its numbers (args[0].str holds them packed,
// args[0].sint their count), TYPE a pbuf::FieldType in args[1].sint.
bool check_protobuf(const ConvDef&, std::vector<Arg>& args, std::string* err) {
  uint32_t path[kMaxPath];
  const size_t n = pbuf::parse_field_path(args[0].str, path, kMaxPath);
  if (n == 0) {
    *err = "invalid protocol buffers field path '" + args[0].str +
           "' (expects field numbers separated by dots, as in 1.2.3, at most " +
           std::to_string(kMaxPath) + ")";
    return false;
  }
  pbuf::FieldType type = pbuf::FieldType::kRaw;
  if (args.size() > 1 && !pbuf::parse_field_type(args[1].str, &type)) {
    *err = "unknown protocol buffers field type '" + args[1].str +
           "' (expects int32, int64, uint32, uint64, sint32, sint64, bool, enum, fixed32, "
           "sfixed32, float, fixed64, sfixed64 or double)";
    return false;
  }
  args[0].str.assign(reinterpret_cast<const char*>(path), n * sizeof(uint32_t));
  args[0].sint = int64_t(n);
  args.resize(2);
  args[1].sint = int64_t(type);
  return true;
}

// Copies the packed path of args[0] into `path`. Returns: its length.
size_t unpack_path(const Arg& a, uint32_t* path) {
  const size_t n = size_t(a.sint);
  std::memcpy(path, a.str.data(), n * sizeof(uint32_t));
  return n;
}

void set_value(const pbuf::Value& v, Sample& smp) {
  if (v.is_int)
    smp.set_sint(v.num);
  else
    smp.set_bin(v.bytes);
}

bool conv_protobuf(const Arg* args, size_t, Sample& smp, FetchContext&) {
  uint32_t path[kMaxPath];
  const size_t n = unpack_path(args[0], path);
  std::string_view msg = smp.str;
  pbuf::Value v;
  if (!pbuf::find_field(&msg, path, n, pbuf::FieldType(args[1].sint), &v)) return false;
  set_value(v, smp);
  return true;
}

bool conv_ungrpc(const Arg* args, size_t, Sample& smp, FetchContext&) {
  uint32_t path[kMaxPath];
  const size_t n = unpack_path(args[0], path);
  pbuf::Value v;
  if (!pbuf::find_grpc_field(smp.str, path, n, pbuf::FieldType(args[1].sint), &v)) return false;
  set_value(v, smp);
  return true;
}

const ConvDef kConverters[] = {
    {"protobuf", {1, {A::kStr, A::kStr}}, T::kBin, T::kBin, conv_protobuf, check_protobuf},
    {"ungrpc", {1, {A::kStr, A::kStr}}, T::kBin, T::kBin, conv_ungrpc, check_protobuf},
};

}  // namespace

const ConvDef* find_protobuf_converter(std::string_view name) {
  for (const ConvDef& c : kConverters)
    if (c.name == name) return &c;
  return nullptr;
}

}  // namespace hearth::expr
