# Sourced by the test runners: when the extension was built with ASan/UBSan, a host
# program that was not (sqlite3, python3) must have the ASan runtime loaded first.
# Usage: . tests/sanitizer_env.sh   (reads SQLHUNT_SANITIZE, exports LD_PRELOAD etc.)
if [ "${SQLHUNT_SANITIZE:-0}" = "1" ]; then
  asan_lib=$(${CC:-gcc} -print-file-name=libasan.so)
  # libstdc++ too: ASan's __cxa_throw interceptor resolves the real one when it starts,
  # and in a C host (sqlite3, python3) libstdc++ is not loaded yet then, so the first
  # C++ exception the extension throws (and catches) would abort with "CHECK failed:
  # real___cxa_throw != 0".
  cxx_lib=$(${CXX:-g++} -print-file-name=libstdc++.so)
  export LD_PRELOAD="$asan_lib:$cxx_lib${LD_PRELOAD:+:$LD_PRELOAD}"
  # Leaks are checked in the unit tests; host programs (python3) keep memory at exit by design.
  export ASAN_OPTIONS="detect_leaks=0:abort_on_error=0:${ASAN_OPTIONS:-}"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
fi
