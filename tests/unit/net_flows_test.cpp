// net_flows' pure readers: flow tuples, AzureNetworkAnalytics rows, Zeek TSV and JSON,
// and what the filters save, counted by the reader's Stats.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/ip.h"
#include "vtabs/net_flows/flow_reader.h"

using namespace sqlhunt::flows;
using Json = nlohmann::json;

namespace {

// One row, its columns as text ("" for NULL), for comparisons.
struct Row {
  std::string time, src, dst, proto, dir, state, enc, source, rule, resource, mac, flow_id, ext, record, error;
  int64_t src_port = -1, dst_port = -1, allowed = -1, flows = -1, bytes_out = -1, bytes_in = -1, pk_out = -1,
          pk_in = -1;
  double duration = -1;
  uint64_t line = 0;
};

std::string t(const Text& v) { return v ? std::string(*v) : ""; }
int64_t n(const std::optional<int64_t>& v) { return v ? *v : -1; }

std::vector<Row> read(const std::string& text, Filter filter = {}, Stats* stats = nullptr) {
  FlowReader r;
  r.start_text(text, "mem", filter, kNeedAll);
  std::vector<Row> rows;
  Flow f;
  while (r.next(f)) {
    Row row;
    row.time = f.time_ms ? std::to_string(*f.time_ms) : "";
    row.src = t(f.src_ip), row.dst = t(f.dst_ip), row.proto = t(f.protocol), row.dir = t(f.direction);
    row.state = t(f.state), row.enc = t(f.encryption), row.source = t(f.source), row.rule = t(f.rule);
    row.resource = t(f.resource), row.mac = t(f.mac), row.flow_id = t(f.flow_id);
    row.ext = f.external_ips, row.record = f.record, row.error = f.parse_error;
    row.src_port = n(f.src_port), row.dst_port = n(f.dst_port), row.allowed = n(f.allowed), row.flows = n(f.flows);
    row.bytes_out = n(f.bytes_out), row.bytes_in = n(f.bytes_in), row.pk_out = n(f.packets_out), row.pk_in = n(f.packets_in);
    row.duration = f.duration ? *f.duration : -1;
    row.line = f.line;
    rows.push_back(row);
  }
  if (stats) *stats = r.stats();
  return rows;
}

std::string nsg(const std::string& version, const std::string& tuples) {
  return R"({"records": [{"time": "2018-07-18T12:36:34.6259876Z", "category": "NetworkSecurityGroupFlowEvent",
    "resourceId": "/SUBSCRIPTIONS/X/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/WADVM-NSG",
    "properties": {"Version": )" + version + R"(, "flows": [{"rule": "DefaultRule_DenyAllInBound",
    "flows": [{"mac": "000D3A0AF519", "flowTuples": [)" + tuples + "]}]}]}}]}";
}

}  // namespace

TEST(NetFlows, ZeekTime) {
  EXPECT_EQ(zeek_time_ms("1521911721.255387"), 1521911721255);
  EXPECT_EQ(zeek_time_ms("1521911721.2555"), 1521911721256);  // half up, on the digits
  EXPECT_EQ(zeek_time_ms("1521911721.9996"), 1521911722000);
  EXPECT_EQ(zeek_time_ms("1521911721"), 1521911721000);
  EXPECT_EQ(zeek_time_ms("1521911721.5"), 1521911721500);
  EXPECT_EQ(zeek_time_ms("-1.5"), -1500);
  for (const char* bad : {"", "-", "1.", ".5", "1e9", "12a", "1521911721.25x", "9999999999999999"})
    EXPECT_FALSE(zeek_time_ms(bad)) << bad;
}

