#!/usr/bin/env bash
# Runs a host program (python3, or a runner that starts sqlite3) that will load the
# extension, with the sanitizer runtime preloaded when the extension was built with
# ASan/UBSan. Usage: run_host.sh PROGRAM [ARGS...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/sanitizer_env.sh"
exec "$@"
