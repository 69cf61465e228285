// hatop, the curses console HAProxy users run on the stats socket, driven
// inside tmux against a real hearth: it connects (interactive mode, "set
// timeout cli"), reads show info and show stat, lists the proxies and their
// servers, and its F10 key ("disable server" on the selected row) puts a
// server in maintenance, which "show servers state" then confirms.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "http_test_util.h"
#include "support/command.h"
#include "support/ports.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

class Tmux {
 public:
  explicit Tmux(std::string name) : name_(std::move(name)) {}
  ~Tmux() { run_command({"tmux", "kill-session", "-t", name_}); }
  bool start(const std::string& command) {
    return run_command({"tmux", "new-session", "-d", "-s", name_, "-x", "160", "-y", "40", command})
               .exit_code == 0;
  }
  std::string screen() { return run_command({"tmux", "capture-pane", "-p", "-t", name_}).output; }
  // With the attributes: the selected row is in reverse video (ESC[7m).
  std::string screen_attrs() {
    return run_command({"tmux", "capture-pane", "-p", "-e", "-t", name_}).output;
  }
  void keys(const std::string& k) { run_command({"tmux", "send-keys", "-t", name_, k}); }

 private:
  std::string name_;
};

// Returns: the line of `screen` the cursor (reverse video) is on.
std::string selected_line(const std::string& screen) {
  const size_t at = screen.find("\x1b[7m");
  if (at == std::string::npos) return "";
  const size_t end = screen.find('\n', at);
  return screen.substr(at + 4, end == std::string::npos ? std::string::npos : end - at - 4);
}

TEST(Hatop, ListsProxiesAndPutsAServerInMaintenance) {
  if (run_command({"hatop", "--version"}).exit_code == 127 ||
      run_command({"tmux", "-V"}).exit_code != 0)
    GTEST_SKIP() << "hatop or tmux not installed (scripts/install-deps installs them)";
  TempDir dir;
  const std::string sock = dir.file("stats.sock");
  const uint16_t fe = free_tcp_port(), s1 = free_tcp_port(), s2 = free_tcp_port();
  HearthProcess h("global\n  stats socket " + sock +
                      " level admin\n"
                      "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
                      "  timeout server 5s\n"
                      "frontend web\n  bind 127.0.0.1:" +
                      std::to_string(fe) +
                      "\n  default_backend app\n"
                      "backend app\n  server alpha 127.0.0.1:" +
                      std::to_string(s1) + "\n  server beta 127.0.0.1:" + std::to_string(s2) + "\n",
                  HearthOptions{.wait_ports = {fe}});
  ASSERT_TRUE(h.ready()) << h.describe();
  Tmux t("hearth-hatop-" + std::to_string(fe));
  ASSERT_TRUE(t.start("hatop -s " + sock + "; sleep 30"));
  ASSERT_TRUE(wait_until([&] { return t.screen().find(">>> app") != std::string::npos; },
                         std::chrono::seconds(10)))
      << t.screen();
  const std::string screen = t.screen();
  EXPECT_NE(screen.find("hearth Version:"), std::string::npos) << screen;
  EXPECT_NE(screen.find(">>> web"), std::string::npos) << screen;
  EXPECT_NE(screen.find("alpha"), std::string::npos) << screen;
  EXPECT_NE(screen.find("beta"), std::string::npos) << screen;
  EXPECT_NE(screen.find("Proxies:   2"), std::string::npos) << screen;
  // Down to alpha's row, then F10.
  for (int i = 0; i < 10 && selected_line(t.screen_attrs()).rfind("alpha", 0) != 0; ++i) {
    t.keys("Down");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  ASSERT_EQ(selected_line(t.screen_attrs()).rfind("alpha", 0), 0u) << t.screen_attrs();
  t.keys("F10");
  EXPECT_TRUE(wait_until(
      [&] {
        return stats_command(sock, "show servers state app").find(" app 1 alpha 127.0.0.1 0 1 ") !=
               std::string::npos;
      },
      std::chrono::seconds(5)))
      << stats_command(sock, "show servers state app");
  EXPECT_TRUE(wait_until([&] { return t.screen().find("MAINT") != std::string::npos; },
                         std::chrono::seconds(5)))
      << t.screen();
  t.keys("q");
}

}  // namespace
}  // namespace hearth::test::http
