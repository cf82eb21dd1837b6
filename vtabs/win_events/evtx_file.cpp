#include "vtabs/win_events/evtx_file.h"

#include <algorithm>
#include <cstring>

#include "core/file_source.h"
#include "vtabs/win_events/evtx_value.h"

namespace sqlhunt::winevt {
namespace {

constexpr char kFileMagic[8] = {'E', 'l', 'f', 'F', 'i', 'l', 'e', '\0'};
constexpr char kChunkMagic[8] = {'E', 'l', 'f', 'C', 'h', 'n', 'k', '\0'};
constexpr uint8_t kRecordMagic[4] = {0x2a, 0x2a, 0x00, 0x00};
// A chunk holds at most (65536 - 512) / 32 records; an id range wider than this in a
// chunk header is damage, not a count to trust.
constexpr uint64_t kMaxRecordsPerChunk = (kChunkSize - kChunkHeaderSize) / 32;

bool all_zero(const uint8_t* p, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (p[i]) return false;
  return true;
}

std::string num(uint64_t v) { return std::to_string(v); }

}  // namespace

EvtxReader::EvtxReader(std::unique_ptr<files::ByteReader> bytes, EvtxFilter filter)
    : filter_(std::move(filter)), bytes_(std::move(bytes)) {
  std::sort(filter_.event_ids.begin(), filter_.event_ids.end());
}

EvtxReader::EvtxReader(const std::string& path, EvtxFilter filter)
    : EvtxReader(std::make_unique<files::ByteReader>(path), std::move(filter)) {}

std::unique_ptr<EvtxReader> EvtxReader::from_bytes(std::string_view bytes, EvtxFilter filter) {
  return std::unique_ptr<EvtxReader>(
      new EvtxReader(std::make_unique<files::ByteReader>(bytes, "(memory)"), std::move(filter)));
}

EvtxReader::~EvtxReader() = default;

const std::string& EvtxReader::read_error() const { return bytes_->error(); }

size_t EvtxReader::read_bytes(uint8_t* buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    const size_t r = bytes_->read(reinterpret_cast<char*>(buf) + got, n - got);
    if (r == 0) break;
    got += r;
  }
  stats_.bytes += got;
  return got;
}

void EvtxReader::queue_error(uint64_t offset, std::string message) {
  EvtxRecord r;
  r.offset = offset;
  r.chunk = chunk_number_;
  r.error = std::move(message);
  pending_.push_back(std::move(r));
}

bool EvtxReader::record_at(uint32_t at, uint32_t limit, uint32_t& size) const {
  if (uint64_t{at} + 32 > limit) return false;
  const uint8_t* p = chunk_.data() + at;
  if (std::memcmp(p, kRecordMagic, 4) != 0) return false;
  size = le32(p + 4);
  if (size < 32 || uint64_t{at} + size > limit) return false;
  if (le32(p + size - 4) != size) return false;
  // The event is a binary XML document: a fragment header (or a processing instruction).
  return (p[24] == 0x0f && p[25] == 0x01 && p[26] == 0x01) || p[24] == 0x0a;
}

