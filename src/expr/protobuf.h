#pragma once
// Finding one field of a Protocol Buffers message, for the protobuf and
// ungrpc converters (HAProxy manual 7.3.1), without a schema. Pure and
// bounded: every read stays inside the bytes given; nothing allocates.
//
// The walk is HAProxy 2.6's, checked side by side with it
// (tests/integration/pbuf_language_test.cc), quirks included: one
// linear scan of the bytes with a position in the path. A field whose number
// is the path's next one is entered (its value is read as fields, whatever
// its wire type) and the path moves on; a length-delimited field that is not
// skipped, and once the bytes of the last length-delimited field entered or
// skipped are used up, a non-matching field sends the path back to its start.
// Wire types 3 and 4 (groups) and 6, 7 end the walk without a value.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace hearth::expr::pbuf {

// How the value is given: raw bytes (no type argument) or as an integer.
enum class FieldType : uint8_t {
  kRaw,
  kInt32,  // varints, read as 64-bit integers whatever their declared width
  kUint32,
  kInt64,
  kUint64,
  kBool,
  kEnum,
  kSint32,  // zigzag varints
  kSint64,
  kFixed32,  // 4 bytes, little-endian
  kSfixed32,
  kFloat,    // truncated to an integer, kept in 32 unsigned bits (as HAProxy)
  kFixed64,  // 8 bytes, little-endian
  kSfixed64,
  kDouble,  // truncated to a 64-bit integer (as HAProxy on x86-64)
};

// Returns: false if `name` is none of int32, uint32, int64, uint64, bool,
// enum, sint32, sint64, fixed32, sfixed32, float, fixed64, sfixed64, double.
bool parse_field_type(std::string_view name, FieldType* out);

// A field path, "1.2.3": numbers (an empty one is 0; each taken modulo
// 2^32) separated by dots, not ending with one. Returns: the number of
// fields, or 0 if `text` is not a path; at most `cap` are stored in `out`
// (a longer path is refused: returns 0).
size_t parse_field_path(std::string_view text, uint32_t* out, size_t cap);

// What was found: `bytes` (kRaw) or `num`.
struct Value {
  bool is_int = false;
  int64_t num = 0;
  std::string_view bytes;
};

// Looks for `path` (n >= 1 numbers) in the message at `*msg`, which is
// advanced over what the walk read (ungrpc reads the next message from
// there). Returns: false if there is no such field, or if its wire type does
// not carry `type`.
bool find_field(std::string_view* msg, const uint32_t* path, size_t n, FieldType type, Value* out);

// The same over gRPC messages (a flag byte and a 4-byte big-endian length
// before each), message after message until one has the field. Returns:
// false if none has, or a message is longer than the bytes left.
bool find_grpc_field(std::string_view in, const uint32_t* path, size_t n, FieldType type,
                     Value* out);

}  // namespace hearth::expr::pbuf
