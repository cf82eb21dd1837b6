// core/path_glob.h — the files a glob names, "**" included.
//
// glob(3) with one addition shells and Python have (bash's globstar, Python's
// glob(recursive=True)): a path segment that is exactly "**" matches any number of
// directories, none included, so 'case/**/*.json' is every .json file under case/ at
// any depth and 'case/**' every file under it. As '*' does, "**" skips names that start
// with '.'; it does not follow symbolic links to directories (no cycles; a link to a
// file is matched as a file); with an allow-list (core/file_policy.h) it goes only into
// folders inside or on the way to an allowed one, so SQL cannot walk the whole disk for
// names. Directories are never in the result. Ctrl-C stops a walk of a large tree
// (core/interrupt.h).
#pragma once

#include <string>
#include <vector>

namespace sqlhunt::files {

// Appends the files `pattern` matches to `out`, unsorted and possibly repeated (two
// "**" can reach one file twice); expand() in core/file_source.h sorts and dedupes.
// Throws sqlhunt::Error when a directory cannot be read or on Ctrl-C.
void glob_files(const std::string& pattern, std::vector<std::string>& out);

}  // namespace sqlhunt::files