bool EvtxReader::load_chunk() {
  chunk_.resize(kChunkSize);
  size_t have = 0;
  if (!started_) {
    started_ = true;
    // The file header, or (a carved chunk saved alone) a chunk right away.
    uint8_t head[8];
    const size_t n = read_bytes(head, 8);
    if (n == 8 && std::memcmp(head, kFileMagic, 8) == 0) {
      std::vector<uint8_t> header(kEvtxHeaderSize - 8);
      const size_t h = read_bytes(header.data(), header.size());
      next_chunk_offset_ = 8 + h;
      if (h < header.size()) {
        queue_error(0, "the file ends inside its 4096-byte header");
        at_end_ = true;
        return true;
      }
      header_chunks_ = le16(header.data() + 42 - 8);
      // The header's block size is where chunks start; Windows writes 4096.
      const uint16_t block = le16(header.data() + 40 - 8);
      if (block > kEvtxHeaderSize && block % 512 == 0) {
        std::vector<uint8_t> skip(block - kEvtxHeaderSize);
        next_chunk_offset_ += read_bytes(skip.data(), skip.size());
      }
    } else if (n == 8 && std::memcmp(head, kChunkMagic, 8) == 0) {
      std::memcpy(chunk_.data(), head, 8);
      have = 8;
    } else {
      queue_error(0, n == 0 ? "empty file" : "not an EVTX file (no ElfFile or ElfChnk signature)");
      at_end_ = true;
      return true;
    }
  }
  const size_t n = read_bytes(chunk_.data() + have, kChunkSize - have) + have;
  if (n == 0) {
    at_end_ = true;
    return false;
  }
  chunk_offset_ = next_chunk_offset_;
  next_chunk_offset_ += n;
  chunk_number_ = stats_.chunks++;
  chunk_size_ = static_cast<uint32_t>(n);
  if (n < kChunkSize) at_end_ = true;
  ctx_.reset(chunk_.data(), chunk_size_);
  seen_.clear();
  ids_sane_ = false;
  zeros_at_ = 0;
  pos_ = 0;
  live_end_ = 0;
  damaged_end_ = 0;
  phase_ = Phase::kNeedChunk;
  const uint8_t* c = chunk_.data();
  if (all_zero(c, n)) {
    ++stats_.empty_chunks;
    return true;
  }
  const std::string where = "chunk " + num(chunk_number_) + " (file offset " + num(chunk_offset_) + ")";
  if (n < kChunkHeaderSize) {
    queue_error(chunk_offset_, where + ": the file ends " + num(n) + " bytes into it, inside its header");
    return true;
  }
  if (std::memcmp(c, kChunkMagic, 8) != 0) {
    // Within the header's chunk count this was a chunk: its header is damaged. Past it
    // (dirty files undercount, so real chunks can follow), a slot without a signature
    // is space the file reserved and never used, which often holds whatever the disk
    // held before: records found there come back as recovered, without an error row.
    if (header_chunks_ == 0 || chunk_number_ < header_chunks_)
      queue_error(chunk_offset_, where + " has no chunk signature (ElfChnk): its header is damaged; "
                                 "records found in it are returned as recovered");
    phase_ = Phase::kCarve;
    return true;
  }
  first_id_ = le64(c + 24);
  last_id_ = le64(c + 32);
  ids_sane_ = first_id_ <= last_id_ && last_id_ - first_id_ < kMaxRecordsPerChunk;
  const uint32_t free_space = le32(c + 48);
  live_end_ = free_space >= kChunkHeaderSize && free_space <= kChunkSize
                  ? std::min<uint32_t>(free_space, chunk_size_) : chunk_size_;
  if (ids_sane_) seen_.assign(last_id_ - first_id_ + 1, false);
  if (n < kChunkSize)
    queue_error(chunk_offset_, where + ": the file ends " + num(n) + " bytes into this 65536-byte "
                               "chunk; its records are read up to there");
  // The header's id range lets the whole used area go unread, when the ids it counts
  // are the events' EventRecordIDs: true of every log Windows writes, not of a file
  // saved from a selection of events (renumbered from 1, the XML keeps the original
  // ids), so the first record's two ids are compared first.
  uint32_t first_size = 0;
  Probe first;
  if (filter_.by_record_id() && ids_sane_ &&
      ((filter_.min_record_id && last_id_ < *filter_.min_record_id) ||
       (filter_.max_record_id && first_id_ > *filter_.max_record_id)) &&
      record_at(kChunkHeaderSize, live_end_, first_size) &&
      le64(c + kChunkHeaderSize + 8) == first_id_ &&
      ctx_.probe(kChunkHeaderSize + 24, kChunkHeaderSize + first_size - 4, first) &&
      first.record_id == first_id_) {
    ++stats_.chunks_skipped;
    seen_.clear();  // not looked at: nothing to call missing
    ids_sane_ = false;
    pos_ = live_end_;
    phase_ = Phase::kCarve;
    return true;
  }
  pos_ = kChunkHeaderSize;
  phase_ = Phase::kLive;
  return true;
}

bool EvtxReader::damaged_record_at(uint32_t at) const {
  if (seen_.empty() || uint64_t{at} + 32 > live_end_) return false;
  const uint8_t* p = chunk_.data() + at;
  if (std::memcmp(p, kRecordMagic, 4) != 0) return false;
  const uint32_t claimed = le32(p + 4);
  const uint64_t id = le64(p + 8);
  return claimed >= 32 && uint64_t{at} + claimed <= live_end_ && id >= first_id_ && id <= last_id_ &&
         !seen_[id - first_id_] && p[24] == 0x0f && p[25] == 0x01 && p[26] == 0x01;
}

