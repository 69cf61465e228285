// mqtt_is_valid and mqtt_field_value compared with HAProxy 2.6: the same
// configuration, and the same CONNECT and CONNACK packets through hearth and
// haproxy, every field and property printed in one log line per session,
// lines compared exactly. The packets cover what HAProxy takes and refuses:
// flags, protocol names and levels, lengths, trailing bytes, 5.0 properties
// (allowed, unknown, repeated, out of range, absent) and will properties.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include "support/client.h"
#include "support/hearth_process.h"
#include "support/output_lines.h"
#include "support/ports.h"
#include "support/scripted_server.h"
#include "support/wait.h"

namespace hearth::test {
namespace {

using std::chrono::milliseconds;

struct Case {
  const char* name;
  const char* connect;  // hex, from the client
  const char* connack;  // hex, from the server
};

// Packets laid out by hand from the MQTT 3.1.1 and 5.0 specifications, one
// quirk each (the name says which).
const Case kCases[] = {
    {"v4 basic", "100f00044d5154540402003c0003636964", "20020000"},
    {"v4 reserved bit", "100f00044d5154540403003c0003636964", "20020000"},
    {"v4 pw without user", "101200044d5154540442003c0003636964000170", "20020000"},
    {"v4 will qos3", "101500044d515454041e003c0003636964000174000170", "20020000"},
    {"v4 will qos w/o will", "100f00044d515454040a003c0003636964", "20020000"},
    {"v4 will retain w/o will", "100f00044d5154540422003c0003636964", "20020000"},
    {"MQTT v3", "100f00044d5154540302003c0003636964", "20020000"},
    {"MQIsdp v4", "101100064d51497364700402003c0003636964", "20020000"},
    {"v6", "100f00044d5154540602003c0003636964", "20020000"},
    {"name xx", "100f00044d5154580402003c0003636964", "20020000"},
    {"bad utf8 cid", "100e00044d5154540402003c0002fffe", "20020000"},
    {"nul in cid", "100f00044d5154540402003c0003610062", "20020000"},
    {"trailing", "100f00044d5154540402003c0003636964e000", "200200003000"},
    {"extra inside", "101100044d5154540402003c00036369647a7a", "20020000"},
    {"rl short", "100a00044d5154540402003c0003636964", "20020000"},
    {"empty cid clean0", "100c00044d5154540400003c0000", "20020000"},
    {"connack reserved", "100f00044d5154540402003c0003636964", "20020200"},
    {"connack rc 6", "100f00044d5154540402003c0003636964", "20020006"},
    {"connack rc 0x80 v5", "101000044d5154540502003c000003636964", "2003008000"},
    {"connack rc 0x07 v5", "101000044d5154540502003c000003636964", "2003000700"},
    {"connack flag nibble", "100f00044d5154540402003c0003636964", "21020000"},
    {"v5 dup prop", "101600044d5154540502003c062100142100150003636964", "200700000424012400"},
    {"v5 bad prop in connect", "101200044d5154540502003c0224010003636964", "20050000021701"},
    {"v5 unknown prop", "101200044d5154540502003c027f010003636964", "20050000027f01"},
    {"v5 userprop", "102300044d5154540502003c13260001610001621500046d65746816000200010003636964",
     "202200001f12000861737369676e65641f00037768791a000272691c0003726566130005"},
    {"v5 props len beyond", "101200044d5154540502003c0221000003636964", "200400000121"},
    {"non-minimal rl", "108c0000044d5154540402003c0003636964", "20020000"},
    {"5-byte rl", "108c8080800000044d5154540402003c0003636964", "20020000"},
    {"will v4", "101a00044d515454042e003c0003636964000277740005000162696e", "20020000"},
    {"will v5 props",
     "102a00044d515454050e003c00000363696411180000000501010200000009090002ff000002777400027770",
     "2003000000"},
    {"v5 will prop bad", "101e00044d515454050e003c0000036369640511000000050002777400027770",
     "2003000000"},
    {"v5 connect 38 only", "101700044d5154540502003c072600016b0001760003636964",
     "200a0000072600016b000176"},
    {"v5 empty", "100d00044d5154540502003c000000", "2003000000"},
    {"utf8 topic bad", "101600044d5154540406003c00036369640002c328000178", "20020000"},
    {"surrogate cid", "100f00044d5154540402003c0003eda080", "20020000"},
    {"connack v4 rl3", "100f00044d5154540402003c0003636964", "2003000000"},
    {"connack rl 1", "100f00044d5154540402003c0003636964", "200100"},
    {"connect not first", "3000", "d000"},
    {"cid with U+0000 enc", "100e00044d5154540402003c0002c080", "20020000"},
    {"ka 0 v5 big ints", "101a00044d515454050200000a11ffffffff27ffffffff0003636964",
     "201000000d11ffffffff27ffffffff21ffff"},
    {"connack v5 props wrong types", "101000044d5154540502003c000003636964", "20050000022405"},
    {"connack v5 retain 2", "101000044d5154540502003c000003636964", "20050000022502"},
    {"v5 connect 25 val 2", "101200044d5154540502003c0219020003636964", "2003000000"},
    {"v5 connect recvmax 0", "101300044d5154540502003c032100000003636964", "2003000000"},
    {"v5 connect maxpkt 0", "101500044d5154540502003c0527000000000003636964", "2003000000"},
    {"ack rl2 +00", "100f00044d5154540402003c0003636964", "2002000000"},
    {"ack rl2 +0000", "100f00044d5154540402003c0003636964", "200200000000"},
    {"ack rl2 +30", "100f00044d5154540402003c0003636964", "2002000030"},
    {"ack rl2 +2002", "100f00044d5154540402003c0003636964", "2002000020020000"},
    {"ack v5 rl +00", "100f00044d5154540402003c0003636964", "200300000000"},
    {"ack v5 unknown mid", "100f00044d5154540402003c0003636964", "200900000624017f012501"},
    {"ack v5 23", "100f00044d5154540402003c0003636964", "20050000021701"},
    {"ack v5 prop trunc", "100f00044d5154540402003c0003636964", "2006000003110000"},
    {"ack v5 props len short", "100f00044d5154540402003c0003636964", "20050000012401"},
    {"ack v5 props len long", "100f00044d5154540402003c0003636964", "20050000032401"},
    {"nonmin rl", "108f0000044d5154540402003c0003636964", "20020000"},
    {"connect trailing 1", "100f00044d5154540402003c000363696400", "20020000"},
    {"connect v5 unknown prop", "101200044d5154540502003c027f010003636964", "20020000"},
    {"connect v5 prop trunc", "101300044d5154540502003c031100000003636964", "20020000"},
    {"connect v5 pfi 2", "101900044d5154540506003c000003636964020102000174000170", "20020000"},
    {"connect v5 topic alias", "101300044d5154540502003c032200000003636964", "20020000"},
    {"connect v5 auth", "101800044d5154540502003c081500016d160001640003636964", "20020000"},
    {"connect v5 wdelay dup",
     "102100044d5154540506003c0000036369640a18000000011800000002000174000170", "20020000"},
    {"v5 cid len beyond", "100f00044d5154540502003c00000578", "20020000"},
    {"connack v5 40 2", "100f00044d5154540402003c0003636964", "20050000022802"},
    {"connack v5 41 2", "100f00044d5154540402003c0003636964", "20050000022902"},
    {"connack v5 42 2", "100f00044d5154540402003c0003636964", "20050000022a02"},
    {"connack v5 33 0", "100f00044d5154540402003c0003636964", "2006000003210000"},
    {"connack v5 39 0", "100f00044d5154540402003c0003636964", "20080000052700000000"},
    {"connack v5 rc 0xff", "100f00044d5154540402003c0003636964", "200300ff00"},
    {"connack v5 flags 1", "100f00044d5154540402003c0003636964", "2003010000"},
    {"connack v5 flags 2", "100f00044d5154540402003c0003636964", "2003020000"},
    {"connack v5 18 dup", "100f00044d5154540402003c0003636964", "200b0000081200016112000162"},
    {"connack v5 38x2", "100f00044d5154540402003c0003636964",
     "201100000e2600016100016226000161000162"},
    {"connect v5 wprops 38x2",
     "102500044d5154540506003c0000036369640e2600016100016226000161000162000174000170", "20020000"},
    {"connect v5 props varint pid", "101600044d5154540502003c069100000000000003636964", "20020000"},
};

std::string unhex(std::string_view h) {
  std::string out;
  for (size_t i = 0; i + 1 < h.size(); i += 2)
    out.push_back(char(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
  return out;
}

const int kConnectProps[] = {17, 33, 39, 34, 25, 23, 21, 22, 24, 1, 2, 3, 8, 9};
const int kConnackProps[] = {17, 18, 19, 21, 22, 26, 28, 31, 33, 34, 36, 37, 39, 40, 41, 42};
const char* kConnectFields[] = {
    "flags",        "protocol_name", "protocol_version", "client_identifier", "will_topic",
    "will_payload", "username",      "password",         "keepalive"};
const char* kConnackFields[] = {"flags", "protocol_version", "reason_code"};

// Returns: the configuration: a frontend that sets one variable per CONNECT
// field, a backend one per CONNACK field, and a log line printing them all.
std::string config(uint16_t port, uint16_t server_port) {
  std::string req, res, fmt = "C v=%[var(txn.v)]";
  auto add = [](std::string* rules, const char* dir, const char* buf, const char* type,
                const std::string& field, const std::string& var, std::string* f) {
    *rules += std::string("  ") + dir + " content set-var(txn." + var + ") " + buf +
              ".payload(0,0),mqtt_field_value(" + type + "," + field + ")\n";
    *f += " " + var + "=%[var(txn." + var + ")]";
  };
  for (const char* f : kConnectFields)
    add(&req, "tcp-request", "req", "connect", f, std::string("c_") + f, &fmt);
  for (int id : kConnectProps)
    add(&req, "tcp-request", "req", "1", std::to_string(id), "cp" + std::to_string(id), &fmt);
  fmt += " | R v=%[var(txn.rv)]";
  for (const char* f : kConnackFields)
    add(&res, "tcp-response", "res", "CONNACK", f, std::string("a_") + f, &fmt);
  for (int id : kConnackProps)
    add(&res, "tcp-response", "res", "2", std::to_string(id), "ap" + std::to_string(id), &fmt);
  // %ts: HAProxy waits for the end of the session to log only when the
  // format prints something known at the end; without, it logs when the
  // server connection is made, before any response rule ran.
  fmt += " %ts";
  return "global\n  log stdout format raw local0\n"
         "defaults\n  mode tcp\n  log global\n  timeout connect 2s\n  timeout client 3s\n"
         "  timeout server 3s\n"
         "frontend fe\n  bind 127.0.0.1:" +
         std::to_string(port) +
         "\n  tcp-request inspect-delay 300ms\n"
         "  tcp-request content set-var(txn.wait) int(1) if { req.len gt 0 }\n"
         "  tcp-request content set-var(txn.v) req.payload(0,0),mqtt_is_valid\n" +
         req + "  log-format \"" + fmt +
         "\"\n  default_backend be\n"
         "backend be\n  server s 127.0.0.1:" +
         std::to_string(server_port) +
         "\n  tcp-response inspect-delay 300ms\n"
         "  tcp-response content set-var(txn.wait) int(1) if { res.len gt 0 }\n"
         "  tcp-response content set-var(txn.rv) res.payload(0,0),mqtt_is_valid\n" +
         res;
}

// Runs every case through `binary` ("" = hearth). Returns: the log lines.
std::vector<std::string> run(const std::string& binary) {
  std::atomic<size_t> current{0};
  ScriptedServer server([&](int fd) {
    recv_n(fd, 1, milliseconds{2000});
    send_all(fd, unhex(kCases[current.load()].connack));
    peer_closed(fd, milliseconds{3000});
  });
  const uint16_t port = free_tcp_port();
  HearthOptions opt{.wait_ports = {port}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  HearthProcess h(config(port, server.port()), opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  if (!h.ready()) return {};
  std::vector<std::string> lines;
  for (size_t i = 0; i < std::size(kCases); ++i) {
    current = i;
    const std::string reply = unhex(kCases[i].connack);
    {
      UniqueFd c(connect_tcp(port));
      EXPECT_TRUE(send_all(c.get(), unhex(kCases[i].connect)));
      EXPECT_EQ(recv_n(c.get(), reply.size(), milliseconds{3000}).size(), reply.size())
          << kCases[i].name;
    }
    wait_until(
        [&] {
          lines = lines_with(h.output(), {"C v="});
          return lines.size() > i;
        },
        milliseconds{4000});
  }
  return lines;
}

TEST(MqttConvertersVsHAProxy, SameFields) {
  const std::vector<std::string> ours = run("");
  const std::vector<std::string> theirs = run("haproxy");
  ASSERT_EQ(ours.size(), std::size(kCases));
  ASSERT_EQ(theirs.size(), std::size(kCases));
  for (size_t i = 0; i < std::size(kCases); ++i) EXPECT_EQ(ours[i], theirs[i]) << kCases[i].name;
}

}  // namespace
}  // namespace hearth::test
