// Walks the input as a Protocol Buffers message and as gRPC messages, as the
// protobuf and ungrpc converters do. The first byte picks the value type,
// the second the path's length (1 to 4), the next ones its field numbers (0
// to 7, or 0x80 + n for field n up to 127); the rest is the message. Every value
// must be a view of the input, of the size its wire type gives, and the walk
// must only ever move forward inside the message.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "expr/protobuf.h"

namespace {

using namespace hearth::expr;

void check(bool ok) {
  if (!ok) __builtin_trap();
}

void inside(std::string_view v, std::string_view in) {
  check(v.empty() || (v.data() >= in.data() && v.data() + v.size() <= in.data() + in.size()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  const auto type = pbuf::FieldType(data[0] % (uint8_t(pbuf::FieldType::kDouble) + 1));
  const size_t n = 1 + data[1] % 4;
  if (size < 2 + n) return 0;
  uint32_t path[4];
  for (size_t i = 0; i < n; ++i)
    path[i] = data[2 + i] & 0x80 ? data[2 + i] & 0x7f : data[2 + i] % 8;
  const std::string_view msg(reinterpret_cast<const char*>(data) + 2 + n, size - 2 - n);

  pbuf::Value v;
  std::string_view rest = msg;
  const bool found = pbuf::find_field(&rest, path, n, type, &v);
  inside(rest, msg);
  check(rest.data() + rest.size() == msg.data() + msg.size());
  if (found) {
    check(v.is_int == (type != pbuf::FieldType::kRaw));
    if (!v.is_int) inside(v.bytes, msg);
  }
  // A raw lookup finds whatever a typed one finds.
  if (found && type != pbuf::FieldType::kRaw) {
    std::string_view again = msg;
    pbuf::Value raw;
    check(pbuf::find_field(&again, path, n, pbuf::FieldType::kRaw, &raw));
    if (type >= pbuf::FieldType::kFixed32 && type <= pbuf::FieldType::kFloat)
      check(raw.bytes.size() == 4);
    if (type >= pbuf::FieldType::kFixed64) check(raw.bytes.size() == 8);
    if (type <= pbuf::FieldType::kSint64) check(raw.bytes.size() <= 10);
  }
  pbuf::Value g;
  if (pbuf::find_grpc_field(msg, path, n, type, &g) && !g.is_int) inside(g.bytes, msg);
  return 0;
}
