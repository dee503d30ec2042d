#!/bin/sh
# kill -9: enas edit killed at 200 moments (fixed seed) between its
# start and its end.  Whenever it dies, the record on disk and the one
# in HEAD are the old or the new version and pass the checks, and git
# fsck finds nothing wrong.  enas's own lock is flock(2), which the
# kernel releases; git's own locks (index.lock, refs/heads/main.lock),
# which a write killed half-way leaves as git does, a person would
# remove, and so does this test.
. "$(dirname "$0")/lib.sh"

RUNS=${ENAS_KILL_RUNS:-$(sampled 200 60 20)}
# Under valgrind each edit takes a second: fewer kills, the same checks.
[ -n "$ENAS_VALGRIND" ] && RUNS=${ENAS_KILL_RUNS:-20}
plan 5

cd "$TMP" && enas init r >/dev/null && cd r || exit 2
git config gc.auto 0
f=records/cases/2024/NDR-2024-7K3QP.yaml
write_case "$f"
git add "$f" && git commit -q -m "case NDR-2024-7K3QP: new"

toggle='s/^risk_level: high/risk_level: medium/;t;s/^risk_level: medium/risk_level: high/'
printf '#!/bin/sh\nsed -i "%s" "$1"\n' "$toggle" >"$TMP/toggle"
chmod +x "$TMP/toggle"
export EDITOR="$TMP/toggle"

# How long one edit takes, to spread the kills over it.
start=$(date +%s%N)
enas-edit NDR-2024-7K3QP </dev/null >/dev/null 2>&1
ms=$(( ($(date +%s%N) - start) / 1000000 + 5 ))
git reset -q --hard

bad= bad_head= bad_check= bad_fsck=
nold=0 nnew=0 ncommitted=0 nlocks=0
for d in $(awk -v n="$RUNS" -v ms="$ms" 'BEGIN { srand(20240601);
    for (i = 0; i < n; i++) printf "%.4f\n", rand() * ms / 1000 }'); do
	old=$(cat "$f") head=$(git rev-parse HEAD)
	new=$(printf '%s\n' "$old" | sed "$toggle")
	enas-edit NDR-2024-7K3QP </dev/null >/dev/null 2>&1 &
	pid=$!
	sleep "$d"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	now=$(cat "$f")
	if [ "$now" = "$old" ]; then
		nold=$((nold + 1))
	elif [ "$now" = "$new" ]; then
		nnew=$((nnew + 1))
	else
		bad="$bad $d"
	fi
	if [ "$(git rev-parse HEAD)" != "$head" ]; then
		ncommitted=$((ncommitted + 1))
		[ "$(git show HEAD:"$f")" = "$new" ] || bad_head="$bad_head $d"
	fi
	enas-check "$f" >/dev/null 2>&1 || bad_check="$bad_check $d"
	git fsck --no-progress >/dev/null 2>&1 || bad_fsck="$bad_fsck $d"
	# What a person would do after a crash: remove git's stale locks,
	# go back to what is committed.
	for l in $(find .git -name '*.lock' ! -name enas.lock); do
		nlocks=$((nlocks + 1))
		rm -f "$l"
	done
	git reset -q --hard
done
echo "# $RUNS kills within ${ms} ms: $nold old, $nnew new" \
    "($ncommitted committed), $nlocks stale git locks"

is "" "$bad" "the record is always the old or the new version"
is "" "$bad_head" "a commit made holds the new version"
is "" "$bad_check" "the record always passes enas-check"
is "" "$bad_fsck" "git fsck is always clean"
[ "$nold" -gt 0 ] && [ "$ncommitted" -gt 0 ]
ok $? "the kills came both before the write and after the commit"

done_testing
