#pragma once
// One connection between this process and a remote peer, speaking HAProxy's
// peers protocol 2.1. Lives on its section's thread. session.cc: the
// connection and its lifecycle; session_messages.cc: the messages.
//
//   CONNECTING --connected: sends the hello--> AWAIT_STATUS
//   AWAIT_STATUS --"200"--> ESTABLISHED; another code or a close --> CLOSED
//   ACCEPTED --TLS handshake (ssl binds), hello read: answers 200 (or an
//             error code, then CLOSED)--> ESTABLISHED
//   ESTABLISHED: reads messages (updates stored in the tables, acks sent
//     back), pushes the local updates its peer has not had (a lesson instead
//     while teaching), sends a heartbeat after 3 s of silence
//   ESTABLISHED --a close, an error, a malformed message, 5 s without
//     hearing from the peer, replaced by a newer session--> CLOSED
// CLOSED detaches from the section, which frees the session later.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/event_loop.h"
#include "peers/codec.h"

namespace hearth::net {
class Connection;
}

namespace hearth::peers {

class Section;
struct Peer;

class Session {
 public:
  enum class State { kConnecting, kAwaitStatus, kAccepted, kEstablished, kClosed };

  // Outgoing, for `peer`: owns `conn` (connecting).
  Session(Section* s, Peer* peer, net::Connection* conn);
  // Incoming: owns `conn`; the hello names the peer.
  Session(Section* s, net::Connection* conn);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start();
  // Ends the session (no-op once closed). `status`: the peer's last status.
  void close();
  // There may be updates to push, or a resync to request.
  void kick();

  State state() const { return state_; }
  // Sessions of this process not closed yet, and of those the ones
  // established (show info's ActivePeers and ConnectedPeers).
  static int active_count();
  static int connected_count();
  // The session between the old and the new process of a reload.
  bool local() const;
  Peer* peer() const { return peer_; }
  bool teaching() const { return teaching_; }
  uint64_t rx_updates() const { return rx_updates_; }
  // Where the session stands with our table `i` (show peers).
  struct TableCursors {
    uint64_t remote_id = 0;  // the peer's id of the same table, once defined
    uint32_t last_acked = 0, last_pushed = 0, last_get = 0, acked = 0;
  };
  TableCursors cursors(size_t i) const;
  uint64_t tx_updates() const { return tx_updates_; }

  static constexpr int64_t kHeartbeatMs = 3000;
  static constexpr int64_t kAliveMs = 5000;
  static constexpr size_t kMaxMessage = 65536;
  static constexpr size_t kOutHigh = 65536;  // stop producing above this

 private:
  struct Tx {                  // one of our tables, toward the peer
    uint32_t last_pushed = 0;  // log id
    uint32_t last_msg_id = 0;  // update ids we sent
    uint32_t acked = 0;        // the last one the peer acknowledged
    std::vector<std::string> lesson;
    size_t lesson_pos = 0;
  };
  struct Rx {  // one of the peer's tables
    TableDef def;
    stick::Table* table = nullptr;  // null: not one of ours, ignored
    uint32_t last_get = 0, last_acked = 0;
  };

  static void io_cb(Tasklet* t, void* ctx, uint32_t state);
  static void timer_cb(Timer* t, void* ctx);
  void on_io();
  void on_connected();
  bool read_in();
  void handle_status();
  void handle_hello();
  void established();
  // Teaches every entry of every table, then "resync finished" or "partial".
  void start_lesson();
  // Returns: false after closing (malformed, error).
  bool handle_messages();
  bool handle(uint8_t cls, uint8_t type, std::string_view payload);
  void produce();
  void push_table(size_t i);
  void send_update(size_t i, stick::Entry* e);
  void send_acks();
  void flush();
  void arm_timer();
  void fail_protocol(uint8_t err);

  Section* sec_;
  Peer* peer_ = nullptr;
  net::Connection* conn_;
  State state_;
  Tasklet tasklet_;
  WaitEvent wait_;
  Timer timer_;
  std::string in_, out_;
  size_t out_sent_ = 0;
  int64_t last_rx_ = 0, last_tx_ = 0;
  std::vector<Tx> tx_;
  std::unordered_map<uint64_t, Rx> rx_;
  Rx* rx_cur_ = nullptr;
  RxDict dict_;
  int cur_table_ = -1;       // our table the last definition announced
  bool handshaken_ = false;  // accepted: the transport's handshake is done
  bool teaching_ = false;
  bool teach_done_sent_ = false;
  bool resync_asked_ = false;
  uint64_t rx_updates_ = 0, tx_updates_ = 0;
};

}  // namespace hearth::peers
