#pragma once
// Polling waits for conditions that another thread or process makes true.
#include <chrono>
#include <functional>

namespace hearth::test {

// Calls pred until it returns true or timeout has passed, sleeping briefly
// between calls (1 ms, growing to 20 ms).
// Returns: true if pred returned true; pred is called at least once, and once
// more after the deadline so a condition met just in time is not missed.
bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout);

}  // namespace hearth::test
