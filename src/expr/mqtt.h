#pragma once
// MQTT (3.1, 3.1.1 and 5.0) first packets, for the mqtt_is_valid and
// mqtt_field_value converters (HAProxy manual 7.3.1): a CONNECT from a
// client, a CONNACK from a server. Pure and bounded: the parse reads the
// input once, keeps views into it and allocates nothing.
//
// What "valid" means here is what HAProxy 2.6 accepts, checked side by side
// (tests/integration/mqtt_converters_test.cc): the fixed header, the
// remaining length (at most 4 bytes) framing exactly the fields it holds,
// the protocol name MQTT or MQIsdp with a level of 3, 4 or 5, a clear
// reserved connect flag, and for 5.0 properties that the packet may carry,
// each once (but User Property), with values in their range. Strings are not
// checked for UTF-8. Bytes after the packet are allowed, but after a CONNACK
// they make it read as a 5.0 one (its level is not on the wire: a 3.1.1
// CONNACK is exactly two bytes long).
#include <cstdint>
#include <string_view>

namespace hearth::expr::mqtt {

enum class Status : uint8_t {
  kValid,
  kInvalid,
  kMore,  // a prefix of what may become a valid packet; also what HAProxy
          // answers for a CONNACK with a property it does not know
};

enum PacketType : uint8_t { kConnect = 1, kConnack = 2 };

// Connect flags.
inline constexpr uint8_t kFlagWill = 0x04;
inline constexpr uint8_t kFlagPassword = 0x40;
inline constexpr uint8_t kFlagUsername = 0x80;

// The highest property identifier MQTT 5.0 defines (Shared Subscription
// Available).
inline constexpr int kMaxPropertyId = 42;
inline constexpr int kUserProperty = 38;

struct Property {
  bool present = false;
  uint32_t num = 0;       // byte, two- and four-byte integers
  std::string_view text;  // UTF-8 strings and binary data
};

struct Packet {
  uint8_t type = 0;     // PacketType
  uint8_t version = 0;  // 3, 4 or 5
  uint8_t flags = 0;    // connect flags / connect acknowledge flags
  uint8_t reason_code = 0;
  uint16_t keepalive = 0;
  std::string_view protocol_name, client_id, will_topic, will_payload, username, password;
  // By identifier: the connect and will properties of a CONNECT (two sets
  // with no identifier in common), or those of a CONNACK.
  Property props[kMaxPropertyId + 1];
};

// Parses the packet at the start of `in`. Returns: kValid with *out filled,
// kInvalid, or kMore if `in` is too short to tell.
Status parse(std::string_view in, Packet* out);

enum class PropKind : uint8_t { kNone, kByte, kTwo, kFour, kVarint, kString, kBinary, kPair };
// Returns: how property `id` is encoded (kNone: MQTT 5.0 defines no such id).
PropKind property_kind(int id);
// Returns: true if packets of type `type` (1 to 15) may carry property `id`
// in MQTT 5.0 (a CONNECT: in its connect or its will properties).
bool property_allowed(int type, int id);
// Returns: true if property `id` of a CONNECT belongs to its will properties.
bool is_will_property(int id);

}  // namespace hearth::expr::mqtt
