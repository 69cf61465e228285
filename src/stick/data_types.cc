#include "stick/data_types.h"

#include <algorithm>
#include <charconv>

#include "stick/freq_ctr.h"

namespace hearth::stick {
namespace {

constexpr DataTypeInfo kInfo[] = {
    {"server_id", DataKind::kSint, false, false},
    {"gpt0", DataKind::kU32, false, false},
    {"gpc0", DataKind::kU32, false, false},
    {"gpc0_rate", DataKind::kRate, true, false},
    {"conn_cnt", DataKind::kU32, false, false},
    {"conn_rate", DataKind::kRate, true, false},
    {"conn_cur", DataKind::kU32, false, false},
    {"sess_cnt", DataKind::kU32, false, false},
    {"sess_rate", DataKind::kRate, true, false},
    {"http_req_cnt", DataKind::kU32, false, false},
    {"http_req_rate", DataKind::kRate, true, false},
    {"http_err_cnt", DataKind::kU32, false, false},
    {"http_err_rate", DataKind::kRate, true, false},
    {"bytes_in_cnt", DataKind::kU64, false, false},
    {"bytes_in_rate", DataKind::kRate, true, false},
    {"bytes_out_cnt", DataKind::kU64, false, false},
    {"bytes_out_rate", DataKind::kRate, true, false},
    {"gpc1", DataKind::kU32, false, false},
    {"gpc1_rate", DataKind::kRate, true, false},
    {"server_key", DataKind::kDict, false, false},
    {"http_fail_cnt", DataKind::kU32, false, false},
    {"http_fail_rate", DataKind::kRate, true, false},
    {"gpt", DataKind::kU32, false, true},
    {"gpc", DataKind::kU32, false, true},
    {"gpc_rate", DataKind::kRate, true, true},
};
static_assert(std::size(kInfo) == size_t(DataType::kCount));

uint32_t kind_size(DataKind k) {
  switch (k) {
    case DataKind::kU32:
      return 4;
    case DataKind::kU64:
    case DataKind::kSint:
    case DataKind::kDict:
      return 8;
    case DataKind::kRate:
      return sizeof(FreqCtr);
  }
  return 8;
}

bool excludes(DataType a, DataType b) {
  auto pair = [&](DataType x, DataType y) { return (a == x && b == y) || (a == y && b == x); };
  return pair(DataType::kGpc, DataType::kGpc0) || pair(DataType::kGpc, DataType::kGpc1) ||
         pair(DataType::kGpcRate, DataType::kGpc0Rate) ||
         pair(DataType::kGpcRate, DataType::kGpc1Rate) || pair(DataType::kGpt, DataType::kGpt0);
}

}  // namespace

const DataTypeInfo& info(DataType t) { return kInfo[size_t(t)]; }

bool find_data_type(std::string_view name, DataType* out) {
  for (size_t i = 0; i < std::size(kInfo); ++i) {
    if (kInfo[i].name == name) {
      *out = DataType(i);
      return true;
    }
  }
  return false;
}

bool parse_period(std::string_view s, uint32_t* ms) {
  if (s.empty()) return false;
  uint64_t v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr == s.data()) return false;
  const std::string_view unit(r.ptr, size_t(s.data() + s.size() - r.ptr));
  uint64_t mult = 0;
  if (unit.empty() || unit == "ms")
    mult = 1;
  else if (unit == "us")
    return (*ms = uint32_t(v / 1000)), v / 1000 <= INT32_MAX;
  else if (unit == "s")
    mult = 1000;
  else if (unit == "m")
    mult = 60000;
  else if (unit == "h")
    mult = 3600000;
  else if (unit == "d")
    mult = 86400000;
  else
    return false;
  if (v > uint64_t(INT32_MAX) / mult) return false;
  *ms = uint32_t(v * mult);
  return true;
}

void Layout::place(StoredType st) {
  st.offset = size_;
  size_ += kind_size(info(st.type).kind) * st.count;
  size_ = (size_ + 7) & ~7u;  // every value 8-byte aligned
  // Keep types_ in DataType order (show table prints them so).
  auto at = std::find_if(types_.begin(), types_.end(),
                         [&](const StoredType& o) { return o.type > st.type; });
  types_.insert(at, st);
  for (int& i : index_) i = -1;
  for (size_t i = 0; i < types_.size(); ++i) index_[size_t(types_[i].type)] = int(i);
}

void Layout::add_server_id() {
  if (!find(DataType::kServerId)) place(StoredType{DataType::kServerId});
  if (!find(DataType::kServerKey)) place(StoredType{DataType::kServerKey});
}

bool Layout::add(std::string_view item, std::string* err) {
  const size_t paren = item.find('(');
  const std::string_view name = item.substr(0, paren);
  DataType t;
  if (!find_data_type(name, &t)) {
    *err = "unknown data type '" + std::string(name) + "'";
    return false;
  }
  const DataTypeInfo& in = info(t);
  std::vector<std::string_view> args;
  if (paren != std::string_view::npos) {
    if (item.back() != ')') {
      *err = "missing ')' after data type '" + std::string(name) + "'";
      return false;
    }
    std::string_view rest = item.substr(paren + 1, item.size() - paren - 2);
    while (true) {
      const size_t comma = rest.find(',');
      args.push_back(rest.substr(0, comma));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  const size_t want = size_t(in.takes_period) + size_t(in.is_array);
  if (args.size() != want) {
    *err = "data type '" + std::string(name) + "' " +
           (want == 0 ? "takes no argument" : "expects " + std::to_string(want) + " argument(s)");
    return false;
  }
  StoredType st{t};
  if (in.is_array) {
    unsigned n = 0;
    const auto r = std::from_chars(args[0].data(), args[0].data() + args[0].size(), n);
    if (r.ec != std::errc() || r.ptr != args[0].data() + args[0].size() || n < 1 || n > 100) {
      *err = "data type '" + std::string(name) + "' expects a number of elements from 1 to 100";
      return false;
    }
    st.count = uint16_t(n);
  }
  if (in.takes_period && !parse_period(args.back(), &st.period_ms)) {
    *err = "invalid period '" + std::string(args.back()) + "' for data type '" + std::string(name) +
           "'";
    return false;
  }
  if (find(t)) {
    *err = "data type '" + std::string(name) + "' already stored";
    return false;
  }
  for (const StoredType& o : types_) {
    if (excludes(o.type, t)) {
      *err = "data type '" + std::string(name) + "' cannot be stored with '" +
             std::string(info(o.type).name) + "'";
      return false;
    }
  }
  place(st);
  return true;
}

}  // namespace hearth::stick