TEST(NetFlows, BlobHour) {
  const std::string p = "/x/resourceId=/SUBSCRIPTIONS/A/NETWORKSECURITYGROUPS/N/y=2018/m=07/d=18/h=12/m=00/macAddress=0/PT1H.json";
  EXPECT_EQ(blob_hour_ms(p), int64_t{1531915200} * 1000);
  EXPECT_FALSE(blob_hour_ms("/x/y=2018/m=13/d=18/h=12/PT1H.json"));
  EXPECT_FALSE(blob_hour_ms("/x/y=2018/m=07/d=18/PT1H.json"));
  EXPECT_FALSE(blob_hour_ms("/x/y=2018x/m=07/d=18/h=1/PT1H.json"));
  EXPECT_FALSE(blob_hour_ms("/cases/az_net_flows.csv"));
}

TEST(NetFlows, NsgVersion1Tuples) {
  auto rows = read(nsg("1", R"("1531917335,122.222.24.18,10.0.0.4,61691,3128,T,I,D", "1531917400,10.0.0.4,13.67.143.118,44931,443,U,O,A")"));
  ASSERT_EQ(rows.size(), 2u);
  const Row& r = rows[0];
  EXPECT_EQ(r.time, "1531917335000");
  EXPECT_EQ(r.src, "122.222.24.18");
  EXPECT_EQ(r.dst, "10.0.0.4");
  EXPECT_EQ(r.src_port, 61691);
  EXPECT_EQ(r.dst_port, 3128);
  EXPECT_EQ(r.proto, "tcp");
  EXPECT_EQ(r.dir, "inbound");
  EXPECT_EQ(r.allowed, 0);
  EXPECT_EQ(r.flows, 1);
  EXPECT_EQ(r.state, "");
  EXPECT_EQ(r.bytes_out, -1);
  EXPECT_EQ(r.source, "nsg_v1");
  EXPECT_EQ(r.rule, "DefaultRule_DenyAllInBound");
  EXPECT_EQ(r.resource, "WADVM-NSG");
  EXPECT_EQ(r.mac, "000D3A0AF519");
  EXPECT_EQ(r.ext, R"(["122.222.24.18"])");
  EXPECT_EQ(r.line, 1u);
  const Json rec = Json::parse(r.record);
  EXPECT_EQ(rec["flowTuple"], "1531917335,122.222.24.18,10.0.0.4,61691,3128,T,I,D");
  EXPECT_EQ(rec["Version"], 1);
  EXPECT_EQ(rec["category"], "NetworkSecurityGroupFlowEvent");
  EXPECT_FALSE(rec.contains("properties"));
  EXPECT_EQ(rows[1].proto, "udp");
  EXPECT_EQ(rows[1].dir, "outbound");
  EXPECT_EQ(rows[1].allowed, 1);
}

