// vtabs/win_events/evtx_file.h — the records of one .evtx file, damaged or not.
//
// Layout (libyal's "Windows XML Event Log (EVTX)"): a 4096-byte file header
// ("ElfFile\0"), then 64 KiB chunks ("ElfChnk\0"), each a 512-byte header (first/last
// record number and id, free space offset, the common-name and template offset tables)
// followed by records ("**\0\0", size, record id, written FILETIME, binary XML, size
// again). The file is read chunk by chunk through core/file_source's ByteReader (so a
// .gz works too, and memory is one chunk whatever the file's size); chunks are read to
// the end of the file, whatever the header's chunk count says (dirty files undercount).
//
// What comes out, in file order (EvtxRecord):
//   * every record of a chunk's used area, expanded (binxml.h). A record whose binary XML
//     is damaged is still a row: its id and written time from the record header, the
//     XML read before the damage, and `error`;
//   * recovered records (`recovered` = 1): records carved from a chunk's slack (the bytes
//     after its free space offset, where Windows leaves older records when it reuses a
//     chunk) and from chunks whose header is gone. A candidate must have the record
//     signature, a size equal to its trailing copy, and a binary XML fragment header;
//     one whose id is a live record of the same chunk is an old copy and left out
//     (libyal's rule); its template must be a template definition whose GUID matches the
//     instance's template id, else it is a row with `error` (a template the chunk's
//     reuse overwrote would give wrong names, so it is not guessed);
//   * rows with only `error`, for what cannot be a record: a non-empty chunk without its
//     signature (within the file header's chunk count: slots past it that are not chunks
//     are reserved space, carved without a row of their own), bytes between records that
//     are not a record, record ids the chunk
//     header names but that are not there (zeroed or overwritten), a chunk or record cut
//     off by the end of the file. All-zero chunks (preallocated, never written) are not
//     reported: nothing was lost there.
// Checksums are not verified: CRC fields of 0 (Application_no_crc32.evtx) and files
// written while dirty are common and readable, and every structure is bounds- and
// consistency-checked as it is read.
//
// Pushdown (EvtxFilter), each exact (a row is never lost to it):
//   * EventRecordID range: a chunk whose header's id range lies outside it has its used
//     area skipped without expanding a record (stats().chunks_skipped) — when its first
//     record's XML EventRecordID is the header's first id (a file saved from a selection
//     of events renumbers the header ids but not the XML, and is then probed record by
//     record); its slack is still carved, as recovered records can have any id;
//   * EventRecordID, event ids and a TimeCreated range: each record is probed (binxml.h
//     probe(): the values read from the template instance's substitutions) and expanded
//     only when it can match (stats().records_skipped). What the probe cannot read is
//     expanded, and the caller checks it.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vtabs/win_events/binxml.h"
#include "vtabs/win_events/xml_stream.h"

namespace sqlhunt::files {
class ByteReader;
}

