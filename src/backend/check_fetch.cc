#include "backend/check_fetch.h"

#include "http/headers.h"

namespace hearth::backend {
namespace {

using expr::FetchId;

std::string_view trim(std::string_view v) {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

}  // namespace

// res.hdr: the last comma-separated value of the last field named so;
// res.fhdr: the last field's whole value.
bool CheckFetch::header(std::string_view name, bool full, expr::Sample& out) const {
  for (auto it = fields_.rbegin(); it != fields_.rend(); ++it) {
    if (!http::iequals(it->first, name)) continue;
    std::string_view v = it->second;
    if (!full) {
      const size_t comma = v.rfind(',');
      if (comma != std::string_view::npos) v = v.substr(comma + 1);
    }
    out.set_str(trim(v));
    return true;
  }
  return false;
}

bool CheckFetch::fetch(const expr::FetchDef& def, const expr::Arg* args, size_t nargs,
                       expr::FetchIter& it, expr::Sample& out) {
  (void)it;
  switch (def.id) {
    case FetchId::kBeName:
      out.set_str(names_.backend);
      return true;
    case FetchId::kBeId:
      out.set_sint(names_.backend_id);
      return true;
    case FetchId::kSrvName:
      out.set_str(names_.server);
      return true;
    case FetchId::kSrvId:
      out.set_sint(names_.server_id);
      return true;
    case FetchId::kResLen:
      out.set_sint(int64_t(bytes_.size()));
      return true;
    case FetchId::kResPayload:
    case FetchId::kPayload: {
      const int64_t off = args[0].sint, len = args[1].sint;
      if (off < 0 || len < 0 || uint64_t(off) + uint64_t(len) > bytes_.size()) return false;
      out.set_bin(bytes_.substr(size_t(off), len ? size_t(len) : std::string_view::npos));
      return true;
    }
    case FetchId::kResPayloadLv:
    case FetchId::kPayloadLv: {
      const int64_t off1 = args[0].sint, len1 = args[1].sint;
      if (off1 < 0 || len1 <= 0 || len1 > 4 || uint64_t(off1 + len1) > bytes_.size()) return false;
      uint64_t block = 0;
      for (int64_t i = 0; i < len1; ++i) block = block << 8 | uint8_t(bytes_[size_t(off1 + i)]);
      const uint64_t start = uint64_t(off1 + len1);
      if (nargs > 2 && !args[2].str.empty()) return false;  // the off2 form: not in checks
      if (start + block > bytes_.size()) return false;
      out.set_bin(bytes_.substr(size_t(start), size_t(block)));
      return true;
    }
    case FetchId::kStatus:
      if (!status_) return false;
      out.set_sint(status_);
      return true;
    case FetchId::kResHdr:
    case FetchId::kResFhdr:
      if (!status_ || nargs < 1) return false;
      return header(args[0].str, def.id == FetchId::kResFhdr, out);
    default:
      return false;
  }
}

}  // namespace hearth::backend