TEST(NetFlows, NsgVersion2TuplesAndTheirTrailingComma) {
  // The shape of nsg_v2_aks-agentpool.json: B tuples end in four empty counters, E
  // tuples carry them, and a comma follows the last tuple.
  auto rows = read(nsg("2", R"("1578673975,10.201.4.6,10.244.2.21,53972,443,T,O,A,B,,,,",
      "1578673977,10.201.4.6,10.244.2.21,53763,80,T,O,A,E,4,246,2,126",
      "1578673978,10.201.4.6,10.244.2.21,53763,80,T,O,A,C,1,52,1,40",
)"));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].state, "B");
  EXPECT_EQ(rows[0].flows, 1);
  EXPECT_EQ(rows[0].pk_out, -1);
  EXPECT_EQ(rows[0].error, "");
  EXPECT_EQ(rows[1].state, "E");
  EXPECT_EQ(rows[1].flows, 0);  // status updates of a flow begun before: not counted again
  EXPECT_EQ(rows[1].pk_out, 4);
  EXPECT_EQ(rows[1].bytes_out, 246);
  EXPECT_EQ(rows[1].pk_in, 2);
  EXPECT_EQ(rows[1].bytes_in, 126);
  EXPECT_EQ(rows[2].flows, 0);
  EXPECT_EQ(rows[0].source, "nsg_v2");
}

TEST(NetFlows, VnetVersion4Tuples) {
  const std::string blob = R"({"records": [{"time": "2022-09-14T09:00:52.5625085Z", "flowLogVersion": 4,
    "macAddress": "00224871C205", "category": "FlowLogFlowEvent",
    "targetResourceID": "/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/myVNet",
    "flowRecords": {"flows": [{"aclID": "acl-1", "flowGroups": [{"rule": "BlockHighRiskTCPPortsFromInternet",
      "flowTuples": ["1663146003606,10.0.0.6,52.239.184.180,23956,443,6,O,E,NX,3,767,2,1580",
                     "1663146003599,192.0.2.7,10.0.0.6,23956,3389,6,I,D,NX_HW_NOT_SUPPORTED,0,0,0,0",
                     "1663146003600,10.0.0.6,10.0.0.7,1,2,1,O,B,X,0,0,0,0"]}]}]}}]})";
  auto rows = read(blob);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].time, "1663146003606");  // milliseconds already
  EXPECT_EQ(rows[0].proto, "tcp");
  EXPECT_EQ(rows[0].state, "E");
  EXPECT_EQ(rows[0].enc, "NX");
  EXPECT_EQ(rows[0].allowed, 1);
  EXPECT_EQ(rows[0].flows, 0);
  EXPECT_EQ(rows[0].bytes_in, 1580);
  EXPECT_EQ(rows[0].source, "vnet_v4");
  EXPECT_EQ(rows[0].resource, "myVNet");
  EXPECT_EQ(rows[0].mac, "00224871C205");
  EXPECT_EQ(rows[0].rule, "BlockHighRiskTCPPortsFromInternet");
  EXPECT_EQ(Json::parse(rows[0].record)["aclID"], "acl-1");
  EXPECT_EQ(rows[1].allowed, 0);  // D: denied
  EXPECT_EQ(rows[1].flows, 1);
  EXPECT_EQ(rows[1].enc, "NX_HW_NOT_SUPPORTED");
  EXPECT_EQ(rows[1].ext, "[]");   // 192.0.2.7 is documentation space, not public
  EXPECT_EQ(rows[2].proto, "icmp");
}

