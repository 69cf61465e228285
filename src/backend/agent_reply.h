#pragma once
// The reply of an agent-check agent (HAProxy manual, "agent-check"): one line
// ended by CR or LF, of words separated by spaces, tabs or commas, in any
// order, the last of a kind winning:
//   - a health state: "up", "down", "stopped", "fail";
//   - an admin state: "ready", "drain", "maint";
//   - a weight: digits then "%" (of the configured weight);
//   - "maxconn:N";
//   - after "#", a description (reported with a health state).
// Any other word is an error, reported when nothing else is. Pure code.
#include <optional>
#include <string>
#include <string_view>

namespace hearth::backend {

struct AgentReply {
  std::string health;       // "", "up", "down", "stopped", "fail" (as written)
  std::string admin;        // "", "ready", "drain", "maint"
  std::string weight;       // "75%", or ""
  std::string maxconn;      // the N of "maxconn:N", or ""
  std::string error;        // the first word not understood, or ""
  std::string description;  // after '#', blanks skipped
};

// Returns: the reply in `data`, or nullopt while no line end has come (with
// `eof`, a line without its end is reported as incomplete: nullopt too).
std::optional<AgentReply> parse_agent_reply(std::string_view data);

// "75%" applied to configured weight `iweight`. Returns: the new weight
// (0..256), or nullopt with *err ("invalid weight ...").
std::optional<int> agent_weight(std::string_view pct, int iweight, std::string* err);

}  // namespace hearth::backend
