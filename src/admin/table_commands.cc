#include "admin/table_commands.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/clock.h"
#include "stick/registry.h"

namespace hearth::admin {
namespace {

using stick::DataKind;
using stick::DataType;
using stick::Entry;
using stick::KeyType;
using stick::Table;

int64_t now_ms() { return MonotonicClock::instance()->now_ms(); }

// The normalized key of `text` for the table. Returns: "" with *err when
// it is not one (binary keys are not typed on the CLI, as in HAProxy).
bool parse_key(const Table& t, const std::string& text, std::string* out, std::string* err) {
  char buf[16];
  switch (t.config().type) {
    case KeyType::kIp:
      if (inet_pton(AF_INET, text.c_str(), buf) != 1) return (*err = "Invalid key\n"), false;
      out->assign(buf, 4);
      return true;
    case KeyType::kIpv6:
      if (inet_pton(AF_INET6, text.c_str(), buf) != 1) return (*err = "Invalid key\n"), false;
      out->assign(buf, 16);
      return true;
    case KeyType::kInteger: {
      // As strtoul: leading digits count, a value beyond 32 bits does not.
      if (text.empty() || text[0] < '0' || text[0] > '9') return (*err = "Invalid key\n"), false;
      errno = 0;
      const unsigned long long v = std::strtoull(text.c_str(), nullptr, 10);
      if (errno || v > 0xffffffffull) return (*err = "Invalid key\n"), false;
      const uint32_t k = uint32_t(v);
      out->assign(reinterpret_cast<const char*>(&k), 4);
      return true;
    }
    case KeyType::kString: {
      out->assign(std::min<size_t>(text.size(), t.config().key_len), '\0');
      out->resize(t.normalize_key(text, out->data()));
      return true;
    }
    case KeyType::kBinary:
      break;
  }
  return false;
}

std::string key_text(const Table& t, const Entry* e) {
  char buf[INET6_ADDRSTRLEN];
  switch (t.config().type) {
    case KeyType::kIp:
      return inet_ntop(AF_INET, e->key(), buf, sizeof buf);
    case KeyType::kIpv6:
      return inet_ntop(AF_INET6, e->key(), buf, sizeof buf);
    case KeyType::kInteger: {
      uint32_t k;
      std::memcpy(&k, e->key(), 4);
      return std::to_string(k);
    }
    case KeyType::kString:
      return std::string(e->key(), e->key_len);
    case KeyType::kBinary: {
      std::string s;
      for (size_t i = 0; i < e->key_len; ++i) {
        const unsigned char c = uint8_t(e->key()[i]);
        if (c >= 0x20 && c < 0x7f && c != '<' && c != '>') {
          s.push_back(char(c));
        } else {
          snprintf(buf, sizeof buf, "<%02X>", c);
          s += buf;
        }
      }
      return s;
    }
  }
  return "";
}

// The value one element of a stored type reads as (rates at `now`).
uint64_t value_of(Table& t, Entry* e, const stick::StoredType& st, size_t i, int64_t now) {
  switch (stick::info(st.type).kind) {
    case DataKind::kU32:
      return *t.data<uint32_t>(e, st.type, i);
    case DataKind::kU64:
      return *t.data<uint64_t>(e, st.type, i);
    case DataKind::kSint:
      return uint64_t(*t.data<int64_t>(e, st.type, i));
    case DataKind::kRate:
      return stick::freq_read(*t.data<stick::FreqCtr>(e, st.type, i), st.period_ms, now);
    case DataKind::kDict:
      return 0;
  }
  return 0;
}

// `e` is referenced by the caller too, which use= does not count.
std::string entry_line(Table& t, Entry* e, int64_t now) {
  char head[96];
  const int64_t exp = t.config().expire_ms ? std::max<int64_t>(0, t.expires_at(e) - now) : 0;
  snprintf(head, sizeof head, "%p: key=", static_cast<void*>(e));
  std::string line = head + key_text(t, e);
  line += " use=" + std::to_string(e->refs - 1) + " exp=" + std::to_string(exp);
  e->lock.lock();
  for (const stick::StoredType& st : t.config().layout.types()) {
    const std::string_view name = stick::info(st.type).name;
    for (size_t i = 0; i < st.count; ++i) {
      std::string n(name);
      if (stick::info(st.type).is_array) {
        // gpc(2) prints gpc0= gpc1=; gpc_rate(2,P) gpc0_rate(P)= gpc1_rate(P)=.
        const std::string base = st.type == DataType::kGpcRate ? "gpc" : std::string(name);
        n = base + std::to_string(i) + (st.type == DataType::kGpcRate ? "_rate" : "");
      }
      if (st.period_ms) n += "(" + std::to_string(st.period_ms) + ")";
      line += " " + n + "=";
      if (st.type == DataType::kServerId) {
        line += std::to_string(*t.data<int64_t>(e, st.type, i));
      } else if (stick::info(st.type).kind == DataKind::kDict) {
        const std::string* s = *t.data<const std::string*>(e, st.type, i);
        line += s ? *s : std::string("-");
      } else {
        line += std::to_string(value_of(t, e, st, i, now));
      }
    }
  }
  e->lock.unlock();
  return line + "\n";
}

// Entries that expired and wait for the next purge are not shown, nor
// counted in "used" (freed here first, as HAProxy's expiry task would have).
std::string header(Table& t) {
  t.purge_expired(now_ms());
  return "# table: " + t.config().name + ", type: " + stick::key_type_name(t.config().type) +
         ", size:" + std::to_string(t.config().size) + ", used:" + std::to_string(t.count()) + "\n";
}

struct Filter {
  const stick::StoredType* st;
  enum { kEq, kNe, kLe, kGe, kLt, kGt } op;
  uint64_t value;
};

// "data.TYPE OP VALUE" from w[i]. Returns: "" or HAProxy's error text.
std::string parse_filter(const Table& t, const std::vector<std::string>& w, size_t i, int n,
                         Filter* f) {
  const std::string prefix = "Filter entry #" + std::to_string(n) + ": ";
  DataType dt;
  if (w[i].rfind("data.", 0) != 0 || !stick::find_data_type(w[i].substr(5), &dt))
    return prefix + "Unknown data type\n";
  f->st = t.config().layout.find(dt);
  if (!f->st) return prefix + "Data type not stored in this table\n";
  static const char* const kOps[] = {"eq", "ne", "le", "ge", "lt", "gt"};
  const auto* op =
      i + 1 < w.size() ? std::find(std::begin(kOps), std::end(kOps), w[i + 1]) : std::end(kOps);
  if (op == std::end(kOps))
    return prefix + "Require and operator among \"eq\", \"ne\", \"le\", \"ge\", \"lt\", \"gt\"\n";
  f->op = decltype(f->op)(op - std::begin(kOps));
  char* end = nullptr;
  if (i + 2 >= w.size() || w[i + 2].empty() ||
      (f->value = std::strtoull(w[i + 2].c_str(), &end, 10), *end))
    return prefix + "Require a valid integer value to compare against\n";
  return "";
}

bool passes(Table& t, Entry* e, const std::vector<Filter>& fs, int64_t now) {
  for (const Filter& f : fs) {
    e->lock.lock();
    const uint64_t v = value_of(t, e, *f.st, 0, now);
    e->lock.unlock();
    const bool ok = f.op == Filter::kEq   ? v == f.value
                    : f.op == Filter::kNe ? v != f.value
                    : f.op == Filter::kLe ? v <= f.value
                    : f.op == Filter::kGe ? v >= f.value
                    : f.op == Filter::kLt ? v < f.value
                                          : v > f.value;
    if (!ok) return false;
  }
  return true;
}

// Keys in the order HAProxy's trees keep them: integers by value, the
// others by their bytes.
bool key_less(const Table& t, const Entry* a, const Entry* b) {
  if (t.config().type == KeyType::kInteger) {
    uint32_t x, y;
    std::memcpy(&x, a->key(), 4);
    std::memcpy(&y, b->key(), 4);
    return x < y;
  }
  const int c = std::memcmp(a->key(), b->key(), std::min(a->key_len, b->key_len));
  return c < 0 || (c == 0 && a->key_len < b->key_len);
}

// The table's entries passing the filters, sorted by key, each referenced
// (released by the caller).
std::vector<Entry*> collect(Table& t, const std::vector<Filter>& fs, int64_t now) {
  // The keys are copied while the shard is locked: an entry may be freed
  // (expired, cleared) as soon as the lock is let go.
  std::vector<std::string> keys;
  t.for_each([&](Entry* e) {
    if (t.expires_at(e) > now || e->refs) keys.emplace_back(e->key(), e->key_len);
    return true;
  });
  std::vector<Entry*> out;
  for (const std::string& k : keys) {
    // Found again by key so that each holds a reference while we print.
    Entry* r = t.lookup(k, now);
    if (!r) continue;
    if (passes(t, r, fs, now))
      out.push_back(r);
    else
      t.release(r);
  }
  std::sort(out.begin(), out.end(), [&](Entry* a, Entry* b) { return key_less(t, a, b); });
  return out;
}

// Parses "[key K] | [data.TYPE OP VALUE]..." from w[from]. Returns: "" or
// the error answer.
std::string parse_selection(Table& t, const std::vector<std::string>& w, size_t from,
                            const char* verb, std::string* key, bool* by_key,
                            std::vector<Filter>* fs) {
  *by_key = false;
  if (from < w.size() && w[from] == "key") {
    if (from + 1 >= w.size()) return "Key value expected\n";
    if (t.config().type == KeyType::kBinary)
      return std::string(verb) +
             " keys from tables of type other than ip, ipv6, string and integer is not "
             "supported\n";
    std::string err;
    if (!parse_key(t, w[from + 1], key, &err)) return err;
    *by_key = true;
    return "";
  }
  int n = 0;
  for (size_t i = from; i < w.size(); i += 3) {
    Filter f;
    const std::string err = parse_filter(t, w, i, ++n, &f);
    if (!err.empty()) return err;
    fs->push_back(f);
  }
  return "";
}

std::string show_table(const std::vector<std::string>& w) {
  const int64_t now = now_ms();
  if (w.size() == 2) {
    std::string out;
    const auto& all = stick::all_tables();
    for (auto it = all.rbegin(); it != all.rend(); ++it) out += header(**it);
    return out + "\n";
  }
  Table* t = stick::find_table(w[2]);
  if (!t) return "No such table\n\n";
  std::string key;
  bool by_key;
  std::vector<Filter> fs;
  const std::string err = parse_selection(*t, w, 3, "Showing", &key, &by_key, &fs);
  if (!err.empty()) return err + "\n";
  if (by_key) {
    Entry* e = t->lookup(key, now);
    if (!e) return "\n";
    std::string out = header(*t) + entry_line(*t, e, now);
    t->release(e);
    return out + "\n";
  }
  std::string out = header(*t);
  for (Entry* e : collect(*t, fs, now)) {
    out += entry_line(*t, e, now);
    t->release(e);
  }
  return out + "\n";
}

std::string clear_table(const std::vector<std::string>& w) {
  const int64_t now = now_ms();
  if (w.size() < 3)
    return "Required arguments: <table> \"data.<store_data_type>\" <operator> <value> or "
           "<table> key <key>\n\n";
  Table* t = stick::find_table(w[2]);
  if (!t) return "No such table\n\n";
  std::string key;
  bool by_key;
  std::vector<Filter> fs;
  const std::string err = parse_selection(*t, w, 3, "Removing", &key, &by_key, &fs);
  if (!err.empty()) return err + "\n";
  std::vector<Entry*> chosen;
  if (by_key) {
    if (Entry* e = t->lookup(key, now)) chosen.push_back(e);
  } else {
    chosen = collect(*t, fs, now);
  }
  // Entries a stream tracks stay (their reference is ours plus theirs).
  for (Entry* e : chosen) {
    if (e->refs == 1) t->remove(e);
    t->release(e);
  }
  return "\n";
}

std::string set_table(const std::vector<std::string>& w) {
  const int64_t now = now_ms();
  if (w.size() < 3) return "\n";
  Table* t = stick::find_table(w[2]);
  if (!t) return "No such table\n\n";
  if (w.size() < 4) return "\n";
  if (w[3] != "key") return "\n";
  if (w.size() < 5) return "Key value expected\n\n";
  if (t->config().type == KeyType::kBinary)
    return "Inserting keys into tables of type other than ip, ipv6, string and integer is not "
           "supported\n\n";
  std::string key, err;
  if (!parse_key(*t, w[4], &key, &err)) return err + "\n";
  // Check every data.TYPE VALUE pair before changing anything.
  struct Set {
    const stick::StoredType* st;
    uint64_t v;
  };
  std::vector<Set> sets;
  for (size_t i = 5; i < w.size(); i += 2) {
    DataType dt;
    if (w[i].rfind("data.", 0) != 0 || !stick::find_data_type(w[i].substr(5), &dt))
      return "Unknown data type\n\n";
    const stick::StoredType* st = t->config().layout.find(dt);
    if (!st) return "Data type not stored in this table\n\n";
    char* end = nullptr;
    uint64_t v = 0;
    if (i + 1 >= w.size() || w[i + 1].empty() ||
        (v = std::strtoull(w[i + 1].c_str(), &end, 10), *end))
      return "Require a valid integer value to store\n\n";
    sets.push_back({st, v});
  }
  Entry* e = t->get_or_create(key, now);
  if (!e) return "Unable to allocate a new entry\n\n";
  e->lock.lock();
  for (const Set& s : sets) {
    switch (stick::info(s.st->type).kind) {
      case DataKind::kU32:
        *t->data<uint32_t>(e, s.st->type) = uint32_t(s.v);
        break;
      case DataKind::kU64:
        *t->data<uint64_t>(e, s.st->type) = s.v;
        break;
      case DataKind::kSint:
        *t->data<int64_t>(e, s.st->type) = int64_t(s.v);
        break;
      case DataKind::kRate:
        *t->data<stick::FreqCtr>(e, s.st->type) = stick::FreqCtr{now, uint32_t(s.v), 0};
        break;
      case DataKind::kDict:
        break;
    }
  }
  e->lock.unlock();
  t->changed(e);
  t->release(e);
  return "\n";
}

}  // namespace

std::string cli_table_command(const std::vector<std::string>& w, bool admin) {
  if (w.size() < 2 || w[1] != "table") return "";
  if (w[0] == "show") return show_table(w);
  if (w[0] != "clear" && w[0] != "set") return "";
  if (!admin) return "Permission denied\n\n";
  return w[0] == "clear" ? clear_table(w) : set_table(w);
}

}  // namespace hearth::admin