TEST(NetFlows, BadTuplesAreRowsWithTheirError) {
  auto rows = read(nsg("2", R"("1578673975,10.201.4.6,10.244.2.21,53972,443,T,O,A", "x,10.0.0.1,nowhere,1,2,T,O,A,B,,,,",
                                "1578673975,10.201.4.6,10.244.2.21,53972,443,T,O,A,B,,,,,,,,,,,,,,,,,,,,", 7)"));
  ASSERT_EQ(rows.size(), 3u);  // the number 7 is no tuple string: not a row
  EXPECT_EQ(rows[0].error, "");  // 8 fields: a version 1 tuple in a version 2 record still reads
  EXPECT_NE(rows[1].error.find("time: 'x'"), std::string::npos) << rows[1].error;
  EXPECT_NE(rows[1].error.find("destination 'nowhere' is not an IP address"), std::string::npos);
  EXPECT_EQ(rows[1].src, "10.0.0.1");
  EXPECT_NE(rows[2].error.find("more than 16 fields"), std::string::npos) << rows[2].error;
  EXPECT_NE(Json::parse(rows[2].record)["flowTuple"].get<std::string>().find("53972"), std::string::npos);
}

TEST(NetFlows, RecordsWithoutTuples) {
  auto rows = read(R"({"records": [{"properties": {"Version": 2, "flows": []}}, {"flowRecords": {}}]})");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_NE(rows[0].error.find("NSG flow log record without flow tuples"), std::string::npos);
  EXPECT_NE(rows[1].error.find("VNet flow log record without flow tuples"), std::string::npos);
}

TEST(NetFlows, NetworkAnalyticsAsTheNotebookProjectsIt) {
  // msticpy's projection (az_net_flows.csv): the pandas index column, PublicIPs as a
  // Python list literal, integers as floats, one row per AllExtIPs.
  const std::string csv =
      ",TimeGenerated,FlowStartTime,FlowEndTime,FlowType,VMName,VMIPAddress,PublicIPs,SrcIP,DestIP,L4Protocol,"
      "L7Protocol,DestPort,FlowDirection,AllowedOutFlows,AllowedInFlows,DeniedInFlows,DeniedOutFlows,AllExtIPs\n"
      "877,2019-02-12 14:22:40.681,2019-02-12 13:00:48.000,2019-02-12 13:58:33.000,AzurePublic,msticalertswin1,"
      "10.0.3.5,\"['13.71.172.130', '13.71.172.128']\",,,T,https,443.0,O,18.0,0.0,0.0,0.0,13.71.172.128\n"
      "3,2019-02-12 14:22:40.681,2019-02-12 13:00:48.000,2019-02-12 13:58:33.000,ExternalPublic,msticalertswin1,"
      "10.0.3.5,\"['23.97.60.214']\",,,U,ntp,123.0,I,0.0,2.0,1.0,0.0,23.97.60.214\n"
      "4,2019-02-12 14:22:40.681,2019-02-12 13:00:48.000,,IntraVNet,,,,10.0.3.4,10.0.3.5,T,ssh,22.0,I,0.0,1.0,0.0,0.0,"
      "10.0.3.4\n";
  auto rows = read(csv);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].src, "10.0.3.5");  // outbound: from the VM
  EXPECT_EQ(rows[0].dst, "13.71.172.128");  // to the row's AllExtIPs
  EXPECT_EQ(rows[0].dst_port, 443);
  EXPECT_EQ(rows[0].proto, "tcp");
  EXPECT_EQ(rows[0].dir, "outbound");
  EXPECT_EQ(rows[0].flows, 18);
  EXPECT_EQ(rows[0].allowed, 1);
  EXPECT_EQ(rows[0].ext, R"(["13.71.172.128","13.71.172.130"])");
  EXPECT_DOUBLE_EQ(rows[0].duration, 3465);
  EXPECT_EQ(rows[0].source, "network_analytics");
  EXPECT_EQ(rows[0].line, 2u);
  EXPECT_EQ(rows[1].src, "23.97.60.214");  // inbound: to the VM
  EXPECT_EQ(rows[1].dst, "10.0.3.5");
  EXPECT_EQ(rows[1].allowed, -1);  // allowed and denied flows both counted
  EXPECT_EQ(rows[1].flows, 3);
  EXPECT_EQ(rows[2].src, "10.0.3.4");
  EXPECT_EQ(rows[2].ext, R"(["10.0.3.4"])");  // what the source lists, private or not
  EXPECT_EQ(rows[2].duration, -1);
  for (const auto& r : rows) EXPECT_EQ(r.error, "") << r.line;
}

