// libFuzzer target for core/file_source's LineReader: over any bytes, with a small
// buffer and line limit taken from the input, every byte is accounted for. Joining the
// lines back with their terminators gives the input again (except the parts of an
// overlong line beyond the limit), offsets and numbers increase, nothing is read out of
// bounds. The first input byte picks the limits; the rest is the file (written to a
// memfd, so the reader sees a real file descriptor).
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/file_source.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const size_t max_line = 1 + (data[0] & 0x3f);      // 1..64 bytes
  const size_t buffer = 16 + ((data[0] >> 6) * 16);  // grows as needed
  const std::string_view file(reinterpret_cast<const char*>(data + 1), size - 1);
  const int fd = memfd_create("line_reader_fuzz", 0);
  if (fd < 0) return 0;
  if (!file.empty() && write(fd, file.data(), file.size()) != static_cast<ssize_t>(file.size())) std::abort();
  const std::string path = "/proc/self/fd/" + std::to_string(fd);
  if (file.size() >= 2 && file[0] == '\x1f' && file[1] == '\x8b') {
    // Read as gzip: garbage must end in error(), never a crash or an overlong line.
    sqlhunt::files::LineReader reader(path, max_line, buffer);
    sqlhunt::files::Line line;
    while (reader.next(line))
      if (line.text.size() > max_line) std::abort();
    close(fd);
    return 0;
  }
  {
    sqlhunt::files::LineReader reader(path, max_line, buffer);
    sqlhunt::files::Line line;
    uint64_t expected_offset = 0, number = 0;
    while (reader.next(line)) {
      if (line.offset != expected_offset || line.number != ++number) std::abort();
      if (line.text.size() > max_line) std::abort();
      if (line.offset + line.text.size() > file.size()) std::abort();
      if (file.substr(line.offset, line.text.size()) != line.text) std::abort();
      // Where does the next line start? After the '\n' that ends this one.
      const size_t nl = file.find('\n', line.offset + line.text.size());
      if (line.unterminated) {
        if (nl != std::string_view::npos) std::abort();
        expected_offset = file.size();
      } else {
        if (nl == std::string_view::npos) {
          if (!line.overlong) std::abort();
          expected_offset = file.size();
        } else {
          if (!line.overlong && nl != line.offset + line.text.size() &&
              !(nl == line.offset + line.text.size() + 1 && file[nl - 1] == '\r'))
            std::abort();
          expected_offset = nl + 1;
        }
      }
    }
    if (expected_offset != file.size() || !reader.error().empty()) std::abort();
  }
  close(fd);
  return 0;
}
