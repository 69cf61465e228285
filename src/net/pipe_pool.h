#pragma once
// Kernel pipes for splice(2): a stream forwarding a long TCP transfer moves
// bytes socket -> pipe -> socket without copying them through user space.
// Pipes are reused through a per-thread free list; how many exist at once is
// bounded by global `maxpipes`, their size set by `tune.pipesize`, and global
// `nosplice` turns the whole mechanism off.
#include <cstddef>
#include <cstdint>

namespace hearth::net {

// One pipe and how many bytes wait in it. Owned by one stream direction at a
// time, then returned with put_pipe().
struct Pipe {
  int rd = -1, wr = -1;
  size_t data = 0;       // bytes in the pipe, not yet spliced out
  size_t capacity = 0;   // the pipe's size (F_GETPIPE_SZ)
  Pipe* next = nullptr;  // free-list link
};

struct PipeSettings {
  bool enabled = true;  // false: global "nosplice"
  int max_pipes = 0;    // "maxpipes"; 0: no pipe at all
  int pipe_size = 0;    // "tune.pipesize" in bytes; 0: the system's default
};

// Applies the settings. Called once at startup, before any worker runs.
void configure_pipes(const PipeSettings& s);
// Returns: true unless "nosplice" (the options then have no effect).
bool splice_enabled();
// Returns: an empty pipe, or nullptr if maxpipes are in use or the system
// refused one (the caller then forwards through its buffer).
Pipe* get_pipe();
// Gives a pipe back: kept for reuse when empty, closed otherwise.
void put_pipe(Pipe* p);
// Closes the pipes the calling thread keeps for reuse. Called by a worker
// thread when its loop has ended.
void release_thread_pipes();

// Figures for "show info" and "show metrics".
struct PipeStats {
  int64_t used = 0, free = 0;  // pipes held by streams / kept for reuse
  int64_t max = 0;             // maxpipes (0: none, or nosplice)
  uint64_t spliced = 0;        // bytes moved by splice(2) into pipes, since start
};
PipeStats pipe_stats();
// Counts bytes spliced from a socket into a pipe.
void count_spliced(size_t n);

}  // namespace hearth::net