bool EvtxReader::probe_rejects(uint32_t at, uint32_t size) {
  Probe p;
  if (!ctx_.probe(at + 24, at + size - 4, p)) return false;
  if (p.record_id && ((filter_.min_record_id && *p.record_id < *filter_.min_record_id) ||
                      (filter_.max_record_id && *p.record_id > *filter_.max_record_id)))
    return true;
  if (!filter_.event_ids.empty() && p.event_id &&
      !std::binary_search(filter_.event_ids.begin(), filter_.event_ids.end(), *p.event_id))
    return true;
  // A TimeCreated of 0 (or past the year 9999) is no time: the row takes its written
  // time instead, so the probe cannot decide on it.
  if (p.filetime && *p.filetime && filetime_valid(*p.filetime) && (filter_.min_time_ms || filter_.max_time_ms)) {
    const int64_t ms = filetime_to_epoch_ms(*p.filetime);
    if ((filter_.min_time_ms && ms < *filter_.min_time_ms) ||
        (filter_.max_time_ms && ms > *filter_.max_time_ms))
      return true;
  }
  return false;
}

void EvtxReader::fill(EvtxRecord& out, uint32_t at, uint32_t size, bool recovered) {
  out = EvtxRecord{};
  const uint8_t* p = chunk_.data() + at;
  out.record_id = le64(p + 8);
  out.written = le64(p + 16);
  out.offset = chunk_offset_ + at;
  out.ordinal = ordinal_;
  out.chunk = chunk_number_;
  out.recovered = recovered;
  out.error = ctx_.expand(at + 24, at + size - 4, xml_);
  out.xml = &xml_;
  ++stats_.records_expanded;
}

bool EvtxReader::id_seen(uint64_t id) const {
  return !seen_.empty() && id >= first_id_ && id <= last_id_ && seen_[id - first_id_];
}

// The used area, record by record. Returns true with a row in `out`; false when the
// walk stopped, either for good (phase moved on) or to let queued errors out first.
bool EvtxReader::next_live(EvtxRecord& out) {
  const std::string where = "chunk " + num(chunk_number_);
  while (pos_ < live_end_) {
    uint32_t size = 0;
    if (!record_at(pos_, live_end_, size)) {
      const uint8_t* p = chunk_.data() + pos_;
      if (all_zero(p, live_end_ - pos_)) {
        if (!zeros_at_) zeros_at_ = pos_;
        pos_ = live_end_;
        break;
      }
      // A record that the end of the file cuts off.
      if (chunk_size_ < kChunkSize && uint64_t{pos_} + 24 <= chunk_size_ &&
          std::memcmp(p, kRecordMagic, 4) == 0 && uint64_t{pos_} + le32(p + 4) > chunk_size_) {
        const uint64_t id = le64(p + 8);
        if (!seen_.empty() && id >= first_id_ && id <= last_id_) seen_[id - first_id_] = true;
        EvtxRecord r;
        r.record_id = id;
        r.written = le64(p + 16);
        r.offset = chunk_offset_ + pos_;
        r.ordinal = ++ordinal_;
        r.chunk = chunk_number_;
        r.error = "record " + num(id) + " is cut off by the end of the file (" +
                  num(chunk_size_ - pos_) + " of its " + num(le32(p + 4)) + " bytes are there)";
        ++stats_.records;
        pending_.push_back(std::move(r));
        pos_ = live_end_;
        return false;
      }
      // A record whose header is whole (signature, a size that fits, an id the chunk
      // header names) but whose trailing size copy is not: its end was overwritten.
      // It is still a row, with what its XML gives before the damage.
      if (damaged_record_at(pos_)) {
        const uint32_t claimed = le32(p + 4);
        const uint64_t id = le64(p + 8);
        {
          seen_[id - first_id_] = true;
          ++stats_.records;
          ++ordinal_;
          const uint32_t at = pos_;
          pos_ += 24;  // look for the next record from inside this one: its size may lie
          damaged_end_ = at + claimed;  // its bytes are not reported as unknown
          fill(out, at, claimed, false);
          const std::string xml_error = std::move(out.error);
          out.error = "record " + num(id) + " is damaged: its size is " + num(claimed) +
                      " but the copy at its end is " + num(le32(p + claimed - 4));
          if (!xml_error.empty()) out.error += "; " + xml_error;
          return true;
        }
      }
      // Damage: find the next whole record and say what was passed over.
      uint32_t q = pos_ + 1;
      uint32_t next_size = 0;
      while (q < live_end_ && !record_at(q, live_end_, next_size) && !damaged_record_at(q)) ++q;
      const uint32_t from = std::max(pos_, std::min(damaged_end_, q));
      if (all_zero(chunk_.data() + from, q - from)) {
        if (!zeros_at_ && from < q) zeros_at_ = from;
      } else {
        queue_error(chunk_offset_ + from, where + ": bytes " + num(from) + ".." + num(q - 1) +
                                              " of the chunk are not a record (damaged); "
                                              "reading goes on at the next record");
      }
      pos_ = q;
      if (!pending_.empty()) return false;
      continue;
    }
    const uint32_t at = pos_;
    pos_ += size;
    const uint64_t id = le64(chunk_.data() + at + 8);
    ++stats_.records;
    ++ordinal_;
    if (!seen_.empty() && id >= first_id_ && id <= last_id_) seen_[id - first_id_] = true;
    if (filter_.by_probe() && probe_rejects(at, size)) {
      ++stats_.records_skipped;
      continue;
    }
    fill(out, at, size, false);
    return true;
  }
  finish_live();
  phase_ = Phase::kCarve;
  pos_ = std::max(pos_, live_end_);
  return false;
}

