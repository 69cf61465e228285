#include "peers/section.h"

#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <random>

#include "net/connection.h"
#include "net/transport.h"
#include "peers/session.h"

namespace hearth::peers {
namespace {

constexpr int64_t kTickMs = 100;
constexpr size_t kSweepPerTick = 1000;  // update-log records checked per tick
// Sessions at once (established or not) beyond one per peer: more incoming
// connections are closed at once.
constexpr size_t kSpareSessions = 16;

std::atomic<int> g_listening{0};  // sections listening for their remote peers (show info)

int64_t collision_delay() {
  static thread_local std::minstd_rand rng{std::random_device{}()};
  return 50 + int64_t(rng() % 2000);
}

}  // namespace

Section::Section(std::string name, std::string local_name, std::vector<PeerSpec> remotes,
                 std::vector<stick::Table*> tables, int listen_fd, int threads,
                 std::unique_ptr<net::Transport> bind_xprt)
    : name_(std::move(name)),
      local_name_(std::move(local_name)),
      listen_fd_(listen_fd),
      bind_xprt_(std::move(bind_xprt)),
      timer_(&Section::timer_cb, this),
      changes_(threads) {
  local_peer_.spec.name = local_name_;
  for (PeerSpec& p : remotes) {
    auto peer = std::make_unique<Peer>();
    peer->spec = std::move(p);
    peers_.push_back(std::move(peer));
  }
  for (size_t i = 0; i < tables.size(); ++i) {
    tables_.push_back(SectionTable{tables[i], {}});
    // Only remote peers need the local changes as they come (a reload's
    // lesson reads the tables themselves).
    if (!peers_.empty()) tables[i]->set_sink(this);
  }
}

Section::~Section() {
  stop();
  for (SectionTable& t : tables_) t.table->set_sink(nullptr);
}

void Section::start(EventLoop* loop) {
  loop_ = loop;
  stopping_ = false;
  const int64_t now = loop->now_ms();
  resync_deadline_ = now + kResyncMs;
  resync_ = expect_local_    ? Resync::kFromLocal
            : peers_.empty() ? Resync::kFinished
                             : Resync::kFromRemote;
  for (auto& p : peers_) p->reconnect_at = now;
  if (listen_fd_ >= 0) {
    listener_ = std::make_unique<net::Listener>(loop, listen_fd_, /*owns_fd=*/true,
                                                &Section::accept_cb, nullptr, this);
    listen_fd_ = -1;
    if (bind_xprt_) listener_->set_transport(bind_xprt_.get());
    listener_->start(/*exclusive=*/false);
    g_listening.fetch_add(1, std::memory_order_relaxed);
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    if (getsockname(listener_->fd(), reinterpret_cast<sockaddr*>(&ss), &len) == 0 &&
        (ss.ss_family == AF_INET || ss.ss_family == AF_INET6)) {
      local_peer_.spec.addr = net::Address::from(reinterpret_cast<sockaddr*>(&ss), len);
      local_peer_.spec.has_addr = true;  // for show peers: never connected to but on a reload
    }
  }
  // Changes announced before the loop ran (none usually) are taken now.
  wake_loop_.store(loop, std::memory_order_release);
  take_changes();
  tick();
}

int Section::listening_count() { return g_listening.load(std::memory_order_relaxed); }

void Section::close_listener() {
  if (!listener_) return;
  listener_->stop();
  listener_.reset();
  g_listening.fetch_sub(1, std::memory_order_relaxed);
}

void Section::stop() {
  if (!loop_) return;
  stopping_ = true;
  wake_loop_.store(nullptr, std::memory_order_release);
  close_listener();
  while (!sessions_.empty()) sessions_.back()->close();
  for (Session* s : dead_) delete s;
  dead_.clear();
  loop_->timers().cancel(&timer_);
  loop_ = nullptr;
}

Peer* Section::find_peer(std::string_view name) {
  if (name == local_name_) return &local_peer_;
  for (auto& p : peers_)
    if (p->spec.name == name) return p.get();
  return nullptr;
}

void Section::hand_over() {
  if (!loop_ || stopping_ || handing_over_) return;
  handing_over_ = true;
  // Where the new process listens: this one's own address, free once this
  // listener is closed (the sockets share the port).
  const net::Address self = local_peer_.spec.addr;
  const bool have = listener_ && !bind_xprt_ && local_peer_.spec.has_addr;
  close_listener();
  while (!sessions_.empty()) sessions_.back()->close();
  if (!have) return;
  int err = 0;
  net::Connection* c = net::Connection::connect_to(loop_, self, net::raw_transport(), &err);
  if (!c) return;
  auto* s = new Session(this, &local_peer_, c);
  sessions_.push_back(s);
  local_peer_.session = s;
  s->start();
}

void Section::accept_cb(net::Listener* l, int fd, const net::Address& addr, void* ctx) {
  auto* sec = static_cast<Section*>(ctx);
  if (sec->sessions_.size() >= sec->peers_.size() + 1 + kSpareSessions) {
    ::close(fd);  // handshakes pile up: not peers, or far too many
    return;
  }
  net::Connection* c = net::Connection::create(sec->loop_, fd, addr, net::kConnConnected);
  if (!c) return;
  if (!c->set_transport(l->transport())) return c->destroy();
  auto* s = new Session(sec, c);
  sec->sessions_.push_back(s);
  s->start();
}

void Section::attach(Peer& p, Session* s) {
  // The process this one replaces, come to teach it.
  if (&p == &local_peer_ && resync_ == Resync::kFromLocal) {
    resync_ = Resync::kAssigned;
    teacher_ = s;
  }
  if (p.session && p.session != s) {
    // Both sides may have connected at once: the newest wins, and this
    // side's next attempt waits a little, at random.
    Session* old = p.session;
    p.session = nullptr;
    p.collisions++;
    p.reconnect_at = loop_->now_ms() + collision_delay();
    old->close();
  }
  p.session = s;
}

void Section::detach(Session* s) {
  auto it = std::find(sessions_.begin(), sessions_.end(), s);
  if (it == sessions_.end()) return;
  sessions_.erase(it);
  if (Peer* p = s->peer(); p && p->session == s) p->session = nullptr;
  if (teacher_ == s) {
    teacher_ = nullptr;
    if (resync_ == Resync::kAssigned) {
      resync_ = peers_.empty() ? Resync::kFinished : Resync::kFromRemote;
      resync_deadline_ = loop_->now_ms() + kResyncMs;
    }
  }
  dead_.push_back(s);
  if (dead_.size() == 1 && !stopping_) loop_->post(&Section::reap_cb, this);
}

void Section::reap_cb(void* ctx) {
  auto* sec = static_cast<Section*>(ctx);
  std::vector<Session*> dead;
  dead.swap(sec->dead_);
  for (Session* s : dead) delete s;
}

void Section::lesson_finished(Session* s, bool complete) {
  if (teacher_ != s) return;
  teacher_ = nullptr;
  if (complete) {
    resync_ = Resync::kFinished;
    return;
  }
  if (s->peer()) s->peer()->not_up_to_date = true;
  resync_ = peers_.empty() ? Resync::kFinished : Resync::kFromRemote;
  resync_deadline_ = loop_->now_ms() + kResyncMs;
}

void Section::connect(Peer& p) {
  const int64_t now = loop_->now_ms();
  p.reconnect_at = now + kReconnectMs;
  ++p.new_conn;
  int err = 0;
  net::Transport* x = p.spec.xprt ? p.spec.xprt.get() : net::raw_transport();
  net::Connection* c = net::Connection::connect_to(loop_, p.spec.addr, x, &err);
  if (!c) return;
  auto* s = new Session(this, &p, c);
  sessions_.push_back(s);
  p.session = s;
  s->start();
}

void Section::timer_cb(Timer*, void* ctx) { static_cast<Section*>(ctx)->tick(); }

void Section::tick() {
  if (stopping_) return;
  const int64_t now = loop_->now_ms();
  if (!handing_over_)
    for (auto& p : peers_)
      if (!p->session && p->spec.has_addr && now >= p->reconnect_at) connect(*p);
  if (resync_ == Resync::kFromLocal && now >= resync_deadline_) {
    // The old process did not come: the remote peers teach, if any.
    resync_ = peers_.empty() ? Resync::kFinished : Resync::kFromRemote;
    resync_deadline_ = now + kResyncMs;
  }
  if (resync_ != Resync::kFinished && now >= resync_deadline_) {
    resync_ = Resync::kFinished;  // nobody taught us in time: up to date as we are
    teacher_ = nullptr;
  }
  if (resync_ == Resync::kFromRemote) {
    for (auto& p : peers_) {
      Session* s = p->session;
      if (!s || s->state() != Session::State::kEstablished || p->not_up_to_date) continue;
      resync_ = Resync::kAssigned;
      teacher_ = s;
      s->kick();
      break;
    }
  }
  for (SectionTable& st : tables_)
    st.log.sweep(kSweepPerTick, [&](const std::string& key) {
      stick::Entry* e = st.table->lookup(key, now);
      if (e) st.table->release(e);
      return e == nullptr;
    });
  loop_->timers().arm(&timer_, now + kTickMs);
}

void Section::entry_changed(stick::Table& t, stick::Entry& e) {
  uint16_t idx = 0;
  while (idx < tables_.size() && tables_[idx].table != &t) ++idx;
  if (!changes_.push(idx, std::string_view(e.key(), e.key_len))) return;
  if (EventLoop* l = wake_loop_.load(std::memory_order_acquire)) l->post(&Section::wake_cb, this);
}

void Section::wake_cb(void* ctx) {
  auto* sec = static_cast<Section*>(ctx);
  if (!sec->loop_ || sec->stopping_) return;
  sec->take_changes();
}

void Section::take_changes() {
  const int64_t now = loop_->now_ms();
  changes_.drain([&](uint16_t t, std::string_view key) {
    if (t >= tables_.size()) return;
    SectionTable& st = tables_[t];
    // The entry may go again: its flag is cleared first, so that a change
    // from now on is announced anew.
    if (stick::Entry* e = st.table->lookup(key, now)) {
      e->queued.store(false, std::memory_order_release);
      st.table->release(e);
    }
    st.log.add(key);
  });
  for (Session* s : std::vector<Session*>(sessions_)) s->kick();
}

}  // namespace hearth::peers
