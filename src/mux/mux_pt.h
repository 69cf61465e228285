#pragma once
// The pass-through mux: one stream, bytes as they come. Its context is the
// connection, the current stream connector (or none) and its own WaitEvent, used
// only while the connection is idle.
#include <string>

#include "core/tasklet.h"
#include "mux/mux.h"

namespace hearth::mux {

class MuxPt final : public Mux {
 public:
  MuxPt();
  ~MuxPt() override;
  const char* name() const override { return "pt"; }

  bool init(net::Connection* conn, StreamConnector* sc, StreamFactory f, void* f_ctx) override;
  void wake() override;
  bool attach(StreamConnector* sc) override;
  bool detach(StreamConnector* sc, bool keep_idle) override;
  StreamConnector* first_sc() const override { return sc_; }
  void shutr(StreamConnector* sc) override;
  void shutw(StreamConnector* sc) override;
  size_t rcv_buf(StreamConnector* sc, Buffer& buf, size_t max) override;
  size_t snd_buf(StreamConnector* sc, Buffer& buf, size_t count) override;
  bool can_splice(const StreamConnector* sc) const override;
  size_t rcv_pipe(StreamConnector* sc, net::Pipe* p, size_t max) override;
  size_t snd_pipe(StreamConnector* sc, net::Pipe* p) override;
  void subscribe(StreamConnector* sc, uint32_t events, WaitEvent* w) override;
  void unsubscribe(StreamConnector* sc, uint32_t events, WaitEvent* w) override;
  int avail_streams() const override { return sc_ ? 0 : 1; }
  int nb_streams() const override { return sc_ ? 1 : 0; }
  void destroy() override;
  std::string dump() const override;

  static Mux* create();

 private:
  static void io_cb(Tasklet* t, void* ctx, uint32_t state);
  // Idle read: drain; on EOF, error or stray bytes unlink and destroy, else
  // re-subscribe.
  void idle_check();

  net::Connection* conn_ = nullptr;
  StreamConnector* sc_ = nullptr;
  Tasklet tasklet_;
  WaitEvent wait_;
};

void register_mux_pt();

}  // namespace hearth::mux
