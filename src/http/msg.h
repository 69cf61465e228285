#pragma once
// A protocol-neutral HTTP message head, as muxes hand it to streams and take it
// back: the start line, the end-to-end fields (rules edit them in place), how
// the payload is delimited, and a few facts a protocol conveys in its own way
// (HTTP/1.1 in Connection/Upgrade/Expect fields, HTTP/2 in frames and pseudo
// headers). No HTTP/1.1 syntax: hop-by-hop fields and framing fields
// (Transfer-Encoding) are not in the list; the sending mux writes what its own
// protocol needs.
//
// The head owns its bytes. They live in one pool block (tune.bufsize): the
// field array at the front, the text right after it (received heads are
// copied in with one memcpy and their views rebased); values that rules
// compute are copied in after the text. So a request head stays valid after its bytes left
// the receiving mux's buffer (the body must flow before a server is chosen) and
// can be serialised again for a retry on a new connection.
//
// The payload follows as DATA (views into the receiving mux's buffer), then an
// end of message, optionally with trailers (a second MsgHead holding fields
// only). See docs/architecture.md, "Neutral messages".
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/buffer.h"
#include "http/header_list.h"
#include "http/message.h"
#include "http/method.h"

namespace hearth::http {

// How the payload after a head is delimited.
enum class BodyKind : uint8_t {
  kNone,     // no payload (GET, 204, 304, a response to HEAD, an interim 1xx)
  kLength,   // exactly `length` bytes (may be 0)
  kUnknown,  // ends with the end-of-message mark (HTTP/1.1: chunked or the close)
  kTunnel,   // after this head, opaque bytes flow both ways until both sides close
};

enum MsgFlag : uint16_t {
  kMsgRequest = 1u << 0,
  // Received: the peer ends (request: wants ended) the connection after this
  // exchange. To send: this is the last exchange on the connection.
  kMsgClose = 1u << 1,
  // Request: asks to switch protocols (the Upgrade field is kept); a CONNECT
  // needs no flag. Response: a 101 accepting the switch.
  kMsgUpgrade = 1u << 2,
  kMsgExpectContinue = 1u << 3,  // the client waits for 100 before the body
  // Response: a connection-bound authentication began (NTLM/Negotiate): the
  // server connection must stay with this client.
  kMsgBindsConnection = 1u << 4,
  // Received: a payload of unknown length that the sender ends by closing the
  // connection (HTTP/1.0 style). Forwarded the same way: its end is the close.
  kMsgEndsWithClose = 1u << 5,
  // The fields hold the Content-Length of a kLength payload (cleared by any
  // rule that names the field), so the sender need not look for it.
  kMsgLengthField = 1u << 6,
};

class MsgHead {
 public:
  MsgHead() = default;
  ~MsgHead() { release(); }
  MsgHead(const MsgHead&) = delete;
  MsgHead& operator=(const MsgHead&) = delete;

  // Takes storage (a pool block) and clears the head, with room for `fields`
  // fields. Returns: false if no block could be taken, or it cannot hold them.
  bool init(size_t fields);
  // As init(), on this thread's scratch block instead of a block of its own,
  // for a head that is used at once and whose text stays where it was
  // received (adopt_text() is then not called). Valid until the next
  // init_borrowed() on this thread: the caller forwards it and releases it
  // before returning to the event loop.
  bool init_borrowed(size_t fields);
  bool borrowed() const { return area_ && !owned_; }
  // Hands the storage back; the head is empty.
  void release() {
    if (area_) release_storage();
  }
  bool ready() const { return area_ != nullptr; }

  // Copies `s` into the head's storage. Returns: false (nothing copied) when
  // there is no room; *out then is unchanged.
  bool keep(std::string_view s, std::string_view* out);
  // Copies a whole received head (text) in and rebases its views onto the
  // copy: those of the start line that point into `text`, and every field.
  // Requires: nothing kept yet; every field added so far points into `text`.
  // Returns: false if it does not fit.
  bool adopt_text(std::string_view text);
  // Makes room for `more` fields beyond those present. Returns: false if the
  // storage cannot hold them.
  bool reserve_fields(size_t more);

  HeaderList& fields() { return fields_; }
  const HeaderList& fields() const { return fields_; }
  bool is_request() const { return flags & kMsgRequest; }
  bool interim() const { return !is_request() && status >= 100 && status < 200 && status != 101; }

  // The start line. Requests: method and target (as received; `method_str`
  // for kOther); responses: status and reason.
  Method method = Method::kGet;
  std::string_view method_str;
  std::string_view target;
  int status = 0;
  std::string_view reason;
  // Requests: "METHOD TARGET" as received, kept through rewrites of the
  // method and target (capture.req.method, capture.req.uri); set by the
  // stream that took the head, empty if not.
  std::string_view received;
  uint8_t version_major = 1;
  uint8_t version_minor = 1;

  BodyKind body = BodyKind::kNone;
  uint64_t length = 0;  // kLength only
  uint16_t flags = 0;

 private:
  std::string_view rebase(std::string_view v, std::string_view from, const char* to) const;
  bool reset(char* area, bool owned, size_t fields);
  void release_storage();

  char* area_ = nullptr;   // Buffer::configured_size() bytes
  bool owned_ = false;     // a pool block (else the thread's scratch)
  size_t text_start_ = 0;  // the text follows the field array
  size_t text_ = 0;        // bytes of text
  HeaderList fields_{nullptr, 0};
};

}  // namespace hearth::http
