#include "support/wait.h"

#include <thread>

namespace hearth::test {

bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::chrono::milliseconds step{1};
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(step);
    if (step < std::chrono::milliseconds{20}) step *= 2;
  }
  return pred();
}

}  // namespace hearth::test
