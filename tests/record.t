#!/bin/sh
# record.t: the parser of lib/record.c (through its unit test's "parse"
# mode) with each allocation made to fail in turn: an error, never a crash
# or a leak.  The unit tests themselves run once, as make check runs every
# build/tests/ program.

build=${ENAS_BUILD:-build}
src=${ENAS_SRC:-.}
unit=$build/tests/record
run=
if [ -n "$ENAS_VALGRIND" ]; then
	run="valgrind -q --leak-check=full --error-exitcode=9"
fi
export ENAS_SRC="$src"

if [ ! -x "$unit" ]; then
	echo "1..0 # SKIP $unit not built"
	exit 0
fi

big=$(mktemp) || exit 2
trap 'rm -f "$big"' EXIT
n=0
fail=0
ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		fail=1
	fi
}

# Allocation failure: every allocation of a parse, failing in turn, gives
# exit 2 (ENAS_ENOMEM) until there are no more to fail, then exit 0.
# The large mapping grows the arena and the duplicate-key hash.
awk 'BEGIN { for (i = 0; i < 3000; i++) printf "k%d: v%d\n", i, i }' >"$big"
for f in "$src/tests/fixtures/yaml/case.yaml" \
    "$src/tests/fixtures/yaml/depth-8.yaml" "$big"; do
	i=1 res=2
	while [ $i -le 100 ]; do
		ENAS_FAIL_ALLOC=$i $run "$unit" parse "$f" 2>/dev/null
		res=$?
		[ $res = 2 ] || break
		i=$((i + 1))
	done
	ok $([ $res = 0 ] && echo 0 || echo 1) \
	    "${f##*/}: each failing allocation is handled (exit $res at $i)"
done

echo "1..$n"
exit $fail
