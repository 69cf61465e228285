#pragma once
// "show fd [NUM]": the file descriptors Hearth owns, one line each in HAProxy
// 2.6's layout: "FD : st=0xSTATE(FLAGS) ref=0 gid=1 tmask=.. umask=.. prmsk=..
// pwmsk=.. owner=PTR iocb=PTR(KIND)" then what the owner is: a listener (its
// state, frontend, family and port), a connection (side, flags, error,
// family, ports, frontend or backend/server, mux, transport) or the CLI.
#include <cstdint>
#include <string>
#include <vector>

#include "admin/runtime_api.h"

namespace hearth::admin {

// The st= field: HAProxy's fd state bits, from what Hearth tracks.
struct FdState {
  bool r_active = false, r_ready = false, r_shut = false;
  bool w_active = false, w_ready = false, w_shut = false;
  bool err = false, hup = false;
};
// Returns: "0x%06x(cl heopi W:sra R:sra)" with the letters of the set bits upper-cased.
std::string format_fd_state(const FdState& s);

// Returns: the line's common head, up to and including "iocb=PTR(KIND)".
std::string format_fd_head(int fd, const FdState& s, unsigned long tmask, unsigned long prmsk,
                           unsigned long pwmsk, const void* owner, const void* iocb,
                           const char* kind);

struct FdSources {
  const std::vector<stream::Frontend*>* frontends = nullptr;
  const std::vector<backend::Backend*>* backends = nullptr;
  RuntimeApi::OnThreads on_threads;
};

// Returns: the answer to "show fd [NUM]" (w: the command's words), ending
// with the empty line; nothing but it for an fd Hearth does not own.
std::string cli_show_fd(const std::vector<std::string>& w, const FdSources& src);

}  // namespace hearth::admin
