#pragma once
// What a stick table stores per entry (`store` in `stick-table`, HAProxy
// 2.6's data types), in HAProxy's order, which `show table` follows. A
// table's Layout places the types it stores in one block per entry.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hearth::stick {

enum class DataType : uint8_t {
  kServerId,
  kGpt0,
  kGpc0,
  kGpc0Rate,
  kConnCnt,
  kConnRate,
  kConnCur,
  kSessCnt,
  kSessRate,
  kHttpReqCnt,
  kHttpReqRate,
  kHttpErrCnt,
  kHttpErrRate,
  kBytesInCnt,
  kBytesInRate,
  kBytesOutCnt,
  kBytesOutRate,
  kGpc1,
  kGpc1Rate,
  kServerKey,
  kHttpFailCnt,
  kHttpFailRate,
  kGpt,
  kGpc,
  kGpcRate,
  kCount,
};

// How a type is held: a 32-bit counter or tag, a 64-bit byte count, a rate
// (FreqCtr), or an array of either.
enum class DataKind : uint8_t { kU32, kU64, kRate, kSint, kDict };

struct DataTypeInfo {
  std::string_view name;
  DataKind kind;
  bool takes_period;  // NAME(PERIOD)
  bool is_array;      // NAME(N) or, for gpc_rate, NAME(N,PERIOD)
};

const DataTypeInfo& info(DataType t);
// Returns: false if no type has this name.
bool find_data_type(std::string_view name, DataType* out);

// One stored type: where its value sits in an entry's block.
struct StoredType {
  DataType type;
  uint32_t period_ms = 0;  // rates
  uint16_t count = 1;      // arrays: elements
  uint32_t offset = 0;     // in the entry's data block
};

class Layout {
 public:
  // Parses one `store` item ("gpc0", "http_req_rate(10s)", "gpc(3)",
  // "gpc_rate(2,1m)") and adds it. Returns: false with *err if unknown,
  // malformed, stored twice, or mixing an array with its legacy forms
  // (gpc with gpc0/gpc1, gpc_rate with gpc0_rate/gpc1_rate, gpt with gpt0).
  bool add(std::string_view item, std::string* err);
  // Adds server_id and server_key (enabled by `stick` rules without being
  // named, as HAProxy 2.6 does).
  void add_server_id();

  // Returns: the stored type or nullptr.
  const StoredType* find(DataType t) const {
    const int i = index_[size_t(t)];
    return i < 0 ? nullptr : &types_[size_t(i)];
  }
  const std::vector<StoredType>& types() const { return types_; }
  // Bytes of an entry's data block.
  uint32_t size() const { return size_; }

 private:
  void place(StoredType st);

  std::vector<StoredType> types_;  // in DataType order once added
  int index_[size_t(DataType::kCount)] = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                          -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
  uint32_t size_ = 0;
};

// Parses HAProxy's time format ("10s", "1m", "500" = ms). Returns: false if
// malformed or above 2^31 - 1 ms.
bool parse_period(std::string_view s, uint32_t* ms);

}  // namespace hearth::stick