TEST(NetFlows, NetworkAnalyticsRawColumns) {
  // The raw table: type suffixes, Log Analytics' "ip|counters" lists separated by
  // spaces, and several public addresses (no single external end).
  const std::string json =
      R"({"TimeGenerated": "2020-03-01T10:00:00Z", "FlowStartTime_t": "2020-03-01T09:00:05Z", "FlowType_s": "ExternalPublic",)"
      R"( "VM_s": "rg/web01", "VMIP_s": "10.1.0.4", "PublicIPs_s": "40.1.2.3|1|0|0|0|0|0 [2001:DB8::5]|2|0|0|0|0|0 5.6.7.8|1|0|0|0|0|0",)"
      R"( "FlowDirection_s": "I", "FlowStatus_s": "D", "L4Protocol_s": "T", "DestPort_d": 3389, "NSGRules_s": "1|rdp-deny|D|I|3",)"
      R"( "Subnet1_s": "sub/rg/vnet/default", "InboundBytes_d": 100, "OutboundBytes_d": 20, "InboundPackets_d": 3, "OutboundPackets_d": 1,)"
      R"( "DeniedInFlows_d": 4})" "\n"
      R"({"AlertName": "not a flow"})" "\n";
  auto rows = read(json);
  ASSERT_EQ(rows.size(), 2u);
  const Row& r = rows[0];
  EXPECT_EQ(r.time, "1583053205000");
  EXPECT_EQ(r.dst, "10.1.0.4");  // inbound: the VM receives
  EXPECT_EQ(r.src, "");          // three public sources: none of them is the row's
  EXPECT_EQ(r.ext, R"(["40.1.2.3","2001:db8::5","5.6.7.8"])");
  EXPECT_EQ(r.allowed, 0);
  EXPECT_EQ(r.flows, 4);
  EXPECT_EQ(r.rule, "1|rdp-deny|D|I|3");
  EXPECT_EQ(r.bytes_in, 100);
  EXPECT_EQ(r.pk_out, 1);
  EXPECT_EQ(r.error, "");
  EXPECT_NE(rows[1].error.find("not a flow record"), std::string::npos);
}

TEST(NetFlows, NetworkAnalyticsBadList) {
  auto rows = read(R"({"FlowStartTime": "2020-03-01T09:00:05Z", "FlowDirection": "O", "VMIPAddress": "10.0.0.1",)"
                   R"( "AllExtIPs": ["1.2.3.4", "N/A"], "DestPort": "x"})");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].ext, R"(["1.2.3.4"])");
  EXPECT_EQ(rows[0].dst, "1.2.3.4");
  EXPECT_NE(rows[0].error.find("AllExtIPs: 'N/A' is not an IP address"), std::string::npos) << rows[0].error;
}

