#include "admin/cli_fds.h"

#include <algorithm>
#include <mutex>

namespace hearth::admin {
namespace {

std::mutex g_mu;
std::vector<CliFd>& table() {
  static std::vector<CliFd> t;  // guarded by g_mu
  return t;
}

}  // namespace

void cli_fd_opened(int fd, bool listener, bool admin) {
  if (fd < 0) return;
  std::lock_guard<std::mutex> g(g_mu);
  auto& t = table();
  t.erase(std::remove_if(t.begin(), t.end(), [fd](const CliFd& c) { return c.fd == fd; }), t.end());
  t.push_back({fd, listener, admin});
}

void cli_fd_closed(int fd) {
  std::lock_guard<std::mutex> g(g_mu);
  auto& t = table();
  t.erase(std::remove_if(t.begin(), t.end(), [fd](const CliFd& c) { return c.fd == fd; }), t.end());
}

std::vector<CliFd> cli_fds() {
  std::lock_guard<std::mutex> g(g_mu);
  std::vector<CliFd> out = table();
  std::sort(out.begin(), out.end(), [](const CliFd& a, const CliFd& b) { return a.fd < b.fd; });
  return out;
}

}  // namespace hearth::admin
