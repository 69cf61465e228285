// HTTP request fetches in tcp-request content rules of a TCP stream: as
// HAProxy does, the bytes buffered so far are parsed as an HTTP/1 request
// head; the fetches then read it as in an HTTP stream. Until the head is
// whole the fetch is missing (the rules wait, within inspect-delay); bytes
// that are not an HTTP request make it fail.
#include "http/head_parser.h"
#include "mux/h1_head_reader.h"
#include "mux/h1_head_writer.h"
#include "stream/tcp_rules.h"

namespace hearth::stream {

bool TcpFetch::prefetch_http() {
  if (http_failed_) return false;
  if (req_bytes_.empty()) return miss();
  http::HeadParser& p = mux::thread_head_parser(101);
  p.reset();
  http::RequestHead head;
  const http::ParseResult r = p.parse_request(req_bytes_, &head);
  p.reset();
  if (r.status == http::ParseStatus::kNeedMore) return miss();
  if (r.status == http::ParseStatus::kError) {
    http_failed_ = true;
    return false;
  }
  tcp_req_ = std::make_shared<http::MsgHead>();
  if (!mux::h1_request_to_msg(head, req_bytes_.substr(0, r.consumed), 0, *tcp_req_)) {
    tcp_req_.reset();
    http_failed_ = true;
    return false;
  }
  adopt_request(tcp_req_.get());
  return true;
}

}  // namespace hearth::stream
