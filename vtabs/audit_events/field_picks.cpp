#include "vtabs/audit_events/field_picks.h"

#include <cstring>
#include <vector>

#include "vtabs/audit_events/audit_value.h"

namespace sqlhunt::audit {
namespace {

struct Name {
  std::string_view key;
  bool enriched;
};

// In the order of enum Pick.
constexpr Name kNames[kPickCount] = {
    {"arch", false},    {"syscall", false}, {"success", false},  {"exit", false},     {"pid", false},
    {"ppid", false},    {"uid", false},     {"auid", false},     {"euid", false},     {"suid", false},
    {"fsuid", false},   {"gid", false},     {"egid", false},     {"ses", false},      {"tty", false},
    {"comm", false},    {"exe", false},     {"key", false},      {"subj", false},     {"op", false},
    {"acct", false},    {"hostname", false}, {"addr", false},    {"terminal", false}, {"res", false},
    {"id", false},      {"cmd", false},     {"cwd", false},      {"proctitle", false}, {"UID", true},
    {"AUID", true},     {"GID", true},      {"ID", true},
};

constexpr size_t kMaxKey = 9;  // "proctitle"
constexpr unsigned kBucketBits = 8;

// The first 8 bytes of the name, its length and whether it is ENRICHED, as one word.
uint64_t word_of(std::string_view key, bool enriched) {
  uint64_t w = 0;
  std::memcpy(&w, key.data(), key.size() < 8 ? key.size() : 8);
  return w ^ (static_cast<uint64_t>(key.size()) << 56) ^ (enriched ? 0x8000000000000000ull : 0);
}

struct Table {
  uint64_t multiplier = 0;
  struct Bucket {
    uint64_t word = 0;  // word_of the name in it
    uint8_t pick = 0;   // pick + 1; 0 = empty
    uint8_t size = 0;
    bool enriched = false;
  } bucket[1u << kBucketBits];

  size_t index(uint64_t w) const { return static_cast<size_t>((w * multiplier) >> (64 - kBucketBits)); }

  Table() {
    // Find a multiplier under which the names' words fall in distinct buckets.
    for (uint64_t m = 0x9E3779B97F4A7C15ull;; m += 0x2545F4914F6CDD1Dull) {
      multiplier = m | 1;
      for (auto& b : bucket) b = Bucket{};
      bool clash = false;
      for (unsigned p = 0; p < kPickCount && !clash; ++p) {
        const uint64_t w = word_of(kNames[p].key, kNames[p].enriched);
        Bucket& b = bucket[index(w)];
        clash = b.pick != 0;
        b = Bucket{w, static_cast<uint8_t>(p + 1), static_cast<uint8_t>(kNames[p].key.size()), kNames[p].enriched};
      }
      if (!clash) return;
    }
  }
};

// Built when the library loads, so a lookup has no first-use check to pass.
const Table kTable;

struct Encoded {
  bool hex[kPickCount];
  Encoded() {
    for (unsigned p = 0; p < kPickCount; ++p) hex[p] = !kNames[p].enriched && encoded_field(kNames[p].key, false);
  }
};
const Encoded kEncoded;

}  // namespace

Pick pick_of(std::string_view key, bool enriched) {
  if (key.empty() || key.size() > kMaxKey) return kPickCount;
  const uint64_t w = word_of(key, enriched);
  const Table::Bucket& b = kTable.bucket[kTable.index(w)];
  // Same length, same flag and same word: the same first 8 bytes (the length and flag
  // are mixed into the last of them), so only a 9th byte is left to compare.
  if (b.word != w || b.size != key.size() || b.enriched != enriched || b.pick == 0) return kPickCount;
  if (key.size() > 8 && key[8] != kNames[b.pick - 1].key[8]) return kPickCount;
  return static_cast<Pick>(b.pick - 1);
}

bool pick_encoded(Pick p) { return p < kPickCount && kEncoded.hex[p]; }

void pick_from_record(const RecordHeader& h, RecordKind kind, bool is_syscall, PickMask wanted,
                      Picks& out, PickMask& won) {
  PickMask allowed = wanted;
  switch (kind) {
    case RecordKind::kGeneral: break;
    case RecordKind::kCwd: allowed &= pick_bit(kPickCwd); break;
    case RecordKind::kProctitle: allowed &= pick_bit(kPickProctitle); break;
    default: return;  // EXECVE, PATH, EOE hold none of the picked fields
  }
  // Only the SYSCALL record replaces a value an earlier record gave.
  if (!is_syscall) allowed &= ~out.found;
  PickMask seen = 0;  // within one record the first occurrence wins
  FieldScanner scan(h);
  Field f;
  while ((allowed & ~seen) != 0 && scan.next(f)) {
    const Pick p = pick_of(f.key, f.enriched);
    if (p == kPickCount) continue;
    const PickMask bit = pick_bit(p);
    if (!(allowed & bit) || (seen & bit)) continue;
    seen |= bit;
    out.value[p] = f.value;
    out.found |= bit;
    if (is_syscall) won |= bit;
  }
}

}  // namespace sqlhunt::audit
