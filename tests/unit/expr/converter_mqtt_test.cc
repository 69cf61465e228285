// mqtt_is_valid and mqtt_field_value on packets laid out by hand: the
// packets of HAProxy's converter/mqtt reg-test, their prefixes (no answer
// yet) and broken copies, and the load-time checks of the arguments. The
// comparison with HAProxy itself is tests/integration/mqtt_converters_test.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "expr/mqtt.h"
#include "expr/sample_expr.h"
#include "unit/expr/eval_bin.h"

namespace hearth::expr {
namespace {

// MQTT 3.1.1 CONNECT, id test_sub, username test, password passwd, will
// topic willtopic, will payload willpayload.
const std::string kConnect311 =
    "103a00044d51545404ee003c0008746573745f737562000977696c6c746f706963000b77696c6c7061796c6f61"
    "640004746573740006706173737764";
// MQTT 5.0 CONNECT with connect properties (maximum packet size 20, request
// problem information 1, two user properties) and will properties (content
// type text/plain, response topic willrsptopic, two user properties).
const std::string kConnect50 =
    "107e00044d51545405ee003c182700000014170126000161000162260001630001642100140008746573745f73"
    "75622a03000a746578742f706c61696e08000c77696c6c727370746f7069632600016500016626000167000168"
    "000977696c6c746f706963000b77696c6c7061796c6f61640004746573740006706173737764";
const std::string kConnack50 =
    "20250000221100000078217fff24012501270000ffff22000a2600016100016226000163000164";

std::optional<std::string> eval(const std::string& hex, const std::string& convs) {
  return testing::eval_bin_hex(hex, convs);
}

// Returns: the load-time error of `convs`, or "" if it loads.
std::string load_error(const std::string& convs) {
  std::string err;
  auto e = parse_sample_expr("req.payload(0,0)," + convs, kUseAny, &err);
  return e ? "" : err;
}

TEST(MqttConverters, Connect311Fields) {
  EXPECT_EQ(eval(kConnect311, "mqtt_is_valid"), "true");
  EXPECT_EQ(eval(kConnect311, "mqtt_field_value(connect,flags)"), "238");
  EXPECT_EQ(eval(kConnect311, "mqtt_field_value(CONNECT,protocol_name)"), "MQTT");
  EXPECT_EQ(eval(kConnect311, "mqtt_field_value(1,protocol_version)"), "4");
  EXPECT_EQ(eval(kConnect311, "mqtt_field_value(connect,client_identifier)"), "test_sub");
  EXPECT_EQ(eval(kConnect311, "mqtt_field_value(connect,will_topic)"), "willtopic");
  EXPECT_EQ(eval(kConnect311, "mqtt_field_value(connect,will_payload)"), "willpayload");
  EXPECT_EQ(eval(kConnect311, "mqtt_field_value(connect,Username)"), "test");
  EXPECT_EQ(eval(kConnect311, "mqtt_field_value(connect,password)"), "passwd");
  EXPECT_EQ(eval(kConnect311, "mqtt_field_value(connect,keepalive)"), "60");
  // Properties are 5.0 only; a CONNACK field of a CONNECT is no sample.
  EXPECT_EQ(eval(kConnect311, "mqtt_field_value(connect,17)"), std::nullopt);
  EXPECT_EQ(eval(kConnect311, "mqtt_field_value(connack,flags)"), std::nullopt);
}

TEST(MqttConverters, Connect50Properties) {
  EXPECT_EQ(eval(kConnect50, "mqtt_is_valid"), "true");
  EXPECT_EQ(eval(kConnect50, "mqtt_field_value(connect,protocol_version)"), "5");
  EXPECT_EQ(eval(kConnect50, "mqtt_field_value(connect,39)"), "20");
  EXPECT_EQ(eval(kConnect50, "mqtt_field_value(connect,23)"), "1");
  EXPECT_EQ(eval(kConnect50, "mqtt_field_value(connect,3)"), "text/plain");
  EXPECT_EQ(eval(kConnect50, "mqtt_field_value(connect,8)"), "willrsptopic");
  // Absent: an integer is 0, a string or binary is no sample.
  EXPECT_EQ(eval(kConnect50, "mqtt_field_value(connect,17)"), "0");
  EXPECT_EQ(eval(kConnect50, "mqtt_field_value(connect,24)"), "0");
  EXPECT_EQ(eval(kConnect50, "mqtt_field_value(connect,9)"), std::nullopt);
  EXPECT_EQ(eval(kConnect50, "mqtt_field_value(connect,38)"), std::nullopt);
}

TEST(MqttConverters, Connack) {
  EXPECT_EQ(eval(kConnack50, "mqtt_is_valid"), "true");
  EXPECT_EQ(eval(kConnack50, "mqtt_field_value(connack,protocol_version)"), "5");
  EXPECT_EQ(eval(kConnack50, "mqtt_field_value(connack,17)"), "120");
  EXPECT_EQ(eval(kConnack50, "mqtt_field_value(connack,33)"), "32767");
  EXPECT_EQ(eval(kConnack50, "mqtt_field_value(connack,34)"), "10");
  EXPECT_EQ(eval("20020100", "mqtt_field_value(connack,flags)"), "1");
  EXPECT_EQ(eval("20020005", "mqtt_field_value(connack,reason_code)"), "5");
  EXPECT_EQ(eval("20020000", "mqtt_field_value(connack,protocol_version)"), "4");
  // Trailing bytes make a CONNACK read as 5.0: two bytes then leave no room
  // for the property length.
  EXPECT_EQ(eval("2002000000", "mqtt_is_valid"), "false");
  EXPECT_EQ(eval("2003000000", "mqtt_field_value(connack,protocol_version)"), "5");
  // Reserved acknowledge flags, a flag nibble, a repeated or out-of-range property.
  EXPECT_EQ(eval("20020200", "mqtt_is_valid"), "false");
  EXPECT_EQ(eval("21020000", "mqtt_is_valid"), "false");
  EXPECT_EQ(eval("200700000424012401", "mqtt_is_valid"), "false");
  EXPECT_EQ(eval("2005000002"
                 "2402",
                 "mqtt_is_valid"),
            "false");
  // A property a CONNACK may not carry: no answer, as in HAProxy.
  EXPECT_EQ(eval("2005000002"
                 "1701",
                 "mqtt_is_valid"),
            std::nullopt);
}

TEST(MqttConverters, PrefixesGiveNoAnswerYet) {
  for (size_t n = 2; n < kConnect311.size(); n += 2)
    EXPECT_EQ(eval(kConnect311.substr(0, n), "mqtt_is_valid"), std::nullopt) << n;
  EXPECT_EQ(eval(kConnect311.substr(0, 20), "mqtt_field_value(connect,flags)"), std::nullopt);
}

TEST(MqttConverters, BrokenPacketsAreInvalid) {
  EXPECT_EQ(eval("d000", "mqtt_is_valid"), "false");  // PINGREQ: not a first packet
  EXPECT_EQ(eval("111400044d5154540402003c0008746573745f737562", "mqtt_is_valid"), "false");
  EXPECT_EQ(eval("10ffffffff1400044d5154540402003c0008746573745f737562", "mqtt_is_valid"),
            "false");  // a fifth length byte
  // The reserved connect flag; level 6; another protocol name.
  EXPECT_EQ(eval("100f00044d5154540403003c0003636964", "mqtt_is_valid"), "false");
  EXPECT_EQ(eval("100f00044d5154540602003c0003636964", "mqtt_is_valid"), "false");
  EXPECT_EQ(eval("100f00044d5154580402003c0003636964", "mqtt_is_valid"), "false");
  // Bytes left inside the packet; a packet shorter than its fields.
  EXPECT_EQ(eval("101100044d5154540402003c00036369647a7a", "mqtt_is_valid"), "false");
  EXPECT_EQ(eval("100a00044d5154540402003c0003636964", "mqtt_is_valid"), "false");
  // Bytes after the packet are fine.
  EXPECT_EQ(eval("100f00044d5154540402003c0003636964e000", "mqtt_is_valid"), "true");
  // MQTT 3.1's name with any level, and 3.1.1's name with level 3.
  EXPECT_EQ(eval("101100064d514973647003020000000378797a", "mqtt_is_valid"), "true");
  EXPECT_EQ(eval("100f00044d5154540302003c0003636964", "mqtt_is_valid"), "true");
}

TEST(MqttConverters, LoadTimeChecks) {
  EXPECT_EQ(load_error("mqtt_field_value(connect,flags)"), "");
  EXPECT_EQ(load_error("mqtt_field_value(Publish,11)"), "");
  EXPECT_EQ(load_error("mqtt_field_value(disconnect,reason_code)"), "");
  EXPECT_NE(load_error("mqtt_field_value(foo,flags)"), "");
  EXPECT_NE(load_error("mqtt_field_value(0,flags)"), "");
  EXPECT_NE(load_error("mqtt_field_value(connect,36)"), "");  // CONNACK only
  EXPECT_NE(load_error("mqtt_field_value(connect,18)"), "");  // the manual's 18 is 24
  EXPECT_NE(load_error("mqtt_field_value(connack,username)"), "");
  EXPECT_NE(load_error("mqtt_field_value(pingreq,38)"), "");
  EXPECT_NE(load_error("mqtt_field_value(connect)"), "");
}

TEST(MqttParser, PropertyTables) {
  EXPECT_EQ(mqtt::property_kind(38), mqtt::PropKind::kPair);
  EXPECT_EQ(mqtt::property_kind(11), mqtt::PropKind::kVarint);
  EXPECT_EQ(mqtt::property_kind(4), mqtt::PropKind::kNone);
  EXPECT_TRUE(mqtt::property_allowed(1, 24));
  EXPECT_FALSE(mqtt::property_allowed(1, 18));
  EXPECT_TRUE(mqtt::property_allowed(2, 18));
  EXPECT_FALSE(mqtt::property_allowed(12, 38));
}

}  // namespace
}  // namespace hearth::expr
