// vtabs/net_flows/flow_reader.h — the flows of every file a path names, filtered as the
// query asks, with the work a filter saves counted.
//
// Each file is recognised from its first bytes (core/file_kind.h), never its name:
//   Zeek TSV (`#separator`)   read line by line (zeek_log.h)
//   JSON, CSV                 records (core/record_stream.h), each one read as what it
//                             is: an NSG/VNet flow-log record (`properties.flows`,
//                             `flowRecords`: azure_flow_log.h), a Zeek JSON line
//                             (`id.orig_h`: zeek_log.h) or an AzureNetworkAnalytics_CL
//                             row (network_analytics.h)
// Trailing commas in JSON are read as if they were not there (the shared
// nsg_v2_aks-agentpool.json, a hand-trimmed fixture of the NSG connector's tests, has
// one after its last tuple; Newtonsoft, which that connector uses, reads it).
//
// What a filter (flow.h) saves, and what it may not:
//   * src_ip / dst_ip equality: a line or tuple whose address is not wanted is dropped
//     after its address is read, before anything else is decoded (for Zeek TSV: the
//     field is compared where it lies in the line) — no row is built, nothing is handed
//     to SQLite. The comparison is the column's: the canonical address text.
//   * time bounds: the same for a row outside them. And an Azure flow-log blob whose
//     path names its hour (…/y=2018/m=07/d=18/h=12/m=00/…/PT1H.json, the layout Azure
//     writes) is not opened at all when that hour, widened by one hour on each side,
//     lies outside the bounds: a blob holds the records written in its hour, and a
//     tuple's time precedes its record's by a minute or so, never by an hour.
//   * Nothing else is skipped. Zeek writes a connection when it ends, so ts is not in
//     file order (24 steps back in the shared conn.log): a line past the bounds says
//     nothing about the next one, and the reader reads to the end. `#open`/`#close` are
//     processing times (2024 in the shared ssh.log of 2018 traffic) and bound nothing.
// Rows with parse_error have no time and usually no address: under a filter they match
// nothing and are dropped like any other such row (SQLite would drop them too).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/file_source.h"
#include "core/record_stream.h"
#include "vtabs/net_flows/azure_flow_log.h"
#include "vtabs/net_flows/flow.h"
#include "vtabs/net_flows/network_analytics.h"
#include "vtabs/net_flows/zeek_log.h"

namespace sqlhunt::flows {

// What the reader did, for the tests of what a filter saves.
struct Stats {
  uint64_t files = 0;          // files the path named
  uint64_t files_skipped = 0;  // not opened: their hour is outside the time bounds
  uint64_t lines = 0;          // Zeek TSV lines read (headers included)
  uint64_t records = 0;        // JSON/CSV records read
  uint64_t tuples = 0;         // flow tuples found in flow-log records
  uint64_t rows = 0;           // rows built and returned
};

// The hour an Azure flow-log blob's path names (".../y=2018/m=07/d=18/h=12/..."), as
// epoch ms of its start; nullopt when the path has no such segments.
std::optional<int64_t> blob_hour_ms(std::string_view path);

class FlowReader {
 public:
  // Starts over with the files `pattern` names. Throws sqlhunt::Error for a literal
  // path that cannot be read.
  void start(const std::string& pattern, Filter filter, unsigned need);
  // Reads `text` as one file named `name` (tests, fuzzing).
  void start_text(std::string_view text, const std::string& name, Filter filter, unsigned need);

  // The next row; false at the end.
  bool next(Flow& flow);
  const std::string& file() const { return file_; }
  const Stats& stats() const { return stats_; }

 private:
  void reset(Filter filter, unsigned need, bool in_memory);  // what both starts begin with
  bool open_next_file(Flow& flow);
  void open_file(const std::string& path);  // throws
  bool next_tsv(Flow& flow);
  bool next_record(Flow& flow);
  bool passes(const Flow& flow) const {
    return filter_.wants_time(flow.time_ms) && filter_.wants_src(flow.src_ip) && filter_.wants_dst(flow.dst_ip);
  }
  void error_row(Flow& flow, std::string error, uint64_t line);

  Filter filter_;
  unsigned need_ = kNeedAll;
  std::vector<std::string> files_;
  size_t file_index_ = 0;
  bool from_glob_ = false;
  std::string file_;
  std::string_view memory_;  // start_text's bytes
  bool in_memory_ = false;
  Stats stats_;

  // The open file: one of these.
  std::unique_ptr<files::LineReader> lines_;
  std::unique_ptr<records::Reader> records_;

  ZeekTsv tsv_;
  bool block_skipped_ = false;  // the header block names no connection: its lines are not rows
  records::Record record_;
  AzureFlowRecord azure_;
  size_t tuple_ = 0, tuples_ = 0;
  NetworkAnalytics analytics_;
  ZeekJson zeek_json_;
};

}  // namespace sqlhunt::flows
