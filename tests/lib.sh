# lib.sh - the checks the shell suites share (cli.sh, batch.sh, site.sh,
# hostile.sh, browser.sh). Sourced after the suite has made $tmp; commands
# under test write their output to $tmp/out and $tmp/err. POSIX sh.
pass=0 fail=0

# The team's sample reports: the report files at the top of corpora/, named
# one by one. corpora/real/ (real reports, some of them large PDFs, measured
# by `make eval`) is left out, so these suites stay quick under ASan and
# valgrind and their counts do not move when real reports arrive. Use it
# unquoted: $TEAM is the list of paths (they hold no spaces).
TEAM=$(ls corpora/*.txt corpora/*.html corpora/*.pdf 2>/dev/null | tr '\n' ' ')

ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
same() { # same DESC WANT GOT
    if [ "$2" = "$3" ]; then ok; else bad "$1: got '$3', expected '$2'"; fi
}
expect_status() { # expect_status WANT DESC CMD... : run CMD, compare its exit status
    want=$1 desc=$2; shift 2
    "$@" >"$tmp/out" 2>"$tmp/err"; got=$?
    if [ "$got" = "$want" ]; then ok; else bad "$desc: exit $got, expected $want ($(head -c 400 "$tmp/err"))"; fi
}
expect_err() { # expect_err PATTERN DESC : stderr of the last command matches
    if grep -q -- "$1" "$tmp/err"; then ok; else bad "$2: stderr lacks '$1': $(head -c 400 "$tmp/err")"; fi
}
expect_out() { # expect_out PATTERN DESC : stdout of the last command matches
    if grep -q -- "$1" "$tmp/out"; then ok; else bad "$2: stdout lacks '$1': $(head -c 400 "$tmp/out")"; fi
}
