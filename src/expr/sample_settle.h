#pragma once
// Lets a converter say that its answer on a growing buffer is final (HAProxy
// clears SMP_F_MAY_CHANGE there): fix_is_valid on bytes that can never become
// a valid message. The stream's inspecting fetch context arms a target right
// after a layer 6 fetch that marked its test "missing"; a converter that
// decides calls settle_sample(), which undoes that mark. Per thread; the
// target only lives from that fetch to the next one (or the context's end).
namespace hearth::expr {

// `missing` becomes `before` if a converter settles the sample. Null: none.
void arm_settle(bool* missing, bool before);
void disarm_settle(const bool* missing);  // only if it is the armed one
void settle_sample();

}  // namespace hearth::expr