// Record ids the chunk header promises that the walk did not find, as error rows.
void EvtxReader::finish_live() {
  if (seen_.empty()) return;
  const std::string where = "chunk " + num(chunk_number_) + " (file offset " + num(chunk_offset_) + ")";
  for (uint64_t i = 0; i < seen_.size();) {
    if (seen_[i]) {
      ++i;
      continue;
    }
    uint64_t j = i;
    while (j + 1 < seen_.size() && !seen_[j + 1]) ++j;
    const uint64_t lo = first_id_ + i, hi = first_id_ + j;
    const bool wanted = !(filter_.min_record_id && hi < *filter_.min_record_id) &&
                        !(filter_.max_record_id && lo > *filter_.max_record_id);
    if (wanted) {
      std::string m = where + ": record" + (lo == hi ? " " + num(lo) : "s " + num(lo) + ".." + num(hi)) +
                      " named by the chunk header " + (lo == hi ? "is" : "are") + " not in it";
      if (zeros_at_) m += " (the chunk holds zeros from its byte " + num(zeros_at_) + " on)";
      queue_error(chunk_offset_ + (zeros_at_ ? zeros_at_ : kChunkHeaderSize), std::move(m));
    }
    i = j + 1;
  }
}

// Records carved from the slack after the used area (or from a chunk without a header).
bool EvtxReader::next_carved(EvtxRecord& out) {
  while (uint64_t{pos_} + 32 <= chunk_size_) {
    const uint8_t* base = chunk_.data();
    const uint8_t* hit = static_cast<const uint8_t*>(
        memmem(base + pos_, chunk_size_ - pos_, kRecordMagic, sizeof kRecordMagic));
    if (!hit) break;
    const uint32_t q = static_cast<uint32_t>(hit - base);
    uint32_t size = 0;
    if (!record_at(q, chunk_size_, size)) {
      pos_ = q + 1;
      continue;
    }
    pos_ = q + size;
    const uint64_t id = le64(base + q + 8);
    if (id_seen(id)) continue;  // an older copy of a record the chunk still holds
    ++ordinal_;
    if (filter_.by_probe() && probe_rejects(q, size)) {
      ++stats_.records_skipped;
      continue;
    }
    ++stats_.recovered;
    // Its templates and names must still be those it was written with: binxml checks
    // each template's GUID against the instance and each name's hash.
    fill(out, q, size, true);
    return true;
  }
  phase_ = Phase::kNeedChunk;
  return false;
}

bool EvtxReader::next(EvtxRecord& out) {
  for (;;) {
    if (!pending_.empty()) {
      out = std::move(pending_.front());
      pending_.pop_front();
      return true;
    }
    switch (phase_) {
      case Phase::kNeedChunk:
        if (at_end_ && started_) return false;
        if (!load_chunk() && pending_.empty()) return false;
        break;
      case Phase::kLive:
        if (next_live(out)) return true;
        break;
      case Phase::kCarve:
        if (next_carved(out)) return true;
        break;
    }
  }
}

}  // namespace sqlhunt::winevt
