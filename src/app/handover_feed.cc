#include "app/handover_feed.h"

#include <unistd.h>

#include <algorithm>

#include "app/idle_handover.h"
#include "backend/conn_pool.h"
#include "net/fd_channel.h"

namespace hearth::app {

HandoverFeed::~HandoverFeed() {
  backend::ConnPool::set_starved_hook(nullptr, nullptr);
  for (int fd : fds_) close(fd);
}

void HandoverFeed::add(int fd) {
  {
    std::lock_guard<std::mutex> g(mu_);
    fds_.push_back(fd);
  }
  backend::ConnPool::set_starved_hook(&HandoverFeed::starved_cb, this);
}

void HandoverFeed::starved_cb(void* ctx) { static_cast<HandoverFeed*>(ctx)->read_all(); }

void HandoverFeed::read_all() {
  // Another thread reading: wait for it (a few non-blocking reads) rather
  // than leave with nothing while the connection it is reading is in flight.
  std::lock_guard<std::mutex> g(mu_);
  if (fds_.empty()) return;
  for (int& fd : fds_) {
    for (;;) {
      net::ChannelMessage m;
      const net::ChannelRead r = net::channel_recv(fd, &m, /*nonblock=*/true);
      if (r == net::ChannelRead::kAgain) break;
      if (r != net::ChannelRead::kMessage) {  // that worker left
        close(fd);
        fd = -1;
        break;
      }
      if (is_idle_handover(m.text)) adopt_idle(*backends_, m);
      for (int d : m.fds) close(d);
    }
  }
  fds_.erase(std::remove(fds_.begin(), fds_.end(), -1), fds_.end());
  if (fds_.empty()) backend::ConnPool::set_starved_hook(nullptr, nullptr);
}

}  // namespace hearth::app
