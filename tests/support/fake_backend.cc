#include "support/fake_backend.h"

#include <algorithm>

#include "support/pseudo_random.h"
#include "support/sha256.h"

namespace hearth::test {

namespace {

class EchoSession : public Session {
 public:
  void on_data(ConnIo& io, std::string_view data) override { io.write(data); }
  void on_eof(ConnIo& io) override { io.shutdown_write(); }
};

class SinkHashSession : public Session {
 public:
  explicit SinkHashSession(std::shared_ptr<SinkHashServer::State> state)
      : state_(std::move(state)) {}
  void on_data(ConnIo&, std::string_view data) override { hash_.update(data); }
  void on_eof(ConnIo& io) override {
    SinkHashServer::Upload upload{hash_.size(), hash_.hex_digest()};
    {
      std::lock_guard<std::mutex> lock(state_->mu);
      state_->uploads.push_back(upload);
    }
    io.write(upload.sha256);
    io.close();
  }

 private:
  std::shared_ptr<SinkHashServer::State> state_;
  Sha256 hash_;
};

class SourceSession : public Session {
 public:
  explicit SourceSession(std::shared_ptr<SourceServer::State> state)
      : state_(std::move(state)), stream_(state_->seed) {}
  void on_open(ConnIo& io) override { on_drained(io); }
  void on_drained(ConnIo& io) override {
    uint64_t left = state_->size - stream_.position();
    if (left == 0) {
      state_->completed.fetch_add(1);
      io.close();
      return;
    }
    char chunk[65536];
    size_t n = static_cast<size_t>(std::min<uint64_t>(left, sizeof chunk));
    stream_.fill(chunk, n);
    io.write(std::string_view(chunk, n));
  }
  void on_eof(ConnIo&) override {}  // a client's half-close does not stop the payload

 private:
  std::shared_ptr<SourceServer::State> state_;
  PseudoRandomStream stream_;
};

class NameSession : public Session {
 public:
  explicit NameSession(const std::string& name) : line_(name + "\n") {}
  void on_open(ConnIo& io) override { io.write(line_); }

 private:
  std::string line_;
};

std::shared_ptr<SourceServer::State> make_source_state(uint64_t size, uint64_t seed) {
  auto state = std::make_shared<SourceServer::State>();
  state->size = size;
  state->seed = seed;
  PseudoRandomStream stream(seed);
  Sha256 hash;
  char chunk[65536];
  for (uint64_t left = size; left > 0;) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(left, sizeof chunk));
    stream.fill(chunk, n);
    hash.update(std::string_view(chunk, n));
    left -= n;
  }
  state->sha256 = hash.hex_digest();
  return state;
}

}  // namespace

EchoServer::EchoServer() : FakeServer([] { return std::make_unique<EchoSession>(); }) {}

SinkHashServer::SinkHashServer() : SinkHashServer(std::make_shared<State>()) {}

SinkHashServer::SinkHashServer(std::shared_ptr<State> state)
    : FakeServer([state] { return std::make_unique<SinkHashSession>(state); }),
      state_(std::move(state)) {}

std::vector<SinkHashServer::Upload> SinkHashServer::uploads() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->uploads;
}

SourceServer::SourceServer(uint64_t size, uint64_t seed)
    : SourceServer(make_source_state(size, seed)) {}

SourceServer::SourceServer(std::shared_ptr<State> state)
    : FakeServer([state] { return std::make_unique<SourceSession>(state); }),
      state_(std::move(state)) {}

NameServer::NameServer(std::string name)
    : FakeServer([name] { return std::make_unique<NameSession>(name); }), name_(std::move(name)) {}

}  // namespace hearth::test
