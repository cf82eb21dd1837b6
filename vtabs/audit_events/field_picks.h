// vtabs/audit_events/field_picks.h — the fields a column query reads, picked out of an
// event's records in one pass.
//
// EventView's rule for a field (audit_event.h) is "the first record that has it, the
// SYSCALL record first; EXECVE, PATH, CWD and PROCTITLE records hold only their own
// fields". Applied column by column, it walks the records again for every column and
// needs every field of every record kept. A column query knows up front which fields
// its columns read (colUsed), so pick_fields() walks each record that may hold one of
// them once, on the reader's thread, and keeps each field's winning value by the same
// rule: nothing is allocated and nothing decoded (audit_event.h: pick_fields). EventView
// answers a picked field from
// there and any other field the slow way, so the two always agree (a unit test compares
// them on every field of the fixtures).
//
// Field names are matched through a small perfect hash of the name's bytes (built once,
// checked to have no collision): a few nanoseconds per field of a record.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "vtabs/audit_events/audit_record.h"

namespace sqlhunt::audit {

// Every field a column of audit_events reads by name. The E* ones are ENRICHED
// interpretations (after the 0x1d byte).
enum Pick : uint8_t {
  kPickArch, kPickSyscall, kPickSuccess, kPickExit, kPickPid, kPickPpid, kPickUid, kPickAuid,
  kPickEuid, kPickSuid, kPickFsuid, kPickGid, kPickEgid, kPickSes, kPickTty, kPickComm, kPickExe,
  kPickKey, kPickSubj, kPickOp, kPickAcct, kPickHostname, kPickAddr, kPickTerminal, kPickRes,
  kPickId, kPickCmd, kPickCwd, kPickProctitle, kPickEUid, kPickEAuid, kPickEGid, kPickEId,
  kPickCount
};
using PickMask = uint64_t;
static_assert(kPickCount <= 64, "PickMask holds one bit per pick");
constexpr PickMask pick_bit(Pick p) { return PickMask{1} << p; }

// The pick a field name is (`enriched`: a field after the 0x1d byte), or kPickCount.
Pick pick_of(std::string_view key, bool enriched);
// Whether the pick's values may be hex-encoded (audit_value.h: encoded_field).
bool pick_encoded(Pick p);

// The picks of one event: which were asked for, which were found, and their raw values
// (quotes kept, not decoded: views into Event::raw).
struct Picks {
  PickMask wanted = 0;
  PickMask found = 0;
  std::array<std::string_view, kPickCount> value;
  bool has(Pick p) const { return (found >> p) & 1; }
};

// Picks the wanted fields of one record into `out`, records being given in the event's
// order. `is_syscall`: the event's first SYSCALL record, whose fields win over the
// others'; `won` collects the picks it set (no later record changes those). A CWD or
// PROCTITLE record gives only its own field; EXECVE, PATH and EOE records give none.
void pick_from_record(const RecordHeader& h, RecordKind kind, bool is_syscall, PickMask wanted,
                      Picks& out, PickMask& won);

}  // namespace sqlhunt::audit
