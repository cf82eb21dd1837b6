// The settings of ti_lookup's providers and of its local indicator files (see
// core/config.h for the mechanism, docs/config.md for the list).
#include "core/config.h"

namespace sqlhunt::ti {
namespace {

constexpr double kTtlMax = 315360000;  // ten years
constexpr double kRateMax = 100000;

}  // namespace

const config::Registration kSettings({
    {"ti.local", "SQLHUNT_TI_LOCAL", "", config::Kind::kPath, true, 0, 0,
     "Indicator files for the `local` provider: paths or globs separated by ':' (CSV or JSON lines)."},
    {"virustotal.key", "SQLHUNT_VIRUSTOTAL_KEY", "", config::Kind::kSecret, true, 0, 0, "VirusTotal API key (x-apikey)."},
    {"virustotal.url", "SQLHUNT_VIRUSTOTAL_URL", "https://www.virustotal.com/api/v3", config::Kind::kUrl, false, 0, 0,
     "VirusTotal API v3 base URL (environment only)."},
    {"virustotal.rate", "SQLHUNT_VIRUSTOTAL_RATE", "4", config::Kind::kNumber, true, 0, kRateMax,
     "VirusTotal requests a minute (free tier: 4); 0 for no limit."},
    {"virustotal.ttl", "SQLHUNT_VIRUSTOTAL_TTL", "86400", config::Kind::kNumber, true, 0, kTtlMax,
     "Seconds a VirusTotal answer is cached."},
    {"abuseipdb.key", "SQLHUNT_ABUSEIPDB_KEY", "", config::Kind::kSecret, true, 0, 0, "AbuseIPDB API key (Key header)."},
    {"abuseipdb.url", "SQLHUNT_ABUSEIPDB_URL", "https://api.abuseipdb.com/api/v2", config::Kind::kUrl, false, 0, 0,
     "AbuseIPDB API v2 base URL (environment only)."},
    {"abuseipdb.rate", "SQLHUNT_ABUSEIPDB_RATE", "60", config::Kind::kNumber, true, 0, kRateMax,
     "AbuseIPDB requests a minute (free tier: 1,000 checks a day, enforced by the server); 0 for no limit."},
    {"abuseipdb.ttl", "SQLHUNT_ABUSEIPDB_TTL", "86400", config::Kind::kNumber, true, 0, kTtlMax,
     "Seconds an AbuseIPDB answer is cached."},
    {"otx.key", "SQLHUNT_OTX_KEY", "", config::Kind::kSecret, true, 0, 0, "AlienVault OTX API key (X-OTX-API-KEY)."},
    {"otx.url", "SQLHUNT_OTX_URL", "https://otx.alienvault.com/api/v1", config::Kind::kUrl, false, 0, 0,
     "OTX API v1 base URL (environment only)."},
    {"otx.rate", "SQLHUNT_OTX_RATE", "150", config::Kind::kNumber, true, 0, kRateMax,
     "OTX requests a minute (10,000 an hour); 0 for no limit."},
    {"otx.ttl", "SQLHUNT_OTX_TTL", "86400", config::Kind::kNumber, true, 0, kTtlMax, "Seconds an OTX answer is cached."},
    {"greynoise.key", "SQLHUNT_GREYNOISE_KEY", "", config::Kind::kSecret, true, 0, 0,
     "GreyNoise community API key (key header)."},
    {"greynoise.url", "SQLHUNT_GREYNOISE_URL", "https://api.greynoise.io/v3/community", config::Kind::kUrl, false, 0, 0,
     "GreyNoise community API base URL (environment only)."},
    {"greynoise.rate", "SQLHUNT_GREYNOISE_RATE", "10", config::Kind::kNumber, true, 0, kRateMax,
     "GreyNoise requests a minute; 0 for no limit."},
    {"greynoise.ttl", "SQLHUNT_GREYNOISE_TTL", "86400", config::Kind::kNumber, true, 0, kTtlMax,
     "Seconds a GreyNoise answer is cached."},
});

}  // namespace sqlhunt::ti
