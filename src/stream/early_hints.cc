#include "stream/early_hints.h"

#include "expr/log_format.h"
#include "mux/http_mux.h"
#include "mux/stream_connector.h"

namespace hearth::stream {

void EarlyHints::apply(const config::HttpRule& r, expr::FetchContext& ctx) {
  // The first rule that runs in a run takes room for the rest of it.
  if (!head_.ready() && !head_.init(r.eh_group)) return;
  std::string_view v = r.value;
  if (r.fmt) v = r.fmt->eval(ctx);
  std::string_view kept;
  // A value that would split the head is left out.
  if (v.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos &&
      head_.keep(v, &kept))
    head_.fields().add(r.name, kept);
  if (r.eh_group > 1) return;
  head_.status = 103;
  head_.reason = "Early Hints";
  head_.version_major = head_.version_minor = 1;
  head_.body = http::BodyKind::kNone;
  mux::HttpMux* m = mux::http_mux(client_);
  if (m->snd_head(client_, head_)) m->flush(client_);
  head_.release();
}

}  // namespace hearth::stream