// A record whose line break was lost (two records on one line) or with text after a
// closing quote: still a row, with the CSV reader's words in parse_error.
TEST(NetFlows, NetworkAnalyticsMalformedCsvRecordsSaySo) {
  const std::string header = "FlowStartTime,FlowDirection,VMIPAddress,DestPort\n";
  auto rows = read(header + "2019-02-12 13:00:07.000,O,10.0.0.1,443\n"
                            "2019-02-12 13:00:08.000,O,10.0.0.2,443" "2019-02-12 13:00:09.000,O,10.0.0.3,80\n"
                            "2019-02-12 13:00:10.000,O,\"10.0.0.4\"x,22\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].error, "");
  EXPECT_EQ(rows[1].line, 3u);
  EXPECT_EQ(rows[1].error.rfind("7 fields, the header has 4", 0), 0u) << rows[1].error;
  EXPECT_EQ(rows[2].error.rfind("text after the closing quote of field 3", 0), 0u) << rows[2].error;
}

TEST(NetFlows, ZeekTsv) {
  const std::string log =
      "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n"
      "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes"
      "\tconn_state\tlocal_orig\tlocal_resp\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\n"
      "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount"
      "\tcount\tcount\tcount\tset[string]\n"
      "1521911721.255387\tC8Tful\t10.164.94.120\t39681\t23.97.60.214\t3389\ttcp\t-\t0.004266\t97\t19\tRSTR\tT\tF\t10"
      "\t730\t6\t342\t(empty)\n"
      "1521911722.5\tCb\t2001:DB8:0:0::1\t1\t::ffff:10.0.0.1\t2\tudp\tdns\t-\t-\t-\tS0\t-\t-\t1\t-\t0\t-\tC1,C2\n"
      "1521911723\tCc\t10.0.0.1\t1\n"
      "\n"
      "#path\tfiles\n#fields\tts\tfuid\tmime_type\n#types\ttime\tstring\tstring\n"
      "1521911724\tFx\ttext/plain\n"
      "#path\tssh\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tauth_success\n"
      "#types\ttime\tstring\taddr\tport\taddr\tport\tbool\n"
      "1521911725.1\tCd\t10.0.0.227\t59849\t10.47.8.50\t22\tT\n";
  auto rows = read(log);
  ASSERT_EQ(rows.size(), 5u);
  const Row& a = rows[0];
  EXPECT_EQ(a.time, "1521911721255");
  EXPECT_EQ(a.src, "10.164.94.120");
  EXPECT_EQ(a.dst_port, 3389);
  EXPECT_EQ(a.proto, "tcp");
  EXPECT_EQ(a.dir, "outbound");
  EXPECT_EQ(a.state, "RSTR");
  EXPECT_EQ(a.bytes_out, 730);  // orig_ip_bytes
  EXPECT_EQ(a.pk_in, 6);
  EXPECT_DOUBLE_EQ(a.duration, 0.004266);
  EXPECT_EQ(a.flow_id, "C8Tful");
  EXPECT_EQ(a.source, "zeek_conn");
  EXPECT_EQ(a.ext, R"(["23.97.60.214"])");
  EXPECT_EQ(a.line, 8u);
  const Json rec = Json::parse(a.record);
  EXPECT_EQ(rec["ts"], 1521911721.255387);
  EXPECT_EQ(rec["id.orig_p"], 39681);
  EXPECT_EQ(rec["local_orig"], true);
  EXPECT_EQ(rec["tunnel_parents"], Json::array());
  EXPECT_FALSE(rec.contains("service"));  // unset: left out
  const Row& b = rows[1];
  EXPECT_EQ(b.src, "2001:db8::1");
  EXPECT_EQ(b.dst, "10.0.0.1");
  EXPECT_EQ(b.dir, "");
  EXPECT_EQ(b.bytes_out, -1);  // orig_ip_bytes and orig_bytes unset
  EXPECT_EQ(b.duration, -1);
  EXPECT_EQ(Json::parse(b.record)["tunnel_parents"], Json::array({"C1", "C2"}));
  EXPECT_NE(rows[2].error.find("Zeek line with 4 fields, #fields names 19"), std::string::npos) << rows[2].error;
  EXPECT_EQ(rows[2].line, 10u);
  EXPECT_NE(rows[3].error.find("not a connection log: Zeek log 'files'"), std::string::npos) << rows[3].error;
  EXPECT_EQ(rows[4].source, "zeek_ssh");
  EXPECT_EQ(rows[4].dst_port, 22);
}

TEST(NetFlows, ZeekJson) {
  auto rows = read(
      R"({"_path":"conn","ts":"2018-03-24T17:16:39.739898Z","uid":"C2","id.orig_h":"10.0.0.227","id.orig_p":59849,)"
      R"("id.resp_h":"10.47.8.50","id.resp_p":22,"proto":"tcp","local_orig":false,"local_resp":true,"orig_bytes":5,"duration":1.5})"
      "\n"
      R"({"ts":1521911721.25,"id.orig_h":"10.0.0.1","id.resp_h":"bogus"})");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].time, "1521911799740");
  EXPECT_EQ(rows[0].dir, "inbound");
  EXPECT_EQ(rows[0].bytes_out, 5);
  EXPECT_DOUBLE_EQ(rows[0].duration, 1.5);
  EXPECT_EQ(rows[0].source, "zeek_conn");
  EXPECT_EQ(rows[1].time, "1521911721250");
  EXPECT_EQ(rows[1].source, "zeek_log");
  EXPECT_NE(rows[1].error.find("'bogus' is not an IP address"), std::string::npos);
}

// ---- what the filters save, counted -----------------------------------------------

