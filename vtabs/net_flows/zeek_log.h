// vtabs/net_flows/zeek_log.h — Zeek logs, TSV and JSON, one row per logged connection.
//
// TSV (Zeek's default writer): header lines start with '#' and set how the data lines
// that follow read: `#separator \x09` (the byte between fields, written escaped),
// `#set_separator`, `#empty_field` ("(empty)"), `#unset_field` ("-"), `#path` (conn,
// ssh, http...), `#fields` (the names), `#types` (time, addr, port, count, interval,
// bool, set[string]...), `#open`/`#close` (when the writer opened and closed the file:
// processing time, not traffic time, so they bound nothing). A new header block
// (concatenated logs) takes effect where it stands. Any Zeek log whose fields include
// id.orig_h / id.resp_h (conn, ssh, http, dns, ...) is read; a log without them (files,
// x509) is one row saying it is not a connection log, its lines not read.
//
// JSON (Zeek's JSON writer, corelight's JSON Streaming Logs): one object per line with
// the same names as flat keys ("id.orig_h"), `ts` as epoch seconds or ISO-8601 text,
// unset fields absent, `_path` naming the log.
//
//   time           ts (the connection's first packet; Zeek writes the line when the
//                  connection ends, so ts is not in file order)
//   end_time       ts + duration;  duration  duration (seconds)
//   src_ip/port    id.orig_h / id.orig_p (the originator);  dst_ip/port  id.resp_h / id.resp_p
//   protocol       proto (tcp, udp, icmp);  service  service (http, ssl, dns, ...)
//   direction      from local_orig/local_resp: T,F outbound; F,T inbound; T,T internal;
//                  F,F external; unset: NULL
//   state          conn_state (S0, SF, REJ, RSTR, ...);  allowed  NULL (Zeek sees packets,
//                  not policy)
//   flows          1
//   bytes_out/in   orig_ip_bytes / resp_ip_bytes (IP-level, as NSG and VNet count), else
//                  orig_bytes / resp_bytes (payload); packets_out/in  orig_pkts / resp_pkts
//   flow_id        uid (the connection's id, to join the other Zeek logs)
//   source         zeek_<path> (zeek_conn, zeek_ssh, ...)
//   external_ips   the public addresses among originator and responder
//   record         the line as Zeek's JSON writer would write it: names from #fields,
//                  values typed by #types (numbers, true/false, arrays for sets), unset
//                  fields left out
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "core/record_fields.h"
#include "vtabs/net_flows/flow.h"

namespace sqlhunt::flows {

class ZeekTsv {
 public:
  // Reads a header line (one that starts with '#'); false when it is none Zeek writes
  // (#separator, #set_separator, #empty_field, #unset_field, #path, #open, #fields,
  // #types, #close): such a line is damage or something else, and is reported.
  bool header(std::string_view line);
  // A #fields line has been read (data lines can be split).
  bool has_fields() const { return !names_.empty(); }
  // The fields name a connection's ends (id.orig_h or id.resp_h).
  bool connection_log() const { return orig_h_ >= 0 || resp_h_ >= 0; }
  const std::string& path() const { return path_; }

  // Splits a data line into its fields; false, with `error`, when it has the wrong count.
  bool split(std::string_view line, std::string& error);
  // The filters' columns, from the split line, without filling a Flow.
  Text src_ip(std::string& buf) const { return address(orig_h_, buf); }
  Text dst_ip(std::string& buf) const { return address(resp_h_, buf); }
  std::optional<int64_t> time_ms() const;
  // Fills `flow` from the split line (src_ip, dst_ip, time_ms are filled by the caller
  // from the calls above when it has them; fill() fills them when absent).
  void fill(Flow& flow, unsigned need);

 private:
  Text field(int i) const;  // absent for unset and out-of-range
  Text address(int i, std::string& buf) const;
  void record_json(std::string& out) const;

  char sep_ = '\t';
  std::string set_sep_ = ",", empty_ = "(empty)", unset_ = "-", path_, source_;
  std::vector<std::string> names_, types_;
  std::vector<std::string_view> values_;
  int ts_ = -1, uid_ = -1, orig_h_ = -1, orig_p_ = -1, resp_h_ = -1, resp_p_ = -1, proto_ = -1, service_ = -1,
      duration_ = -1, orig_bytes_ = -1, resp_bytes_ = -1, conn_state_ = -1, local_orig_ = -1, local_resp_ = -1,
      orig_pkts_ = -1, orig_ip_bytes_ = -1, resp_pkts_ = -1, resp_ip_bytes_ = -1;
};

// A Zeek JSON record (it has "id.orig_h" or "id.resp_h")?
bool is_zeek_json(simdjson::dom::element record);

class ZeekJson {
 public:
  ZeekJson();
  void fill(simdjson::dom::element record, Flow& flow, unsigned need);

 private:
  records::FieldPicker fields_;
  std::string source_;
};

// Zeek's epoch seconds text ("1521911721.255387") in milliseconds, rounded half up on
// the decimal digits (no binary floating point on the way).
std::optional<int64_t> zeek_time_ms(std::string_view s);

}  // namespace sqlhunt::flows
