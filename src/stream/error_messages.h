#pragma once
// HAProxy's built-in error messages (error_messages.cc).
#include "config/error_reply.h"

namespace hearth::stream {

// The built-in message for a code of config::kErrorCodes (null for any other).
const config::HttpReply* builtin_error_reply(int status);

}  // namespace hearth::stream
