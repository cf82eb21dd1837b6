#include "vtabs/ti_lookup/ti_lookup_vtab.h"

#include <set>

#include "core/sql_function.h"
#include "core/time.h"
#include "core/vtab.h"
#include "vtabs/ti_lookup/ti_engine.h"

namespace sqlhunt {
namespace {

using vtab::kArgument;
using vtab::kBatch;
using vtab::kHidden;
using vtab::kPlain;
using vtab::kRequired;

enum Col { kObservable, kIocType, kProvider, kStatus, kDetail, kSeverity, kResult, kDetails, kReference, kRaw,
           kCached, kFetchedAt };

const vtab::Column kColumns[] = {
    {"observable", "TEXT", kArgument | kRequired | kBatch, "the indicator asked about, as given"},
    {"ioc_type", "TEXT", kPlain, "what ioc_type() says the observable is; NULL when no single indicator"},
    {"provider", "TEXT", kArgument | kBatch, "local virustotal abuseipdb otx greynoise"},
    {"status", "TEXT", kPlain, "ok not_found not_configured skipped offline quota error"},
    {"status_detail", "TEXT", kPlain, "why (never a key)"},
    {"severity", "TEXT", kPlain, "unknown information warning high"},
    {"result", "TEXT", kPlain, "one line for people"},
    {"details", "TEXT", kPlain, "JSON: the provider's main fields"},
    {"reference", "TEXT", kPlain, "link to the provider's page, file:line for local"},
    {"raw", "TEXT", kPlain, "JSON: the provider's whole reply"},
    {"cached", "INTEGER", kPlain, "1 when the answer came from the cache"},
    {"fetched_at", "TEXT", kPlain, "when the answer was fetched (ISO UTC); NULL when nothing was"},
};

const vtab::TableSpec kSpec = {"ti_lookup", "one row per (observable, provider)", kColumns, vtab::count(kColumns),
                               1000, 5, vtab::Trust::kDirectOnly,
                               "asks remote threat-intel services and reads local indicator files"};

class Cursor : public vtab::Cursor {
 public:
  void filter(const vtab::FilterArgs& args) override {
    rows_.clear();
    pos_ = 0;
    std::vector<std::string> observables;
    std::set<std::string> seen;
    for (auto& o : args.texts(kObservable))
      if (seen.insert(o).second) observables.push_back(std::move(o));
    std::vector<std::string> providers;
    bool provider_given = false;
    for (const auto& c : args.constraints()) provider_given |= c.column == kProvider;
    if (provider_given) {
      providers = args.texts(kProvider);
      if (providers.empty()) return;  // provider = NULL matches nothing
    }
    rows_ = ti::lookup(observables, providers);
  }
  void next() override { ++pos_; }
  bool eof() const override { return pos_ >= rows_.size(); }

  void column(sqlite3_context* ctx, int col) override {
    const ti::Result& r = rows_[pos_];
    auto text_or_null = [&](const std::string& s) {
      if (s.empty()) return sqlite3_result_null(ctx);
      sqlfn::result_text(ctx, s);
    };
    switch (col) {
      case kObservable: return sqlfn::result_text(ctx, r.observable);
      case kIocType: return text_or_null(r.ioc_type);
      case kProvider: return sqlfn::result_text(ctx, r.provider);
      case kStatus: return sqlfn::result_text(ctx, r.status);
      case kDetail: return text_or_null(r.detail);
      case kSeverity: return sqlfn::result_text(ctx, ti::severity_name(r.severity));
      case kResult: return text_or_null(r.result);
      case kDetails: return sqlfn::result_text(ctx, r.details.empty() ? "{}" : r.details);
      case kReference: return text_or_null(r.reference);
      case kRaw: return text_or_null(r.raw);
      case kCached: return sqlite3_result_int(ctx, r.cached ? 1 : 0);
      case kFetchedAt:
        if (r.fetched_at <= 0) return sqlite3_result_null(ctx);
        return sqlfn::result_text(ctx, timefmt::iso_from_epoch(r.fetched_at));
      default: return sqlite3_result_null(ctx);
    }
  }

 private:
  std::vector<ti::Result> rows_;
  size_t pos_ = 0;
};

}  // namespace

int register_ti_lookup(sqlite3* db) { return vtab::register_table(db, kSpec, vtab::cursor_table<Cursor>); }

}  // namespace sqlhunt