namespace sqlhunt::winevt {

inline constexpr size_t kEvtxHeaderSize = 4096;
inline constexpr size_t kChunkSize = 65536;
inline constexpr size_t kChunkHeaderSize = 512;

struct EvtxFilter {
  std::optional<uint64_t> min_record_id, max_record_id;   // inclusive
  std::vector<uint64_t> event_ids;                        // empty: any
  std::optional<int64_t> min_time_ms, max_time_ms;        // inclusive, TimeCreated
  bool by_record_id() const { return min_record_id || max_record_id; }
  bool by_probe() const { return by_record_id() || !event_ids.empty() || min_time_ms || max_time_ms; }
};

struct EvtxStats {
  uint64_t chunks = 0;            // chunk slots read (64 KiB each, the last maybe shorter)
  uint64_t empty_chunks = 0;      // all zeros
  uint64_t chunks_skipped = 0;    // used area not read: outside the record id range
  uint64_t records = 0;           // live records found
  uint64_t records_skipped = 0;   // found but not expanded (record id, probe)
  uint64_t records_expanded = 0;  // binary XML expanded (live and recovered)
  uint64_t recovered = 0;         // carved records returned
  uint64_t bytes = 0;             // bytes read from the (decompressed) file
};

struct EvtxRecord {
  const XmlStream* xml = nullptr;   // the expanded event; null for an error-only row
  std::optional<uint64_t> record_id;
  std::optional<uint64_t> written;  // FILETIME from the record header
  uint64_t offset = 0;              // byte offset of the record (or problem) in the file
  uint64_t ordinal = 0;             // 1-based, every record found in file order; 0 for
                                    // an error row that is not one record
  uint64_t chunk = 0;               // 0-based chunk number
  bool recovered = false;
  std::string error;
};

class EvtxReader {
 public:
  // Throws sqlhunt::Error when the file cannot be opened.
  explicit EvtxReader(const std::string& path, EvtxFilter filter = {});
  // Reads an EVTX image held in memory (tests, fuzzing).
  static std::unique_ptr<EvtxReader> from_bytes(std::string_view bytes, EvtxFilter filter = {});
  ~EvtxReader();
  EvtxReader(const EvtxReader&) = delete;
  EvtxReader& operator=(const EvtxReader&) = delete;

  // The next record or error row; false at the end. `out.xml` stays valid until the
  // next call.
  bool next(EvtxRecord& out);

  const EvtxStats& stats() const { return stats_; }
  // A read error (truncated gzip, I/O) that ended the file early; empty otherwise.
  const std::string& read_error() const;

 private:
  EvtxReader(std::unique_ptr<files::ByteReader> bytes, EvtxFilter filter);
  size_t read_bytes(uint8_t* buf, size_t n);
  bool load_chunk();
  bool next_live(EvtxRecord& out);
  bool next_carved(EvtxRecord& out);
  void finish_live();
  void queue_error(uint64_t offset, std::string message);
  // Is there a whole record (signature, sizes, fragment header) at chunk offset `at`,
  // within `limit`? Its size in `size`.
  bool record_at(uint32_t at, uint32_t limit, uint32_t& size) const;
  // A live record with a whole header (signature, a size within the used area, an id
  // the chunk header names and not yet seen, a fragment header) whose size copy is
  // not its size: its end was overwritten.
  bool damaged_record_at(uint32_t at) const;
  bool probe_rejects(uint32_t at, uint32_t size);
  void fill(EvtxRecord& out, uint32_t at, uint32_t size, bool recovered);
  bool id_seen(uint64_t id) const;

  EvtxFilter filter_;
  std::unique_ptr<files::ByteReader> bytes_;
  EvtxStats stats_;

  std::vector<uint8_t> chunk_;  // the current chunk's bytes
  uint32_t chunk_size_ = 0;     // bytes of it present (less than 64 KiB at a cut end)
  uint64_t chunk_offset_ = 0;   // file offset of the current chunk
  uint64_t next_chunk_offset_ = 0;
  uint64_t chunk_number_ = 0;
  uint64_t header_chunks_ = 0;  // the file header's chunk count (0: no file header)
  bool started_ = false, at_end_ = false;

  enum class Phase { kNeedChunk, kLive, kCarve } phase_ = Phase::kNeedChunk;
  uint32_t pos_ = 0;        // where the walk or the carving scan continues
  uint32_t live_end_ = 0;   // end of the used area (free space offset)
  uint64_t first_id_ = 0, last_id_ = 0;
  bool ids_sane_ = false;   // the header's id range is usable (skip, missing ids)
  std::vector<bool> seen_;  // live ids found, by id - first_id_
  uint32_t zeros_at_ = 0;   // where the used area turned to zeros (0: it did not)
  uint32_t damaged_end_ = 0;  // end of the last damaged record's claimed bytes
  uint64_t ordinal_ = 0;

  ChunkContext ctx_;
  XmlStream xml_;
  std::deque<EvtxRecord> pending_;  // error rows waiting to be returned
};

}  // namespace sqlhunt::winevt
