// The external check's phases of a HealthCheck (option external-check): the
// command is started through core/child_process.h (never blocking the loop),
// its pidfd wakes the check's tasklet when it ends, and its exit status is
// the result, as HAProxy 2.6 gives it: exit 0 → PROCOK; another code →
// PROCERR with that code; death by a signal → PROCERR, code -1; still
// running at the deadline → SIGTERM to it, PROCTOUT (with the code of the
// last command that exited). A command that cannot be run is PROCERR 255
// (HAProxy's child exits 255 when its exec fails); a process that may not
// fork is SOCKERR.
#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "backend/backend.h"
#include "backend/health_check.h"
#include "backend/server.h"

namespace hearth::backend {

void HealthCheck::start_external() {
  EventLoop* loop = loop_.load();
  const ExternalCheckSpec& x = *spec_.external;
  std::erase_if(killed_, [](const std::unique_ptr<ChildProcess>& c) { return c->try_reap(); });
  if (!may_fork(x.insecure_fork_wanted, process_privileged())) {
    std::fprintf(stderr,
                 "[ALERT] Failed to fork process for external health check (likely caused by "
                 "missing 'insecure-fork-wanted'): %s. Aborting.\n",
                 std::strerror(EAGAIN));
    return finish(CheckStatus::kSockErr, 0, std::strerror(EAGAIN));
  }
  const ExternalCheckRun run = external_check_run(x, srv_->address(), srv_->cur_sess.load());
  int err = 0;
  const std::string file = find_command(x.command, x.path, &err);
  auto child = std::make_unique<ChildProcess>();
  if (!file.empty()) err = child->spawn(loop, file, run.argv, run.env, &external_exit_cb, this);
  if (err == EAGAIN || err == ENOMEM) {  // the fork failed
    std::fprintf(stderr,
                 "[ALERT] Failed to fork process for external health check: %s. Aborting.\n",
                 std::strerror(err));
    return finish(CheckStatus::kSockErr, 0, std::strerror(err));
  }
  if (err) {  // the exec failed
    std::fprintf(stderr,
                 "[ALERT] Failed to exec process for external health check: %s. Aborting.\n",
                 std::strerror(err));
    ext_code_ = 255;
    return finish(CheckStatus::kProcErr, ext_code_, "");
  }
  child_ = std::move(child);
  phase_ = Phase::kExternal;
  // As HAProxy: the command has `inter`, or min(inter, timeout connect) when
  // `timeout check` is set too.
  int64_t bound = spec_.intervals.inter;
  if (spec_.check_timeout_ms > 0 && spec_.connect_timeout_ms > 0)
    bound = std::min(bound, spec_.connect_timeout_ms);
  arm(loop->now_ms() + bound);
}

void HealthCheck::external_exit_cb(void* ctx) {
  auto* hc = static_cast<HealthCheck*>(ctx);
  hc->loop_.load()->wake(&hc->tasklet_);
}

void HealthCheck::external_exited() {
  if (!child_ || !child_->try_reap()) return;
  ext_code_ = child_->exited() ? child_->code() : -1;
  const bool ok = child_->exited() && child_->code() == 0;
  finish(ok ? CheckStatus::kProcOk : CheckStatus::kProcErr, ext_code_, "");
}

void HealthCheck::external_timeout() {
  if (child_ && child_->try_reap()) return external_exited();  // ended meanwhile
  if (child_) {
    std::fprintf(stderr, "[WARNING] kill %d\n", int(child_->pid()));
    child_->kill(SIGTERM);
    killed_.push_back(std::move(child_));
  }
  finish(CheckStatus::kProcTout, ext_code_, "");
}

// The check ends with its command still running (maintenance, disabled,
// stopped): the command is told to stop, and reaped when it does.
void HealthCheck::end_child() {
  if (child_->state() == ChildProcess::State::kRunning) {
    child_->kill(SIGTERM);
    killed_.push_back(std::move(child_));
  }
  child_.reset();
}

}  // namespace hearth::backend
