#include "vtabs/net_flows/flow_reader.h"

#include "core/error.h"
#include "core/file_kind.h"
#include "core/text.h"
#include "core/time.h"

namespace sqlhunt::flows {
namespace {

constexpr int64_t kHourMs = 3600 * 1000;

// The number after "/<key>=" in `path` ("y=2018" -> 2018), searched from `from`.
std::optional<int> segment(std::string_view path, std::string_view key, size_t& from) {
  const std::string needle = "/" + std::string(key) + "=";
  const size_t at = path.find(needle, from);
  if (at == std::string_view::npos) return std::nullopt;
  size_t i = at + needle.size();
  int v = 0, digits = 0;
  while (i < path.size() && path[i] >= '0' && path[i] <= '9' && digits < 5) v = v * 10 + (path[i++] - '0'), ++digits;
  if (!digits || (i < path.size() && path[i] != '/')) return std::nullopt;
  from = i;
  return v;
}

}  // namespace

std::optional<int64_t> blob_hour_ms(std::string_view path) {
  size_t from = 0;
  const auto y = segment(path, "y", from);
  const auto m = y ? segment(path, "m", from) : std::nullopt;
  const auto d = m ? segment(path, "d", from) : std::nullopt;
  const auto h = d ? segment(path, "h", from) : std::nullopt;
  if (!h || *m < 1 || *m > 12 || *d < 1 || *d > 31 || *h > 23) return std::nullopt;
  const int64_t days = timefmt::days_from_civil(*y, static_cast<unsigned>(*m), static_cast<unsigned>(*d));
  return (days * 24 + *h) * kHourMs;
}

void FlowReader::reset(Filter filter, unsigned need, bool in_memory) {
  filter_ = std::move(filter);
  need_ = need | (filter_.src_set || filter_.dst_set ? kNeedEndpoints : 0u);
  lines_.reset();
  records_.reset();
  tuple_ = tuples_ = 0;
  stats_ = Stats();
  in_memory_ = in_memory;
}

void FlowReader::start(const std::string& pattern, Filter filter, unsigned need) {
  reset(std::move(filter), need, false);
  files_ = files::expand(pattern);
  from_glob_ = files::is_glob(pattern);
  file_index_ = 0;
  stats_.files = files_.size();
}

void FlowReader::start_text(std::string_view text, const std::string& name, Filter filter, unsigned need) {
  reset(std::move(filter), need, true);
  memory_ = text;
  files_ = {name};
  from_glob_ = false;
  file_index_ = 0;
  stats_.files = 1;
}

void FlowReader::error_row(Flow& flow, std::string error, uint64_t line) {
  flow.clear();
  flow.parse_error = std::move(error);
  flow.line = line;
}

void FlowReader::open_file(const std::string& path) {
  files::Kind kind;
  if (in_memory_) {
    kind = files::sniff(memory_.substr(0, 4096));
  } else {
    kind = files::sniff_file(path).kind;
    if (kind != files::Kind::kText && kind != files::Kind::kEmpty && kind != files::Kind::kJson &&
        kind != files::Kind::kZeekTsv)
      files::check(path, "net_flows", {});  // says what the file is and which table reads it
  }
  tsv_ = ZeekTsv();
  block_skipped_ = false;
  if (kind == files::Kind::kZeekTsv) {
    lines_ = in_memory_ ? std::make_unique<files::LineReader>(memory_, path) : std::make_unique<files::LineReader>(path);
  } else {
    records_ = in_memory_ ? records::Reader::from_string(memory_) : std::make_unique<records::Reader>(path);
    records_->allow_trailing_commas(true);
  }
}

// Opens the next file that is to be read; a file a glob matched that cannot be read
// gives a row (true). False at the end.
bool FlowReader::open_next_file(Flow& flow) {
  while (file_index_ < files_.size()) {
    file_ = files_[file_index_++];
    if (filter_.lo_ms || filter_.hi_ms) {
      if (const auto hour = blob_hour_ms(file_)) {
        // Widened by an hour on each side: see the header.
        if ((filter_.hi_ms && *filter_.hi_ms < *hour - kHourMs) ||
            (filter_.lo_ms && *filter_.lo_ms >= *hour + 2 * kHourMs)) {
          ++stats_.files_skipped;
          continue;
        }
      }
    }
    try {
      open_file(file_);
    } catch (const Error& e) {
      if (!from_glob_) throw;
      error_row(flow, e.what(), 0);
      return !filter_.any();  // the row matches no filter (no time, no address)
    }
    return false;
  }
  return false;
}

bool FlowReader::next(Flow& flow) {
  for (;;) {
    if (!lines_ && !records_) {
      if (file_index_ >= files_.size()) return false;
      if (open_next_file(flow)) {
        ++stats_.rows;
        return true;
      }
      continue;
    }
    const bool got = lines_ ? next_tsv(flow) : next_record(flow);
    if (got) {
      ++stats_.rows;
      return true;
    }
    // The file ended; a read error that cut it short is a row of its own.
    const std::string err = lines_ ? lines_->error() : records_->read_error();
    lines_.reset();
    records_.reset();
    tuple_ = tuples_ = 0;
    if (!err.empty() && !filter_.any()) {
      error_row(flow, err, 0);
      ++stats_.rows;
      return true;
    }
  }
}

bool FlowReader::next_tsv(Flow& flow) {
  files::Line line;
  std::string error;
  while (lines_->next(line)) {
    ++stats_.lines;
    const std::string_view text = line.text;
    if (!text.empty() && text[0] == '#') {
      if (!tsv_.header(text)) {
        if (filter_.any()) continue;
        error_row(flow, "not a Zeek header line: '" + excerpt(text) + "'", line.number);
        return true;
      }
      if (text::starts_with(text, "#fields")) {
        block_skipped_ = !tsv_.connection_log();
        if (block_skipped_ && !filter_.any()) {
          error_row(flow,
                    "not a connection log: Zeek log '" + (tsv_.path().empty() ? std::string("?") : tsv_.path()) +
                        "' has no id.orig_h or id.resp_h field; the lines up to its next header are not read",
                    line.number);
          return true;
        }
      }
      continue;
    }
    if (block_skipped_ || text::trim(text).empty()) continue;
    if (line.overlong || !tsv_.has_fields() || !tsv_.split(text, error)) {
      if (filter_.any()) continue;
      error_row(flow,
                line.overlong ? "line longer than the reader's limit: cut"
                : !tsv_.has_fields() ? "Zeek data line before any #fields header"
                                     : error,
                line.number);
      return true;
    }
    flow.clear();
    // The filters first, each on its own field: a row not wanted costs no more.
    if (filter_.src_set && !filter_.wants_src(flow.src_ip = tsv_.src_ip(flow.src_buf))) continue;
    if (filter_.dst_set && !filter_.wants_dst(flow.dst_ip = tsv_.dst_ip(flow.dst_buf))) continue;
    flow.time_ms = tsv_.time_ms();
    if (!filter_.wants_time(flow.time_ms)) continue;
    tsv_.fill(flow, need_);
    flow.line = line.number;
    return true;
  }
  return false;
}

bool FlowReader::next_record(Flow& flow) {
  for (;;) {
    if (tuple_ < tuples_) {
      ++stats_.tuples;
      flow.clear();
      azure_.fill(tuple_++, flow, need_);
      flow.line = record_.line;
      if (passes(flow)) return true;
      continue;
    }
    if (!records_->next(record_)) return false;
    ++stats_.records;
    if (!record_.has_value) {
      if (filter_.any()) continue;
      error_row(flow, record_.error, record_.line);
      return true;
    }
    flow.clear();
    flow.line = record_.line;
    if (is_azure_flow_record(record_.value)) {
      std::string error;
      if (!azure_.open(record_.value, error)) {
        if (filter_.any()) continue;
        error_row(flow, error, record_.line);
        return true;
      }
      tuple_ = 0;
      tuples_ = azure_.size();
      continue;
    }
    if (is_zeek_json(record_.value)) zeek_json_.fill(record_.value, flow, need_);
    else analytics_.fill(record_.value, flow, need_);
    // A CSV record read with a problem (fields unlike the header's, text after a closing
    // quote: two records a lost line break merged) keeps what it has, and says so.
    if (!record_.error.empty())
      flow.parse_error = flow.parse_error.empty() ? record_.error : record_.error + "; " + flow.parse_error;
    if (passes(flow)) return true;
  }
}

}  // namespace sqlhunt::flows
