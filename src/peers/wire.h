#pragma once
// The framing of HAProxy's peers protocol (version 2.1, as HAProxy 2.6
// speaks it): the handshake lines, the message header (class, type, and for
// types from 128 a length), and the variable-length integers every field
// uses. Pure code: no I/O.
//
// Integers: below 240 one byte; otherwise the first byte carries 240 + the
// low 4 bits, and each following byte 7 more bits, the last one below 128.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace hearth::peers {

inline constexpr std::string_view kProtoName = "HAProxyS";
inline constexpr int kMajor = 2, kMinor = 1;

// Handshake status codes (the reply to a hello).
enum Status : int {
  kStatusOk = 200,
  kStatusTryAgain = 300,
  kStatusProtocolError = 501,
  kStatusBadVersion = 502,
  kStatusLocalPeerMismatch = 503,
  kStatusRemotePeerMismatch = 504,
};

enum MsgClass : uint8_t { kClassControl = 0, kClassError = 1, kClassTable = 10 };
enum ControlType : uint8_t {
  kResyncRequest = 0,
  kResyncFinished = 1,
  kResyncPartial = 2,
  kResyncConfirm = 3,
  kHeartbeat = 4,
};
enum ErrorType : uint8_t { kErrProtocol = 0, kErrSizeLimit = 1 };
enum TableType : uint8_t {
  kUpdate = 128,
  kIncUpdate = 129,
  kDefine = 130,
  kSwitch = 131,
  kAck = 132,
  kUpdateTimed = 133,
  kIncUpdateTimed = 134,
};

void put_varint(std::string* out, uint64_t v);
void put_u32(std::string* out, uint32_t v);  // network order
// A message: class, type and, for types from 128, the length and payload.
void put_message(std::string* out, uint8_t cls, uint8_t type, std::string_view payload = {});

// Reads fields from a payload; any overrun or malformed integer clears ok()
// and every later read returns 0 or an empty view.
class Reader {
 public:
  explicit Reader(std::string_view in) : p_(in.data()), end_(in.data() + in.size()) {}
  uint64_t varint();
  uint32_t u32();
  std::string_view bytes(size_t n);
  bool ok() const { return ok_; }
  bool done() const { return p_ == end_; }
  size_t left() const { return size_t(end_ - p_); }

 private:
  const char* p_;
  const char* end_;
  bool ok_ = true;
};

struct Frame {
  uint8_t cls = 0;
  uint8_t type = 0;
  std::string_view payload;
  size_t size = 0;  // header and payload
};
enum class FrameStatus { kNeedMore, kOk, kTooBig, kBad };
// The first message of `in`. kTooBig: its payload exceeds `max_payload`.
FrameStatus next_frame(std::string_view in, size_t max_payload, Frame* f);

// The three hello lines: "HAProxyS 2.1", the name of the peer addressed,
// and "SENDER PID RELATIVE-PID".
std::string make_hello(std::string_view remote, std::string_view local, long pid);
struct Hello {
  std::string remote;  // the name the sender gives the receiver
  std::string sender;  // the sender's own name
};
// Parses a complete hello (three lines, LF-ended). Returns: the status to
// answer: kStatusOk with *h filled, kStatusBadVersion or kStatusProtocolError.
int parse_hello(std::string_view text, Hello* h);

}  // namespace hearth::peers
