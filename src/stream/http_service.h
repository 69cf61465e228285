#pragma once
// Services of "http-request use-service NAME": a request the rules hand to a
// built-in service is answered by it, as the stats page is (stats_service.h).
// A service is registered by name once, before the workers start; the
// configuration accepts only the names config::kHttpServices lists.
#include <string_view>

#include "stream/stats_service.h"

namespace hearth::stream {

struct ServiceRequest {
  std::string_view target;  // the request target (path and query)
  bool head = false;        // a HEAD request: the answer's body is not sent
};

// The answer: status, fields and body, as the stats page's.
using ServiceAnswer = StatsPageAnswer;
using ServiceFn = void (*)(const ServiceRequest& req, ServiceAnswer* out, void* ctx);

// Registers (fn non-null) or removes the service NAME. Requires: no worker runs.
void set_http_service(std::string_view name, ServiceFn fn, void* ctx);
// Answers `req` with the service NAME. Returns: false if none is registered.
bool run_http_service(std::string_view name, const ServiceRequest& req, ServiceAnswer* out);

}  // namespace hearth::stream
