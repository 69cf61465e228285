#pragma once
// systemd's readiness protocol (Type=notify), without libsystemd: one
// datagram per state change to the unix socket named by NOTIFY_SOCKET.
namespace hearth::app {

// Sends `state` ("READY=1", "RELOADING=1", "STOPPING=1", ...) to
// $NOTIFY_SOCKET (a path, or "@name" for the abstract namespace).
// Returns: false if the variable is unset or the datagram could not be sent.
bool sd_notify(const char* state);

}  // namespace hearth::app
