#!/bin/sh
# deps.sh PKG... - make sure the named Debian packages are installed.
# As root: install what is missing (apt-get update first). Otherwise print the
# exact apt-get line and fail, so `make run`/`make test` stop with a clear
# instruction instead of a compiler error.
missing=""
if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "cnrs: dpkg-query not found; not a Debian system, install the equivalents of: $*" >&2
    exit 0
fi
for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "cnrs: installing missing Debian packages:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing
    exit $?
fi
echo "cnrs: missing Debian packages. Install them with:" >&2
echo "  sudo apt-get install -y$missing" >&2
exit 1
