#!/bin/sh
# I/O that fails: enas edit and enas new -n under strace, with the N-th
# write, fsync, rename, renameat, renameat2 or openat of each process
# failing with EIO (and ENOSPC for write and fsync).  N runs over the
# last calls of the tool (where the record, the objects and the index
# are written) and a few earlier ones.  Whatever fails, the tool exits
# non-zero or succeeds for real; the record is the old or the new
# version and passes the checks; no temporary file is left behind; the
# repository is sound (git fsck).
. "$(dirname "$0")/lib.sh"

if ! command -v strace >/dev/null 2>&1; then
	echo "1..0 # SKIP strace is not installed"
	exit 0
fi
if [ -n "$ENAS_VALGRIND" ]; then
	echo "1..0 # SKIP not under valgrind: the faults would hit valgrind"
	exit 0
fi
if ! strace -o /dev/null true >/dev/null 2>&1; then
	echo "1..0 # SKIP strace cannot trace here"
	exit 0
fi

FAULTS='write:EIO write:ENOSPC fsync:EIO fsync:ENOSPC rename:EIO
renameat:EIO renameat2:EIO openat:EIO'
plan 17

cd "$TMP" && enas init r >/dev/null && cd r || exit 2
git config gc.auto 0
f=records/cases/2024/NDR-2024-7K3QP.yaml
write_case "$f"
git add "$f" && git commit -q -m "case NDR-2024-7K3QP: new"

# An editor that makes a valid change: risk_level high <-> medium.
toggle='s/^risk_level: high/risk_level: medium/;t;s/^risk_level: medium/risk_level: high/'
printf '#!/bin/sh\nsed -i "%s" "$1"\n' "$toggle" >"$TMP/toggle"
chmod +x "$TMP/toggle"
set -- registered=2024-05-02 partner=bayti sex=male age=16 nationality=GN \
    protection_status=unaccompanied risk_level=high status=open \
    consent.reporting=true
NEWARGS="$*"

# tool edit|new: runs it once as the test does, under strace if
# STRACE holds its options.
tool() {
	case $1 in
	edit)	env EDITOR="$TMP/toggle" $STRACE enas edit NDR-2024-7K3QP ;;
	new)	$STRACE enas new -n case site=oujda $NEWARGS ;;
	esac >"$TMP/out" 2>"$TMP/err" </dev/null
}

# calls TOOL SYSCALL: the N to try for SYSCALL, from a clean run of TOOL
# (the calls of its own process): all of them when few, else the last 8
# and 4 spread over the rest.
calls() {
	STRACE="strace -o $TMP/trace -e trace=$2" tool "$1"
	n=$(grep -c "^$2(" "$TMP/trace")
	git reset -q --hard && git clean -fdq records
	if [ "$n" -le 12 ]; then
		seq 1 "$n"
	else
		seq 1 $(( (n - 8) / 4 + 1 )) $((n - 8)) | head -n 4
		seq $((n - 7)) "$n"
	fi
}

# leftovers: temporary files of enas and git's locks, one a line, but
# the copy enas edit says it keeps (in $kept).
leftovers() {
	k=${kept%/*}
	{
		ls -d .git/enas-tmp-* 2>/dev/null
		find records -name '.*.tmp-*'
		find .git -name '*.lock' ! -name enas.lock
		find .git/objects -name 'tmp_*'
	} | grep -v -F -x "${k#"$PWD"/}" | sort
}

failed=0
for tool in edit new; do
	for fault in $FAULTS; do
		sys=${fault%:*} errno=${fault#*:}
		bad=
		for n in $(calls "$tool" "$sys"); do
			old=$(cat "$f") head=$(git rev-parse HEAD)
			new=$(printf '%s\n' "$old" | sed "$toggle")
			STRACE="strace -f -o /dev/null -e inject=$sys:error=$errno:when=$n" \
			    tool "$tool"
			rc=$?
			[ "$rc" -eq 0 ] || failed=$((failed + 1))
			why=
			now=$(cat "$f")
			kept=$(sed -n 's/^enas-edit: your version is kept in //p' \
			    "$TMP/err")
			if [ "$rc" -gt 2 ]; then
				why="exit $rc"
			elif [ "$now" != "$old" ] && [ "$now" != "$new" ]; then
				why="the record is neither the old nor the new one"
			elif [ "$tool" = edit ] && [ "$rc" -eq 0 ] &&
			    [ "$(git show HEAD:"$f")" != "$new" ]; then
				why="exit 0 but the new record is not committed"
			elif [ "$tool" = new ] && [ "$rc" -eq 0 ] &&
			    ! git cat-file -e "HEAD:records/cases/2024/$(cat "$TMP/out").yaml"; then
				why="exit 0 but the new record is not committed"
			elif [ "$rc" -ne 0 ] && [ ! -s "$TMP/err" ]; then
				why="exit $rc without a message"
			elif [ -n "$kept" ] && [ "$(cat "$kept")" != "$new" ]; then
				why="the copy it keeps is not the edited record"
			elif [ -n "$(leftovers)" ]; then
				why="left behind: $(leftovers | tr '\n' ' ')"
			elif ! enas-check --all >"$TMP/check" 2>&1; then
				why="enas-check fails: $(head -n 1 "$TMP/check")"
			elif ! git fsck --no-progress >"$TMP/fsck" 2>&1; then
				why="git fsck: $(head -n 1 "$TMP/fsck")"
			fi
			if [ -n "$why" ]; then
				bad="$bad
# $tool, $sys call $n fails with $errno: $why"
			fi
			# Back to a clean state for the next run (a failed
			# commit may leave the record written, uncommitted).
			git reset -q --hard && git clean -fdq records
			rm -rf .git/enas-tmp-* .git/index.lock
			find records -name '.*.tmp-*' -exec rm -f {} +
		done
		[ -z "$bad" ]
		ok $? "enas $tool when $sys fails with $errno"
		[ -n "$bad" ] && printf '%s\n' "$bad" | sed 1d
	done
done
[ "$failed" -gt 0 ]
ok $? "the faults made the tools fail ($failed runs)"

done_testing
