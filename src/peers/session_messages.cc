// A session's messages once established (session.h): what is read (control
// messages, table definitions, updates, acks) and what is produced (the
// resync request, acks, a lesson, the local updates the peer has not had).
#include "peers/section.h"
#include "peers/session.h"
#include "peers/wire.h"

namespace hearth::peers {

Session::TableCursors Session::cursors(size_t i) const {
  TableCursors c;
  if (i < tx_.size()) c.last_pushed = tx_[i].last_msg_id, c.acked = tx_[i].acked;
  for (const auto& [id, r] : rx_) {
    if (r.table != sec_->tables()[i].table) continue;
    c.remote_id = id;
    c.last_get = r.last_get;
    c.last_acked = r.last_acked;
  }
  return c;
}

void Session::start_lesson() {
  teaching_ = true;
  teach_done_sent_ = false;
  for (size_t i = 0; i < tx_.size(); ++i) {
    Tx& tx = tx_[i];
    tx.lesson.clear();
    tx.lesson_pos = 0;
    tx.last_pushed = sec_->tables()[i].log.head();
    sec_->tables()[i].table->for_each([&](stick::Entry* e) {
      tx.lesson.emplace_back(e->key(), e->key_len);
      return true;
    });
  }
}

bool Session::handle(uint8_t cls, uint8_t type, std::string_view payload) {
  const int64_t now = sec_->loop()->now_ms();
  if (cls == kClassControl) {
    switch (type) {
      case kResyncRequest:
        start_lesson();
        break;
      case kResyncFinished:
      case kResyncPartial:
        if (sec_->learning_from(this)) sec_->lesson_finished(this, type == kResyncFinished);
        put_message(&out_, kClassControl, kResyncConfirm);
        break;
      case kResyncConfirm:
        teaching_ = false;
        if (local() && sec_->handing_over()) {
          close();  // the new process has it all: this one may go
          return true;
        }
        break;
      default:
        break;  // heartbeat, and types a newer peer may add
    }
    return true;
  }
  if (cls == kClassError) return false;
  if (cls != kClassTable) return true;  // unknown class: skipped
  switch (type) {
    case kDefine: {
      TableDef def;
      if (!decode_define(payload, &def)) return false;
      Rx& r = rx_[def.id];
      r.table = nullptr;
      for (SectionTable& st : sec_->tables())
        if (st.table->config().wire_name == def.name && matches(def, *st.table)) r.table = st.table;
      r.def = std::move(def);
      rx_cur_ = &r;
      return true;
    }
    case kSwitch: {
      Reader rd(payload);
      auto it = rx_.find(rd.varint());
      if (!rd.ok()) return false;
      rx_cur_ = it == rx_.end() ? nullptr : &it->second;
      return true;
    }
    case kUpdate:
    case kIncUpdate:
    case kUpdateTimed:
    case kIncUpdateTimed: {
      if (!rx_cur_) return true;  // no table announced: nothing to store it in
      UpdateInfo info;
      if (!apply_update(type, payload, rx_cur_->def, rx_cur_->table, &dict_, now, &info))
        return false;
      rx_cur_->last_get = info.has_id ? info.id : rx_cur_->last_get + 1;
      ++rx_updates_;
      return true;
    }
    case kAck: {
      Reader rd(payload);
      const uint64_t id = rd.varint();  // our id of the table: its index + 1
      const uint32_t upd = rd.u32();
      if (!rd.ok()) return false;
      if (id >= 1 && id <= tx_.size()) tx_[id - 1].acked = upd;
      return true;
    }
    default:
      return true;  // types a newer peer may add
  }
}

void Session::produce() {
  if (sec_->learning_from(this) && !resync_asked_ && !local()) {
    put_message(&out_, kClassControl, kResyncRequest);
    resync_asked_ = true;
  }
  send_acks();
  if (teaching_) {
    bool done = true;
    for (size_t i = 0; i < tx_.size(); ++i) {
      Tx& tx = tx_[i];
      stick::Table& t = *sec_->tables()[i].table;
      while (tx.lesson_pos < tx.lesson.size() && out_.size() - out_sent_ < kOutHigh) {
        if (stick::Entry* e = t.lookup(tx.lesson[tx.lesson_pos], sec_->loop()->now_ms())) {
          send_update(i, e);
          t.release(e);
        }
        ++tx.lesson_pos;
      }
      if (tx.lesson_pos < tx.lesson.size()) done = false;
    }
    if (done && !teach_done_sent_) {
      for (Tx& tx : tx_) tx.lesson.clear();
      put_message(&out_, kClassControl, sec_->resynced() ? kResyncFinished : kResyncPartial);
      teach_done_sent_ = true;
    }
    return;
  }
  if (sec_->learning_from(this)) return;  // no pushing to the teacher meanwhile
  for (size_t i = 0; i < tx_.size(); ++i) push_table(i);
}

void Session::push_table(size_t i) {
  Tx& tx = tx_[i];
  SectionTable& st = sec_->tables()[i];
  uint32_t id;
  const std::string* key;
  while (out_.size() - out_sent_ < kOutHigh && st.log.next(tx.last_pushed, &id, &key)) {
    tx.last_pushed = id;
    stick::Entry* e = st.table->lookup(*key, sec_->loop()->now_ms());
    if (!e) {
      st.log.drop(id);  // expired or removed: no peer needs it any more
      continue;
    }
    send_update(i, e);
    st.table->release(e);
  }
}

void Session::send_update(size_t i, stick::Entry* e) {
  stick::Table& t = *sec_->tables()[i].table;
  std::string payload;
  if (cur_table_ != int(i)) {
    encode_define(t, i + 1, &payload);
    put_message(&out_, kClassTable, kDefine, payload);
    payload.clear();
    cur_table_ = int(i);
  }
  Tx& tx = tx_[i];
  const bool incremental = tx.last_msg_id != 0;
  // To the process of a reload, with the time each entry has left.
  const bool timed = local();
  encode_update(t, e, ++tx.last_msg_id, incremental, sec_->loop()->now_ms(), &payload, timed);
  const uint8_t type =
      timed ? (incremental ? kIncUpdateTimed : kUpdateTimed) : (incremental ? kIncUpdate : kUpdate);
  put_message(&out_, kClassTable, type, payload);
  ++tx_updates_;
}

void Session::send_acks() {
  for (auto& [id, r] : rx_) {
    if (r.last_get == r.last_acked) continue;
    std::string payload;
    put_varint(&payload, id);
    put_u32(&payload, r.last_get);
    put_message(&out_, kClassTable, kAck, payload);
    r.last_acked = r.last_get;
  }
}

}  // namespace hearth::peers
