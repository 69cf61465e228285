#pragma once
// One `peers` section at run time: its remote peers, the tables it
// replicates, the listener remote peers connect to, and the full resync a
// starting process asks for. Runs on one worker's event loop (thread());
// workers only announce changes (entry_changed), from any thread.
//
// Per remote peer, at most one session (session.h). Either side connects;
// a session accepted for a peer that already has one replaces it, and the
// peer's next own attempt waits 50 ms to 2 s (at random) so that two
// processes that connected to each other at once do not meet again.
// A failed or closed outgoing attempt is retried 5 s after it began.
//
// Resync (the startup lesson), section-wide:
//   FROM_LOCAL (a reloaded process) --the old process connects as the local
//               peer--> ASSIGNED to it (it teaches without being asked);
//               5 s without it --> FROM_REMOTE
//   FROM_REMOTE --an established peer not known to be behind: it is
//                 assigned, its session sends a resync request--> ASSIGNED
//   ASSIGNED --"resync finished"--> FINISHED
//   ASSIGNED --"resync partial", or its session closes--> FROM_REMOTE
//              (that peer is not asked again; 5 s more)
//   FROM_REMOTE/ASSIGNED --5 s without a lesson completed--> FINISHED
// A lesson this process gives ends with "finished" once FINISHED, else
// "partial".
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/event_loop.h"
#include "net/address.h"
#include "net/listener.h"
#include "net/transport.h"
#include "peers/update_log.h"
#include "stick/table.h"

namespace hearth::peers {

class Session;

struct PeerSpec {
  std::string name;
  net::Address addr;
  bool has_addr = false;
  std::shared_ptr<net::Transport> xprt;  // TLS toward it ("ssl"); null: plain TCP
};

// A remote peer and its session.
struct Peer {
  PeerSpec spec;
  Session* session = nullptr;
  int64_t reconnect_at = 0;     // its next outgoing attempt, at the earliest
  bool not_up_to_date = false;  // answered a resync with "partial"
  // Counters for `show peers`.
  uint64_t new_conn = 0, collisions = 0, proto_err = 0;
  int last_status = 0;
  int64_t last_handshake = 0;  // when a session last got established (ms)
};

struct SectionTable {
  stick::Table* table;
  UpdateLog log;
};

class Section : public stick::UpdateSink {
 public:
  // `listen_fd`: the bound socket of its local peer (-1: none), whose
  // connections `bind_xprt` carries (null: plain TCP).
  Section(std::string name, std::string local_name, std::vector<PeerSpec> remotes,
          std::vector<stick::Table*> tables, int listen_fd, int threads,
          std::unique_ptr<net::Transport> bind_xprt = nullptr);
  ~Section() override;
  Section(const Section&) = delete;
  Section& operator=(const Section&) = delete;

  const std::string& name() const { return name_; }
  const std::string& local_name() const { return local_name_; }
  int thread() const { return 0; }
  // On its worker's thread.
  // Requires: before start(). A reloaded process first waits up to 5 s for
  // the process it replaces to teach it the tables (as the local peer).
  void set_expect_local(bool v) { expect_local_ = v; }
  void start(EventLoop* loop);
  void stop();
  // Sections of the process listening for their remote peers now.
  static int listening_count();
  // Soft stop, on its thread: stops listening, ends the remote sessions and
  // teaches the tables to the process that replaces this one, by connecting
  // to the local peer's address. busy() until that session ends.
  void hand_over();
  bool busy() const { return handing_over_ && local_peer_.session != nullptr; }
  bool handing_over() const { return handing_over_; }
  const Peer* local_peer() const { return &local_peer_; }

  void entry_changed(stick::Table& t, stick::Entry& e) override;

  // For sessions (peers thread).
  EventLoop* loop() const { return loop_; }
  std::vector<SectionTable>& tables() { return tables_; }
  Peer* find_peer(std::string_view name);
  // A session finished its handshake for `p`: it replaces any other.
  void attach(Peer& p, Session* s);
  // A session ends (its memory is freed later, off its callbacks).
  void detach(Session* s);
  bool resynced() const { return resync_ == Resync::kFinished; }
  // Whether `s` is the one assigned to teach this process.
  bool learning_from(const Session* s) const {
    return resync_ == Resync::kAssigned && teacher_ == s;
  }
  void lesson_finished(Session* s, bool complete);
  const std::vector<std::unique_ptr<Peer>>& peers() const { return peers_; }
  const std::vector<Session*>& sessions() const { return sessions_; }
  // `show peers`, on the section's thread (section_dump.cc).
  std::string dump(int64_t now) const;

  static constexpr int64_t kReconnectMs = 5000;
  static constexpr int64_t kResyncMs = 5000;

 private:
  enum class Resync { kFromLocal, kFromRemote, kAssigned, kFinished };
  static void accept_cb(net::Listener* l, int fd, const net::Address& peer, void* ctx);
  void close_listener();
  static void timer_cb(Timer* t, void* ctx);
  static void wake_cb(void* ctx);
  static void reap_cb(void* ctx);
  void tick();
  void take_changes();
  void connect(Peer& p);

  std::string name_;
  std::string local_name_;
  std::vector<std::unique_ptr<Peer>> peers_;
  Peer local_peer_;  // this process's name: the old or the new process on a reload
  std::vector<SectionTable> tables_;
  int listen_fd_;
  std::unique_ptr<net::Transport> bind_xprt_;
  EventLoop* loop_ = nullptr;
  std::atomic<EventLoop*> wake_loop_{nullptr};  // loop_, for the workers
  std::unique_ptr<net::Listener> listener_;
  Timer timer_;
  ChangeQueues changes_;
  std::vector<Session*> sessions_;  // live, attached or not
  std::vector<Session*> dead_;      // detached, freed by reap_cb
  Resync resync_ = Resync::kFromRemote;
  Session* teacher_ = nullptr;
  int64_t resync_deadline_ = 0;
  bool stopping_ = false;
  bool expect_local_ = false;
  bool handing_over_ = false;
};

}  // namespace hearth::peers
