#pragma once
// A test HTTP mux that speaks only protocol-neutral messages (mux::HttpMux):
// no HTTP/1.1 byte is parsed or produced anywhere, so a test drives a whole
// transaction through the HTTP stream with messages built in code and checks
// the messages the stream hands back. It sits on real net::Connections (for
// their loop and their lifetime) but never writes to their sockets nor reads
// content from them (an idle server connection only drains, to notice a close,
// as every mux does); the byte API of mux::Mux (rcv_buf, snd_buf) fails the
// test if the stream uses it.
//
// Client side: MsgMux::accept() installs it on an accepted connection with the
// stream factory, as mux_h1 does; the test scripts requests (MsgPeer::push)
// and reads what the stream sent back (MsgPeer::sent). After a detach with
// keep_idle the mux waits for the next scripted request and starts a new
// stream for it.
// Server side: registered by name (register_msg_mux), so a server whose
// connections use that mux gets one per new connection; each is recorded in
// the MsgServerScript the test installs, which also answers each complete
// request with a scripted response.
//
// What a mux did is kept in a MsgPeer the test shares with it, so it can be
// inspected after the mux and its connection are gone.
// Not part of the support library's usual contract (which does not link
// Hearth's libraries): only binaries that link hearth_mux may use it.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/tasklet.h"
#include "http/msg.h"
#include "mux/http_mux.h"

namespace hearth::test {

struct NeutralField {
  std::string name, value;
  bool operator==(const NeutralField&) const = default;
};
using NeutralFields = std::vector<NeutralField>;

// A message head in plain owned structures: what a test scripts, and what a
// MsgMux copies out of every http::MsgHead it is given.
struct NeutralHead {
  // Request start line (flags has kMsgRequest) or response start line.
  http::Method method = http::Method::kGet;
  std::string method_str;
  std::string target;
  int status = 0;
  std::string reason;
  uint8_t version_major = 1, version_minor = 1;
  http::BodyKind body = http::BodyKind::kNone;
  uint64_t length = 0;
  uint16_t flags = 0;
  NeutralFields fields;

  bool is_request() const { return flags & http::kMsgRequest; }
  // Returns: the first value of `name` (case-insensitive), "" if absent.
  std::string field(std::string_view name) const;
  // Returns: how many fields are named `name` (case-insensitive).
  size_t count(std::string_view name) const;

  // A copy of `h` (text, fields, body kind, flags).
  static NeutralHead copy_of(const http::MsgHead& h);
  // Fills `out` with this head, with room for `extra_fields` more fields.
  // Returns: false if it does not fit.
  bool build(http::MsgHead& out, size_t extra_fields) const;
};

// Builders for scripted heads.
NeutralHead request_head(http::Method m, std::string target, NeutralFields fields,
                         http::BodyKind body = http::BodyKind::kNone, uint64_t length = 0);
NeutralHead response_head(int status, std::string reason, NeutralFields fields,
                          http::BodyKind body = http::BodyKind::kNone, uint64_t length = 0);

// A whole message, or as much of one as was sent so far.
struct NeutralMsg {
  std::vector<NeutralHead> interim;  // 1xx heads before the final one
  NeutralHead head;
  bool has_head = false;  // sent side: the final head went through
  std::string body;       // the DATA, concatenated
  bool has_trailers = false;
  NeutralFields trailers;
  bool eom = true;  // scripted: the message ends; sent side: snd_eom() was called
};

// A scripted message (head + body, eom, optional trailers).
NeutralMsg message(NeutralHead head, std::string body = {}, NeutralFields trailers = {});

class MsgMux;

// What one MsgMux did, shared between it and the test; outlives the mux.
struct MsgPeer {
  bool outgoing = false;
  net::Connection* conn = nullptr;  // while the mux lives
  MsgMux* mux = nullptr;            // while it lives
  // What the stream sent on this connection, in order (requests on the
  // server side, responses on the client side); the last may be incomplete.
  std::vector<NeutralMsg> sent;
  int streams = 0;             // stream connectors served: created (client) or adopted
  int attaches = 0;            // server side: reuses through attach()
  std::vector<bool> detaches;  // keep_idle of each detach(), in order
  bool destroyed = false;
  bool shutw = false, shutr = false;
  int64_t idle_timeout_ms = -1;  // the last set_idle_timeout(), -1: never set
  uint64_t rx = 0, tx = 0;       // delivered to / taken from the stream (nominal)
  size_t chunk = 64 * 1024;      // rcv_data() hands at most this many bytes at once
  int byte_api_calls = 0;        // rcv_buf/snd_buf calls (each also a test failure)

