#include "vtabs/win_events/event_source.h"

#include "core/file_kind.h"
#include "core/file_source.h"
#include "core/record_stream.h"
#include "vtabs/win_events/export_source.h"
#include "vtabs/win_events/xml_text.h"

namespace sqlhunt::winevt {
namespace {

class EvtxSource : public EventSource {
 public:
  explicit EvtxSource(std::unique_ptr<EvtxReader> reader) : reader_(std::move(reader)) {}

  bool next(SourceRow& row, unsigned need) override {
    EvtxRecord rec;
    if (!reader_->next(rec)) return false;
    row.recovered = rec.recovered;
    row.error = std::move(rec.error);
    row.line = rec.ordinal ? std::optional<uint64_t>(rec.ordinal) : std::nullopt;
    row.offset = rec.offset;
    row.activity_text = std::nullopt;
    row.raw = {};
    row.format = "evtx";
    row.xml = rec.xml;
    if (rec.xml) {
      read_xml_event(*rec.xml, row.ev, (need & (kNeedFields | kNeedJson)) != 0);
    } else {
      row.ev.clear();
    }
    // The record header's values where the XML has none (or none could be read).
    if (!row.ev.time_ms && rec.written && *rec.written) row.ev.set_time_filetime(*rec.written);
    if (!row.ev.record_id && rec.record_id) row.ev.record_id = static_cast<int64_t>(*rec.record_id);
    return true;
  }

  std::string read_error() const override { return reader_->read_error(); }

 private:
  std::unique_ptr<EvtxReader> reader_;
};

// A file of <Event> elements (xml_text.h's XmlEventReader).
class XmlFileSource : public EventSource {
 public:
  explicit XmlFileSource(const std::string& path)
      : reader_(std::make_unique<files::ByteReader>(path)) {}

  bool next(SourceRow& row, unsigned need) override {
    if (failed_) return false;
    const XmlEvent* ev = reader_.next();
    row.recovered = false;
    row.offset = std::nullopt;
    row.activity_text = std::nullopt;
    row.raw = {};
    row.format = "XML";
    if (!ev) {
      // The end; a file that could not be read to its end says why in a row.
      if (reader_.error().empty()) return false;
      failed_ = true;
      row.ev.clear();
      row.xml = nullptr;
      row.line = std::nullopt;
      row.error = reader_.error();
      return true;
    }
    row.error.clear();
    row.line = ev->line;
    row.xml = &ev->stream;
    read_xml_event(ev->stream, row.ev, (need & (kNeedFields | kNeedJson)) != 0);
    return true;
  }

  std::string read_error() const override { return std::string(); }

 private:
  XmlEventReader reader_;
  bool failed_ = false;
};

}  // namespace

std::unique_ptr<EventSource> evtx_event_source(std::unique_ptr<EvtxReader> reader) {
  return std::make_unique<EvtxSource>(std::move(reader));
}

std::unique_ptr<EventSource> open_event_source(const std::string& path, const EvtxFilter& filter) {
  // A file of another kind (an audit log, a pcap, binary data) is one error naming it.
  const files::Sniffed kind =
      files::check(path, "win_events", {files::Kind::kEvtx, files::Kind::kJson, files::Kind::kXml});
  if (kind.kind == files::Kind::kEvtx) return evtx_event_source(std::make_unique<EvtxReader>(path, filter));
  if (kind.kind == files::Kind::kXml) return std::make_unique<XmlFileSource>(path);
  return export_event_source(std::make_unique<records::Reader>(path));
}

}  // namespace sqlhunt::winevt
