// MQTT converters (HAProxy manual 7.3.1): mqtt_is_valid and
// mqtt_field_value(PACKET_TYPE, FIELD), on the first packet of a client (a
// CONNECT) or of a server (a CONNACK); expr/mqtt parses it. Every field comes
// out as a binary sample, numbers in decimal, as in HAProxy.
#include <charconv>
#include <string>

#include "expr/converters_more.h"
#include "expr/mqtt.h"
#include "expr/pattern.h"
#include "expr/sample_settle.h"

namespace hearth::expr {
namespace {

using A = ArgType;
using T = SmpType;

// The named fields; a property is its identifier (1 to 42).
enum Field : int64_t {
  kFlags = 100,
  kProtocolName,
  kProtocolVersion,
  kClientIdentifier,
  kWillTopic,
  kWillPayload,
  kUsername,
  kPassword,
  kKeepalive,
  kReasonCode,
};

constexpr const char* kTypeNames[] = {"",          "connect",  "connack",     "publish",
                                      "puback",    "pubrec",   "pubrel",      "pubcomp",
                                      "subscribe", "suback",   "unsubscribe", "unsuback",
                                      "pingreq",   "pingresp", "disconnect",  "auth"};

struct NamedField {
  const char* name;
  Field field;
  int type;  // 1 CONNECT, 2 CONNACK, 0 both
};
constexpr NamedField kFields[] = {
    {"flags", kFlags, 0},
    {"protocol_name", kProtocolName, 1},
    {"protocol_version", kProtocolVersion, 0},
    {"client_identifier", kClientIdentifier, 1},
    {"will_topic", kWillTopic, 1},
    {"will_payload", kWillPayload, 1},
    {"username", kUsername, 1},
    {"password", kPassword, 1},
    {"keepalive", kKeepalive, 1},
    {"reason_code", kReasonCode, 2},
};

// Returns: the decimal value of `s` (1 to 3 digits), or -1.
int small_number(std::string_view s) {
  int v = -1;
  if (s.empty() || s.size() > 3) return -1;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && p == s.data() + s.size() ? v : -1;
}

// The packet type (a name, any case, or 1 to 15) then the field (a name of
// that type, any case, or a property identifier that type may carry), as
// HAProxy takes them. Reason codes exist in the types that have one.
bool check_mqtt_field(const ConvDef&, std::vector<Arg>& args, std::string* err) {
  int type = small_number(args[0].str);
  for (int t = 1; t < 16 && type < 0; ++t)
    if (iequal(args[0].str, kTypeNames[t])) type = t;
  if (type < 1 || type > 15) {
    *err = "unknown MQTT packet type '" + args[0].str + "'";
    return false;
  }
  args[0].sint = type;
  const std::string& f = args[1].str;
  const bool has_reason = (type >= 4 && type <= 7) || type == 14;
  for (const NamedField& n : kFields) {
    if (!iequal(f, n.name)) continue;
    if (n.type == type || (n.type == 0 && type <= 2) || (n.field == kReasonCode && has_reason)) {
      args[1].sint = n.field;
      return true;
    }
  }
  const int id = small_number(f);
  if (id >= 0 && mqtt::property_allowed(type, id)) {
    args[1].sint = id;
    return true;
  }
  *err = "unknown MQTT field '" + f + "' for packet type '" + args[0].str + "'";
  return false;
}

// Returns: `v` in decimal, in a scratch chunk.
std::string_view decimal(uint64_t v) {
  Chunk c = next_chunk();
  auto [end, ec] = std::to_chars(c.data, c.data + c.size, v);
  return ec == std::errc() ? std::string_view(c.data, size_t(end - c.data)) : std::string_view();
}

// A 5.0 packet has every integer property: 0 when absent (HAProxy's
// answer); strings and binary data only when present. Will properties exist
// only with the will flag. Returns: false if there is no such value.
bool property_value(const mqtt::Packet& p, int id, Sample& smp) {
  if (p.version != 5 || id == mqtt::kUserProperty) return false;
  if (p.type == mqtt::kConnect && mqtt::is_will_property(id) && !(p.flags & mqtt::kFlagWill))
    return false;
  const mqtt::Property& prop = p.props[id];
  switch (mqtt::property_kind(id)) {
    case mqtt::PropKind::kString:
    case mqtt::PropKind::kBinary:
      if (!prop.present) return false;
      smp.set_bin(prop.text);
      return true;
    default:
      smp.set_bin(decimal(prop.num));
      return true;
  }
}

// Returns: false if the field is absent from `p`.
bool field_value(const mqtt::Packet& p, int64_t field, Sample& smp) {
  const bool will = p.flags & mqtt::kFlagWill;
  switch (field) {
    case kFlags:
      smp.set_bin(decimal(p.flags));
      return true;
    case kProtocolName:
      smp.set_bin(p.protocol_name);
      return true;
    case kProtocolVersion:
      smp.set_bin(decimal(p.version));
      return true;
    case kClientIdentifier:
      smp.set_bin(p.client_id);
      return true;
    case kWillTopic:
      if (!will) return false;
      smp.set_bin(p.will_topic);
      return true;
    case kWillPayload:
      if (!will) return false;
      smp.set_bin(p.will_payload);
      return true;
    case kUsername:
      if (!(p.flags & mqtt::kFlagUsername)) return false;
      smp.set_bin(p.username);
      return true;
    case kPassword:
      if (!(p.flags & mqtt::kFlagPassword)) return false;
      smp.set_bin(p.password);
      return true;
    case kKeepalive:
      smp.set_bin(decimal(p.keepalive));
      return true;
    case kReasonCode:
      smp.set_bin(decimal(p.reason_code));
      return true;
    default:
      return property_value(p, int(field), smp);
  }
}

// A prefix that may still become a packet gives no answer yet (the fetch's
// "may change" mark stays); any other answer is final.
bool conv_mqtt_is_valid(const Arg*, size_t, Sample& smp, FetchContext&) {
  mqtt::Packet p;
  const mqtt::Status s = mqtt::parse(smp.str, &p);
  if (s == mqtt::Status::kMore) return false;
  settle_sample();
  smp.set_bool(s == mqtt::Status::kValid);
  return true;
}

bool conv_mqtt_field_value(const Arg* a, size_t, Sample& smp, FetchContext&) {
  mqtt::Packet p;
  const mqtt::Status s = mqtt::parse(smp.str, &p);
  if (s == mqtt::Status::kMore) return false;
  settle_sample();
  return s == mqtt::Status::kValid && p.type == a[0].sint && field_value(p, a[1].sint, smp);
}

const ConvDef kConverters[] = {
    {"mqtt_is_valid", {0, {}}, T::kBin, T::kBool, conv_mqtt_is_valid},
    {"mqtt_field_value",
     {2, {A::kStr, A::kStr}},
     T::kBin,
     T::kBin,
     conv_mqtt_field_value,
     check_mqtt_field},
};

}  // namespace

const ConvDef* find_mqtt_converter(std::string_view name) {
  for (const ConvDef& c : kConverters)
    if (c.name == name) return &c;
  return nullptr;
}

}  // namespace hearth::expr