  // Completed messages in `sent`.
  size_t complete() const;
  // Scripts input: the next message this mux will deliver. Wakes the stream
  // (or, on an idle client connection, starts the next stream) through the
  // mux's tasklet. Requires: the mux lives.
  void push(NeutralMsg m);
  // Scripts the peer's close after what was pushed (kScEos once delivered).
  void push_eof();
};

// The server side's script: set it before a stream connects to a server
// whose mux is MsgMux, clear it after.
struct MsgServerScript {
  // Answers a complete request (called once its eom arrived).
  std::function<NeutralMsg(const NeutralMsg& request)> respond;
  // Every server-side MsgMux created, in order.
  std::vector<std::shared_ptr<MsgPeer>> peers;
};
void set_msg_server_script(MsgServerScript* s);

// Registers the server-side MsgMux as `name` in mux::MuxRegistry.
void register_msg_mux(const char* name = "msgtest");

class MsgMux final : public mux::HttpMux {
 public:
  // Client side: installs a MsgMux on the accepted connection `c` (which
  // must have its Session), creating the first stream with `f`.
  // Returns: the mux, or nullptr (nothing installed) on failure.
  static MsgMux* accept(net::Connection* c, std::shared_ptr<MsgPeer> peer, mux::StreamFactory f,
                        void* f_ctx);
  // The registry's factory (server side).
  static mux::Mux* create_outgoing();

  explicit MsgMux(std::shared_ptr<MsgPeer> peer);
  ~MsgMux() override;
  const char* name() const override { return "msgtest"; }

  // mux::Mux
  bool init(net::Connection* conn, mux::StreamConnector* sc, mux::StreamFactory f,
            void* f_ctx) override;
  void wake() override;
  bool attach(mux::StreamConnector* sc) override;
  bool detach(mux::StreamConnector* sc, bool keep_idle) override;
  mux::StreamConnector* first_sc() const override { return sc_; }
  void shutr(mux::StreamConnector* sc) override;
  void shutw(mux::StreamConnector* sc) override;
  size_t rcv_buf(mux::StreamConnector* sc, Buffer& buf, size_t max) override;
  size_t snd_buf(mux::StreamConnector* sc, Buffer& buf, size_t count) override;
  void subscribe(mux::StreamConnector* sc, uint32_t events, WaitEvent* w) override;
  void unsubscribe(mux::StreamConnector* sc, uint32_t events, WaitEvent* w) override;
  int avail_streams() const override { return sc_ ? 0 : 1; }
  int nb_streams() const override { return sc_ ? 1 : 0; }
  void destroy() override;
  std::string dump() const override;

  // mux::HttpMux
  mux::RxHeadResult rcv_head(mux::StreamConnector* sc, http::MsgHead& out, size_t extra_fields,
                             bool borrow) override;
  mux::RxData rcv_data(mux::StreamConnector* sc) override;
  void consume_data(mux::StreamConnector* sc, size_t n) override;
  bool rcv_trailers(mux::StreamConnector* sc, http::MsgHead& out) override;
  bool snd_head(mux::StreamConnector* sc, const http::MsgHead& head) override;
  size_t snd_data(mux::StreamConnector* sc, std::string_view data) override;
  bool snd_eom(mux::StreamConnector* sc, const http::MsgHead* trailers) override;
  bool flush(mux::StreamConnector* sc) override;
  bool rx_blocked(mux::StreamConnector* sc) const override;
  bool tx_blocked(mux::StreamConnector* sc) const override;
  bool has_input(mux::StreamConnector* sc) const override;
  uint64_t rx_bytes(mux::StreamConnector* sc) const override;
  uint64_t tx_bytes(mux::StreamConnector* sc) const override;
  void set_idle_timeout(int64_t ms) override;

  // Input scripted by MsgPeer::push / push_eof.
  void script(NeutralMsg m);
  void script_eof();

 private:
  // The message being received: its final head was delivered.
  struct Rx {
    NeutralMsg msg;
    size_t pos = 0;       // body bytes consumed
    size_t offered = 0;   // bytes offered by the last rcv_data()
    bool active = false;  // a head was delivered and the message is not over
    bool ended = false;   // eom delivered and the data consumed
    size_t interim = 0;   // interim heads of the queue's front delivered
  };

  static void io_cb(Tasklet* t, void* ctx, uint32_t state);
  void on_io();
  bool new_stream();
  bool check_sc(mux::StreamConnector* sc, const char* what) const;
  bool rx_message_over() const;
  void deliver_eof_if_due();
  void kick();
  NeutralMsg& open_out();

  std::shared_ptr<MsgPeer> peer_;
  net::Connection* conn_ = nullptr;
  mux::StreamConnector* sc_ = nullptr;
  mux::StreamFactory factory_ = nullptr;
  void* factory_ctx_ = nullptr;
  bool outgoing_ = false;
  std::deque<NeutralMsg> in_;  // scripted messages not delivered yet
  bool eof_scripted_ = false;
  bool eof_delivered_ = false;
  Rx rx_;
  bool out_open_ = false;                 // the last of peer_->sent is being sent
  size_t answered_ = 0;                   // server side: requests answered
  uint64_t rx_bytes_ = 0, tx_bytes_ = 0;  // since the connector attached
  WaitEvent* recv_w_ = nullptr;
  Tasklet tasklet_;
  WaitEvent wait_;  // our own transport subscription while idle (server side)
};

}  // namespace hearth::test
