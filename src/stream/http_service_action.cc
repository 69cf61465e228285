// HttpStream's "http-request use-service NAME": the rule that matched hands
// the request to the registered service (http_service.h), whose answer is
// sent as a local reply. As HAProxy, such a request counts as intercepted.
#include "stream/http_service.h"
#include "stream/http_stream.h"

namespace hearth::stream {

void HttpStream::answer_service(const config::HttpRule& rule) {
  if (!req_an_.intercepted) {
    req_an_.intercepted = true;
    fe_->counters.local().intercepted.add();
  }
  ServiceRequest q;
  q.target = req_.head.target;
  q.head = req_.head.method == http::Method::kHead;
  ServiceAnswer a;
  if (!run_http_service(rule.name, q, &a)) {
    log_.term = "PR";
    return reply(500, true);
  }
  if (a.status >= 400) return reply(a.status, rule_reply_closes());
  send_built_answer(a);
}

}  // namespace hearth::stream