TEST(NetFlows, AddressFilterBuildsOnlyTheWantedRows) {
  std::string log = "#separator \\x09\n#fields\tts\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\n";
  for (int i = 0; i < 1000; ++i)
    log += std::to_string(1521911721 + i) + "\t10.0.0." + std::to_string(i % 10) + "\t1\t10.1.0." + std::to_string(i % 7) + "\t2\n";
  Filter f;
  f.src_set = true;
  f.src_ips = {"10.0.0.3"};
  Stats s;
  auto rows = read(log, f, &s);
  EXPECT_EQ(rows.size(), 100u);
  EXPECT_EQ(s.rows, 100u);    // the other 900 lines were never built into rows
  EXPECT_EQ(s.lines, 1002u);  // every line was read: nothing to seek to in a Zeek log
  for (const auto& r : rows) EXPECT_EQ(r.src, "10.0.0.3");
  f.dst_set = true;
  f.dst_ips = {"10.1.0.5", "10.1.0.6"};
  rows = read(log, f, &s);
  size_t expected = 0;
  for (int i = 0; i < 1000; ++i) expected += i % 10 == 3 && (i % 7 == 5 || i % 7 == 6);
  EXPECT_EQ(rows.size(), expected);
  EXPECT_EQ(s.rows, expected);
  // An equality whose values are all NULL or not canonical matches nothing.
  Filter none;
  none.src_set = true;
  EXPECT_TRUE(read(log, none, &s).empty());
  EXPECT_EQ(s.rows, 0u);
}

