// Parses the input as an MQTT first packet (CONNECT or CONNACK): every view
// the parse keeps must lie inside the input, and a valid packet's fields must
// be what its flags and version allow.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "expr/mqtt.h"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

void inside(std::string_view v, std::string_view in) {
  check(v.empty() || (v.data() >= in.data() && v.data() + v.size() <= in.data() + in.size()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hearth::expr;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  mqtt::Packet p;
  const mqtt::Status s = mqtt::parse(in, &p);
  if (s != mqtt::Status::kValid) return 0;
  check(p.type == mqtt::kConnect || p.type == mqtt::kConnack);
  check(p.version >= 3 && p.version <= 5);
  for (std::string_view v :
       {p.protocol_name, p.client_id, p.will_topic, p.will_payload, p.username, p.password})
    inside(v, in);
  for (int id = 0; id <= mqtt::kMaxPropertyId; ++id) {
    const mqtt::Property& prop = p.props[id];
    if (!prop.present) continue;
    check(p.version == 5 && mqtt::property_allowed(p.type, id));
    inside(prop.text, in);
  }
  if (p.type == mqtt::kConnect) check(!(p.flags & 1));
  // A valid packet stays valid, with the same answer, with bytes after it.
  if (size < 4096) {
    static char buf[4097];
    __builtin_memcpy(buf, data, size);
    buf[size] = '\x30';
    mqtt::Packet q;
    const mqtt::Status t = mqtt::parse(std::string_view(buf, size + 1), &q);
    if (p.type == mqtt::kConnect) check(t == mqtt::Status::kValid && q.flags == p.flags);
  }
  return 0;
}
