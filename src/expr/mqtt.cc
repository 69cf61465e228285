#include "expr/mqtt.h"

#include <initializer_list>

namespace hearth::expr::mqtt {
namespace {

// Reads big-endian fields from a byte range; every read fails past its end.
struct Reader {
  std::string_view in;
  size_t pos = 0;

  size_t left() const { return in.size() - pos; }
  bool u8(uint8_t* v) {
    if (left() < 1) return false;
    *v = uint8_t(in[pos++]);
    return true;
  }
  bool uint(size_t n, uint32_t* v) {
    if (left() < n) return false;
    *v = 0;
    for (size_t i = 0; i < n; ++i) *v = *v << 8 | uint8_t(in[pos++]);
    return true;
  }
  // A variable byte integer: 7 bits a byte, low group first, at most 4 bytes.
  bool varint(uint32_t* v) {
    *v = 0;
    for (int i = 0; i < 4; ++i) {
      uint8_t b;
      if (!u8(&b)) return false;
      *v |= uint32_t(b & 0x7f) << (7 * i);
      if (!(b & 0x80)) return true;
    }
    return false;
  }
  // A two-byte length, then that many bytes.
  bool str(std::string_view* s) {
    uint32_t n;
    if (!uint(2, &n) || left() < n) return false;
    *s = in.substr(pos, n);
    pos += n;
    return true;
  }
};

bool in_list(int id, std::initializer_list<int> ids) {
  for (int i : ids)
    if (i == id) return true;
  return false;
}

// Properties whose value is a boolean byte, and those that may not be 0.
bool must_be_bool(int id) { return in_list(id, {1, 23, 25, 36, 37, 40, 41, 42}); }
bool must_not_be_zero(int id) { return id == 33 || id == 39; }

// Which property set a CONNECT is reading.
enum class Set : uint8_t { kConnect, kWill, kConnack };

bool allowed_in(Set set, int id) {
  switch (set) {
    case Set::kConnect:
      return property_allowed(kConnect, id) && !is_will_property(id);
    case Set::kWill:
      return is_will_property(id) || id == kUserProperty;
    case Set::kConnack:
      return property_allowed(kConnack, id);
  }
  return false;
}

// Reads one property's value into *p. Returns: false if it is cut short or
// out of its range.
bool read_value(Reader& r, int id, Property* p) {
  uint32_t v = 0;
  switch (property_kind(id)) {
    case PropKind::kByte: {
      uint8_t b;
      if (!r.u8(&b)) return false;
      v = b;
      break;
    }
    case PropKind::kTwo:
      if (!r.uint(2, &v)) return false;
      break;
    case PropKind::kFour:
      if (!r.uint(4, &v)) return false;
      break;
    case PropKind::kVarint:
      if (!r.varint(&v)) return false;
      break;
    case PropKind::kString:
    case PropKind::kBinary:
      return r.str(&p->text);
    case PropKind::kPair: {
      std::string_view name, value;
      return r.str(&name) && r.str(&value);  // not kept: HAProxy offers no access
    }
    case PropKind::kNone:
      return false;
  }
  if ((must_be_bool(id) && v > 1) || (must_not_be_zero(id) && v == 0)) return false;
  p->num = v;
  return true;
}

// Reads a property length and the properties it frames into pkt->props.
Status read_properties(Reader& r, Set set, Packet* pkt) {
  uint32_t len;
  if (!r.varint(&len) || r.left() < len) return Status::kInvalid;
  Reader sub{r.in.substr(r.pos, len)};
  r.pos += len;
  while (sub.left()) {
    uint8_t id;
    sub.u8(&id);
    if (id > kMaxPropertyId || !allowed_in(set, id))
      // HAProxy 2.6 gives no answer, rather than false, for a CONNACK
      // property it does not take.
      return set == Set::kConnack ? Status::kMore : Status::kInvalid;
    Property& p = pkt->props[id];
    if (p.present && id != kUserProperty) return Status::kInvalid;
    if (!read_value(sub, id, &p)) return Status::kInvalid;
    p.present = true;
  }
  return Status::kValid;
}

Status parse_connect(Reader r, Packet* pkt) {
  uint8_t version, flags;
  uint32_t keepalive;
  if (!r.str(&pkt->protocol_name) || !r.u8(&version) || !r.u8(&flags) || !r.uint(2, &keepalive))
    return Status::kInvalid;
  if (pkt->protocol_name != "MQTT" && pkt->protocol_name != "MQIsdp") return Status::kInvalid;
  if (version < 3 || version > 5 || (flags & 0x01)) return Status::kInvalid;
  pkt->version = version, pkt->flags = flags, pkt->keepalive = uint16_t(keepalive);
  if (version == 5) {
    if (Status s = read_properties(r, Set::kConnect, pkt); s != Status::kValid) return s;
  }
  if (!r.str(&pkt->client_id)) return Status::kInvalid;
  if (flags & kFlagWill) {
    if (version == 5) {
      if (Status s = read_properties(r, Set::kWill, pkt); s != Status::kValid) return s;
    }
    if (!r.str(&pkt->will_topic) || !r.str(&pkt->will_payload)) return Status::kInvalid;
  }
  if ((flags & kFlagUsername) && !r.str(&pkt->username)) return Status::kInvalid;
  if ((flags & kFlagPassword) && !r.str(&pkt->password)) return Status::kInvalid;
  return r.left() ? Status::kInvalid : Status::kValid;
}

Status parse_connack(Reader r, bool v5, Packet* pkt) {
  uint8_t flags, code;
  if (!r.u8(&flags) || !r.u8(&code) || (flags & 0xfe)) return Status::kInvalid;
  pkt->version = v5 ? 5 : 4, pkt->flags = flags, pkt->reason_code = code;
  if (v5) {
    if (Status s = read_properties(r, Set::kConnack, pkt); s != Status::kValid) return s;
  }
  return r.left() ? Status::kInvalid : Status::kValid;
}

}  // namespace

PropKind property_kind(int id) {
  switch (id) {
    case 1:
    case 23:
    case 25:
    case 36:
    case 37:
    case 40:
    case 41:
    case 42:
      return PropKind::kByte;
    case 19:
    case 33:
    case 34:
    case 35:
      return PropKind::kTwo;
    case 2:
    case 17:
    case 24:
    case 39:
      return PropKind::kFour;
    case 11:
      return PropKind::kVarint;
    case 3:
    case 8:
    case 18:
    case 21:
    case 26:
    case 28:
    case 31:
      return PropKind::kString;
    case 9:
    case 22:
      return PropKind::kBinary;
    case kUserProperty:
      return PropKind::kPair;
    default:
      return PropKind::kNone;
  }
}

bool is_will_property(int id) { return in_list(id, {1, 2, 3, 8, 9, 24}); }

bool property_allowed(int type, int id) {
  switch (type) {
    case 1:
      return in_list(id, {17, 21, 22, 23, 25, 33, 34, 38, 39}) || is_will_property(id);
    case 2:
      return in_list(id, {17, 18, 19, 21, 22, 26, 28, 31, 33, 34, 36, 37, 38, 39, 40, 41, 42});
    case 3:
      return in_list(id, {1, 2, 3, 8, 9, 11, 35, 38});
    case 4:
    case 5:
    case 6:
    case 7:
    case 9:
    case 11:
      return id == 31 || id == 38;
    case 8:
      return id == 11 || id == 38;
    case 10:
      return id == 38;
    case 14:
      return in_list(id, {17, 28, 31, 38});
    case 15:
      return in_list(id, {21, 22, 31, 38});
    default:
      return false;
  }
}

Status parse(std::string_view in, Packet* out) {
  *out = Packet{};
  if (in.empty()) return Status::kMore;
  const uint8_t first = uint8_t(in[0]);
  if (first != kConnect << 4 && first != kConnack << 4) return Status::kInvalid;
  uint32_t remaining = 0;
  size_t i = 1;
  for (;; ++i) {
    if (i > 4) return Status::kInvalid;  // a fifth length byte
    if (i >= in.size()) return Status::kMore;
    const uint8_t b = uint8_t(in[i]);
    remaining |= uint32_t(b & 0x7f) << (7 * (i - 1));
    if (!(b & 0x80)) break;
  }
  ++i;
  const size_t after = in.size() - i;
  if (after < remaining) return Status::kMore;
  out->type = first >> 4;
  const Reader body{in.substr(i, remaining)};
  return out->type == kConnect ? parse_connect(body, out) : parse_connack(body, after > 2, out);
}

}  // namespace hearth::expr::mqtt