TEST(NetFlows, TimeBoundsDropRowsAndParseErrorsEarly) {
  Filter f;
  f.lo_ms = 1578673977000;
  f.hi_ms = 1578673977000;
  Stats s;
  auto rows = read(nsg("2", R"("1578673975,10.201.4.6,10.244.2.21,53972,443,T,O,A,B,,,,",
      "1578673977,10.201.4.6,10.244.2.21,53763,80,T,O,A,E,4,246,2,126", "garbage")"), f, &s);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].dst_port, 80);
  EXPECT_EQ(s.tuples, 3u);
  EXPECT_EQ(s.rows, 1u);
}

TEST(NetFlows, BlobsOutsideTheTimeBoundsAreNotOpened) {
  // Three hourly blobs in Azure's layout; the 12:00 one holds junk that would be read
  // (and counted as records) if it were opened.
  namespace fs = std::filesystem;
  char tmpl[] = "/tmp/sqlhunt_blobs_XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  const fs::path root = tmpl;
  auto blob = [&](int hour, const std::string& body) {
    const fs::path dir = root / "resourceId=" / "NSG" / "y=2018" / "m=07" / "d=18" /
                         ("h=" + std::string(hour < 10 ? "0" : "") + std::to_string(hour)) / "m=00" / "macAddress=0";
    fs::create_directories(dir);
    std::ofstream(dir / "PT1H.json") << body;
  };
  const int64_t h9 = int64_t{1531904400};  // 2018-07-18T09:00:00Z
  blob(9, nsg("1", "\"" + std::to_string(h9 + 60) + ",1.2.3.4,10.0.0.4,1,2,T,I,D\""));
  blob(12, "{\"records\": [1, 2, 3]}");
  blob(15, nsg("1", "\"" + std::to_string(h9 + 6 * 3600 + 60) + ",1.2.3.4,10.0.0.4,1,2,T,I,D\""));
  const std::string pattern = (root / "resourceId=" / "NSG" / "*" / "*" / "*" / "*" / "*" / "*" / "PT1H.json").string();

  FlowReader r;
  Flow f;
  r.start(pattern, Filter(), kNeedAll);
  int all = 0;
  while (r.next(f)) ++all;
  EXPECT_EQ(all, 2 + 3);  // two tuples, three junk records as error rows
  EXPECT_EQ(r.stats().files_skipped, 0u);

  Filter window;
  window.lo_ms = (h9 + 6 * 3600) * 1000;  // 15:00 to 15:30: only the 15:00 blob (and 14:00, 16:00) can hold it
  window.hi_ms = (h9 + 6 * 3600 + 1800) * 1000;
  r.start(pattern, window, kNeedAll);
  int rows = 0;
  while (r.next(f)) ++rows;
  EXPECT_EQ(rows, 1);
  EXPECT_EQ(r.stats().files, 3u);
  EXPECT_EQ(r.stats().files_skipped, 2u);  // 09:00 and 12:00 never opened
  EXPECT_EQ(r.stats().records, 1u);        // the junk blob's records were never read
  fs::remove_all(root);
}

TEST(NetFlows, CanonicalIpFastPathAgreesWithNormalize) {
  std::string buf;
  for (const char* s : {"10.0.0.1", "010.0.0.1", "1.2.3.4:80", "[::1]", "::FFFF:1.2.3.4", " 1.2.3.4", "256.1.1.1", ""}) {
    const Text got = canonical_ip(s, buf);
    const auto want = sqlhunt::ip::normalize(s);
    EXPECT_EQ(got.has_value(), want.has_value()) << s;
    if (got && want) {
      EXPECT_EQ(*got, *want) << s;
    }
  }
}

TEST(NetFlows, TimesPastTheYear9999AreErrors) {
  // Found by net_flows_fuzz: a 15-digit Zeek ts is a time no ISO column can show.
  auto rows = read("#separator \\x09\n#fields\tts\tid.orig_h\tid.resp_h\n999999999999999.5\t10.0.0.1\t10.0.0.2\n"
                   "253402300799.999\t10.0.0.1\t10.0.0.2\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].time, "");
  EXPECT_NE(rows[0].error.find("ts: '999999999999999.5' is not epoch seconds"), std::string::npos) << rows[0].error;
  EXPECT_EQ(rows[1].time, "253402300799999");  // the last millisecond of 9999
  auto tuples = read(nsg("1", R"("99999999999999999,1.2.3.4,10.0.0.4,1,2,T,I,D")"));
  ASSERT_EQ(tuples.size(), 1u);
  EXPECT_EQ(tuples[0].time, "");
  EXPECT_NE(tuples[0].error.find("time: '99999999999999999'"), std::string::npos) << tuples[0].error;
}

TEST(NetFlows, ZeekRecordIsValidJsonWhateverTheNumbers) {
  // Found by net_flows_fuzz: "0849999997.000000" in a time field is no JSON number.
  auto rows = read("#separator \\x09\n#fields\tts\tid.orig_h\tid.resp_h\tn\tm\n#types\ttime\taddr\taddr\tcount\tdouble\n"
                   "0849999997.000000\t10.0.0.1\t10.0.0.2\t007\t-1.\n1.5\t10.0.0.1\t10.0.0.2\t0\t-0.25\n");
  ASSERT_EQ(rows.size(), 2u);
  const Json a = Json::parse(rows[0].record);
  EXPECT_EQ(a["ts"], "0849999997.000000");
  EXPECT_EQ(a["n"], "007");
  EXPECT_EQ(a["m"], "-1.");
  const Json b = Json::parse(rows[1].record);
  EXPECT_EQ(b["ts"], 1.5);
  EXPECT_EQ(b["n"], 0);
  EXPECT_EQ(b["m"], -0.25);
}

TEST(NetFlows, UnknownZeekHeaderLinesAreSaid) {
  // A line that starts with '#' but is no header Zeek writes (a data line whose first
  // byte was damaged, say) is a row, not silently taken for a header.
  auto rows = read("#separator \\x09\n#fields\tts\tid.orig_h\tid.resp_h\n#open\t2024-01-01-00-00-00\n"
                   "#521911721.5\t10.0.0.1\t10.0.0.2\n1521911721.5\t10.0.0.1\t10.0.0.2\n#close\t2024-01-01-00-00-01\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].line, 4u);
  EXPECT_NE(rows[0].error.find("not a Zeek header line: '#521911721.5"), std::string::npos) << rows[0].error;
  EXPECT_EQ(rows[1].error, "");
}
