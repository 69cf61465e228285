#pragma once
// Stick-table messages of the peers protocol (HAProxy 2.6): the table
// definition a sender announces before its updates, and the updates that
// carry one entry's key and data. Pure code over stick::Table.
//
// Data values, in the order of the sender's data-type bits: counters and
// tags as integers, server_id as a (sign-extended) integer, byte counts as
// 64-bit integers, rates as three integers (ms since the current period
// began, its count, the previous period's count), server_key as a
// dictionary reference (length, then an id from 1, then, when the id is
// new or rebound, the string's length and bytes), arrays as their elements.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "stick/table.h"

namespace hearth::peers {

// Key types on the wire.
enum WireKeyType : uint8_t { kKeySint = 2, kKeyIpv4 = 4, kKeyIpv6 = 5, kKeyStr = 6, kKeyBin = 7 };
uint8_t wire_key_type(stick::KeyType t);
// The key length a table announces (HAProxy's: a string's with its NUL).
uint32_t wire_key_len(const stick::TableConfig& c);

constexpr size_t kDataTypes = size_t(stick::DataType::kCount);
constexpr size_t kDictSlots = 128;

// What a definition message says about the sender's table.
struct TableDef {
  uint64_t id = 0;
  std::string name;
  uint64_t key_type = 0;
  uint64_t key_len = 0;
  uint64_t data_bits = 0;
  uint64_t expire_ms = 0;
  std::array<uint32_t, kDataTypes> nbelem{};  // arrays (1 for the others)
  std::array<uint32_t, kDataTypes> period{};  // rates
};

// The definition of `t` under sender id `id`.
void encode_define(const stick::Table& t, uint64_t id, std::string* payload);
// Returns: false if malformed (bits beyond the known types are malformed:
// their values could not be skipped).
bool decode_define(std::string_view payload, TableDef* def);
// Whether the sender's table may feed `t`: same key type and length.
bool matches(const TableDef& def, const stick::Table& t);

// An update of entry `e` (its data read under its lock). `id`: the update
// id, omitted when `incremental`. `timed`: with the time the entry has left
// (kUpdateTimed / kIncUpdateTimed).
void encode_update(stick::Table& t, stick::Entry* e, uint32_t id, bool incremental, int64_t now_ms,
                   std::string* payload, bool timed = false);

// Dictionary entries a session received (server_key values), by id - 1.
struct RxDict {
  std::array<const std::string*, kDictSlots> slot{};
};

struct UpdateInfo {
  bool has_id = false;
  uint32_t id = 0;
  bool timed = false;
  uint32_t expire_ms = 0;
};

// Decodes an update (`type`: kUpdate, kIncUpdate, kUpdateTimed or
// kIncUpdateTimed) sent under `def` and, if `t` is not null, stores it in
// `t` (the entry created or overwritten, its expiry from the message or the
// table's). Returns: false if malformed (nothing stored then).
bool apply_update(uint8_t type, std::string_view payload, const TableDef& def, stick::Table* t,
                  RxDict* dict, int64_t now_ms, UpdateInfo* info);

}  // namespace hearth::peers
