#!/bin/sh
# alloc.t: memory that runs out.  ENAS_FAIL_ALLOC=N makes the N-th
# allocation fail, and every one after it; N:1 makes only the N-th fail.
# Allocations of enas, of PCRE2 (its general context) and of libgit2
# (GIT_OPT_SET_ALLOCATOR) share the count.  For each way of running
# enas-check, N goes up from 1 until the run no longer notices: every
# run before that must exit 2 with "out of memory" as its last line,
# never crash (SAN=1 and valgrind also catch leaks and bad accesses).
. "$(dirname "$0")/lib.sh"

plan 12

records_repo "$TMP/r"
cd "$TMP/r" || exit 2
write_case records/cases/2024/NDR-2024-7K3QP.yaml
write_case records/cases/2024/NDR-2024-7K3QR.yaml NDR-2024-7K3QR
git add -A && git commit -q -m "cases: new"
base=$(git rev-parse HEAD)
sed -i 's/^age: 15/age: 19/' records/cases/2024/NDR-2024-7K3QR.yaml
git add -A
new=$(git write-tree | xargs git commit-tree -p HEAD -m "case NDR-2024-7K3QR: age")
git reset -q --hard
sed -i 's/^risk_level: high/risk_level: low/' records/cases/2024/NDR-2024-7K3QP.yaml
git add -A
printf '%s %s refs/heads/main\n' "$base" "$new" >"$TMP/push"

# The largest N tried, so that a run that never settles fails the test
# instead of looping for ever.  make check tries every 5th N (every 25th
# under valgrind); ENAS_ALLOC_STEP=1, as CI sets it, tries them all.
max=${ENAS_ALLOC_MAX:-3000}
step=${ENAS_ALLOC_STEP:-5}
[ -n "$ENAS_VALGRIND" ] && [ -z "${ENAS_ALLOC_STEP:-}" ] && step=25

# sweep MODE DESCRIPTION CMD...: MODE "" fails every allocation from
# the N-th, ":1" only the N-th.  Stdin comes from $TMP/in.
sweep() {
	mode=$1 what=$2
	shift 2
	: "${todo:=}"
	"$@" <"$TMP/in" >"$TMP/want.out" 2>"$TMP/want.err"
	want=$?
	n=1 bad=
	while [ $n -le $max ]; do
		ENAS_FAIL_ALLOC=$n$mode "$@" <"$TMP/in" >"$TMP/o" 2>"$TMP/e"
		got=$?
		if [ $got = $want ] && cmp -s "$TMP/o" "$TMP/want.out" &&
		    cmp -s "$TMP/e" "$TMP/want.err"; then
			[ -z "$mode" ] && break
		elif [ $got != 2 ] || ! tail -n 1 "$TMP/e" |
		    grep -q '^enas-check: .*out of memory$'; then
			bad="$bad
$n: exit $got: $(tail -n 1 "$TMP/e")"
			[ ${#bad} -gt 500 ] && break
		fi
		[ -n "$mode" ] && [ $n -ge "$last" ] && break
		n=$((n + step))
	done
	[ -z "$mode" ] && last=$n
	[ -z "$bad" ] && [ $n -le $max ]
	ok $? "$what: failing allocations$( [ -n "$mode" ] &&
	    echo ' one at a time' || echo ' from the N-th on'), 1 to $n: exit 2, out of memory$todo"
	[ -z "$bad" ] || printf '%s\n' "$bad" | sed '1d; s/^/#   /'
	# A TODO test's failure does not count.
	[ -z "$bad" ] || [ -z "$todo" ] || nfail=$((nfail - 1))
}

: >"$TMP/in"
for args in "--all" "-r HEAD" "--staged" \
    "records/cases/2024/NDR-2024-7K3QP.yaml records/partners/bayti.yaml"; do
	sweep "" "enas-check $args" enas-check $args
	sweep ":1" "enas-check $args" enas-check $args
done
cp "$TMP/push" "$TMP/in"
sweep "" "enas-check --pre-receive" enas-check --pre-receive
sweep ":1" "enas-check --pre-receive" enas-check --pre-receive

# libgit2's own allocations too.  libgit2 1.5 crashes on some of them
# (in its reference database when the refs are listed, and in its tree
# walk), and leaks, which is not ours to fix: the pre-receive sweep is a
# TODO that shows where.
export ENAS_FAIL_ALLOC_GIT=1
: >"$TMP/in"
sweep "" "enas-check --all, libgit2 too" enas-check --all
todo=" # TODO libgit2 1.5 crashes when its own allocations fail"
step=$((step * 4))
cp "$TMP/push" "$TMP/in"
sweep "" "enas-check --pre-receive, libgit2 too" enas-check --pre-receive

done_testing
