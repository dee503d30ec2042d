#!/bin/sh
# fuzz.t: every fuzz target replays its saved corpus, the seeds and
# every input a fuzzer ever kept, and every crash ever found
# (tests/fuzz/regress/): no crash, no sanitizer report, no leak.
. "$(dirname "$0")/lib.sh"

fuzz=$ENAS_SRC/tests/fuzz
targets=
for f in "$fuzz"/*.c; do
	t=${f##*/}
	targets="$targets ${t%.c}"
done
set -- $targets
plan $#

vg=
if [ -n "$ENAS_VALGRIND" ]; then
	vg="valgrind -q --error-exitcode=99 --leak-check=full
	    --errors-for-leak-kinds=definite --show-leak-kinds=definite"
fi

for t; do
	dirs=$fuzz/corpus/$t
	[ -d "$fuzz/regress/$t" ] && dirs="$dirs $fuzz/regress/$t"
	n=$(find $dirs -type f | wc -l)
	run $vg "$ENAS_BUILD/fuzz/$t-replay" $dirs
	is "0:replay: $n inputs:" "$rc:$out:$err" "$t: replays its $n saved inputs"
done

done_testing
