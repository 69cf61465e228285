#include "net/pipe_pool.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>

#include "core/pool.h"

namespace hearth::net {
namespace {

PipeSettings g_settings;
std::atomic<int64_t> g_allocated{0};  // pipes open, used or free
std::atomic<int64_t> g_free{0};
std::atomic<uint64_t> g_spliced{0};
thread_local Pipe* t_free = nullptr;

Pool<Pipe>& pipe_pool() {
  static Pool<Pipe> p("pipe");
  return p;
}

void close_pipe(Pipe* p) {
  close(p->rd);
  close(p->wr);
  pipe_pool().destroy(p);
  g_allocated.fetch_sub(1, std::memory_order_relaxed);
}

}  // namespace

void configure_pipes(const PipeSettings& s) { g_settings = s; }

bool splice_enabled() { return g_settings.enabled && g_settings.max_pipes > 0; }

Pipe* get_pipe() {
  if (Pipe* p = t_free) {
    t_free = p->next;
    p->next = nullptr;
    g_free.fetch_sub(1, std::memory_order_relaxed);
    return p;
  }
  if (g_allocated.fetch_add(1, std::memory_order_relaxed) >= g_settings.max_pipes) {
    g_allocated.fetch_sub(1, std::memory_order_relaxed);
    return nullptr;
  }
  int fds[2];
  Pipe* p = pipe_pool().create();
  if (!p || pipe2(fds, O_NONBLOCK | O_CLOEXEC) != 0) {
    if (p) pipe_pool().destroy(p);
    g_allocated.fetch_sub(1, std::memory_order_relaxed);
    return nullptr;
  }
  p->rd = fds[0];
  p->wr = fds[1];
  if (g_settings.pipe_size > 0) fcntl(p->wr, F_SETPIPE_SZ, g_settings.pipe_size);
  const int size = fcntl(p->wr, F_GETPIPE_SZ);
  p->capacity = size > 0 ? size_t(size) : 65536;
  return p;
}

void put_pipe(Pipe* p) {
  if (!p) return;
  if (p->data) {  // bytes nobody will read: the pipe cannot be reused
    close_pipe(p);
    return;
  }
  p->next = t_free;
  t_free = p;
  g_free.fetch_add(1, std::memory_order_relaxed);
}

void release_thread_pipes() {
  while (Pipe* p = t_free) {
    t_free = p->next;
    g_free.fetch_sub(1, std::memory_order_relaxed);
    close_pipe(p);
  }
}

PipeStats pipe_stats() {
  PipeStats s;
  s.free = g_free.load(std::memory_order_relaxed);
  s.used = g_allocated.load(std::memory_order_relaxed) - s.free;
  s.spliced = g_spliced.load(std::memory_order_relaxed);
  s.max = g_settings.enabled ? g_settings.max_pipes : 0;
  return s;
}

void count_spliced(size_t n) { g_spliced.fetch_add(n, std::memory_order_relaxed); }

}  // namespace hearth::net
