#include "core/record_files.h"

#include <algorithm>

#include "core/error.h"
#include "core/file_source.h"

namespace sqlhunt::records {

FileRecords::FileRecords(const char* table, std::initializer_list<files::Kind> accepted)
    : table_(table), accepted_(accepted) {}

void FileRecords::start(const std::string& pattern) {
  reader_.reset();
  index_ = 0;
  files_ = files::expand(pattern);
  from_glob_ = files::is_glob(pattern);
}

bool FileRecords::next(Record& record) {
  for (;;) {
    if (!reader_) {
      if (index_ >= files_.size()) return false;
      file_ = files_[index_++];
      try {
        const files::Sniffed s = files::sniff_file(file_);
        if (s.kind != files::Kind::kText && s.kind != files::Kind::kEmpty &&
            std::find(accepted_.begin(), accepted_.end(), s.kind) == accepted_.end()) {
          // check() says what the file is and which table reads it.
          files::check(file_, table_, {});
        }
        reader_ = std::make_unique<Reader>(file_);
      } catch (const Error& e) {
        if (!from_glob_) throw;
        record = Record();
        record.error = e.what();
        return true;
      }
    }
    if (reader_->next(record)) return true;
    const std::string err = reader_->read_error();
    reader_.reset();
    if (!err.empty()) {
      record = Record();
      record.error = err;
      return true;
    }
  }
}

}  // namespace sqlhunt::records
