// core/record_files.h — the records of every file a path names, file errors included.
//
// The file loop of every table over exports (office_activity, and any reader of
// core/record_stream.h): the path is expanded (core/file_source.h: globs in natural
// order, a literal path that does not exist is an error), each file's kind is checked
// (core/file_kind.h: an EVTX log given to a JSON table is named, not read as junk) and
// its records are read one at a time. What cannot be read is a record of its own, with
// `error` set and no value, so the table turns it into a parse_error row and nothing
// goes unnoticed:
//   * a file a glob matched that cannot be opened or is of the wrong kind (named by
//     itself, the same file is an error that stops the query, as for every table);
//   * a read error that ended a file early (a truncated .gz), after the records read.
#pragma once

#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "core/file_kind.h"
#include "core/record_stream.h"

namespace sqlhunt::records {

class FileRecords {
 public:
  // `table` names the reader in wrong-kind errors; `accepted` are the kinds it reads
  // besides text (CSV) and empty files.
  FileRecords(const char* table, std::initializer_list<files::Kind> accepted);

  // Starts over with the files `pattern` names. Throws sqlhunt::Error for a literal
  // path that cannot be read.
  void start(const std::string& pattern);
  // The next record; false after the last file.
  bool next(Record& record);
  // The file of the record last returned.
  const std::string& file() const { return file_; }

 private:
  const char* table_;
  std::vector<files::Kind> accepted_;
  std::vector<std::string> files_;
  size_t index_ = 0;
  bool from_glob_ = false;
  std::string file_;
  std::unique_ptr<Reader> reader_;
};

}  // namespace sqlhunt::records
