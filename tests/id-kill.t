#!/bin/sh
# enas id edit killed with SIGKILL at many moments (before, during and
# after the editor) leaves no clear text on disk: not in the temporary
# directories, not in the repository's objects, not in its working tree.
# The guard process removes the clear copy when enas-id dies; when the
# guard is killed too (the whole process group), the next run sweeps it.
. "$(dirname "$0")/lib.sh"

if ! command -v age-keygen >/dev/null; then
	echo "1..0 # skip: no age-keygen (apt-get install age)"
	exit 0
fi
moments="0 0.01 0.03 0.06 0.1 0.15 0.2 0.3 0.4 0.5 0.7 0.9"
[ -n "$ENAS_VALGRIND" ] && moments="0.3 1.5"
set -- $moments
plan $(($# + 5))

cd "$TMP" || exit 2
mkdir tmp
export TMPDIR=$TMP/tmp
age-keygen -o k 2>/dev/null
enas-id init ids >/dev/null
cd ids || exit 2
mkdir -p ids/NDR
age-keygen -y ../k >ids/NDR/.recipients
enas-id -i ../k rekey NDR 2>/dev/null
marker="Killtest$$child"
cat >../ed.sh <<ED
#!/bin/sh
sleep 0.2
printf 'id: NDR-2024-7K3QP\nnames: [$marker]\ndob: 2012-01-01\n' >"\$1"
ps -o pgid= -p \$\$ | tr -d ' ' >"$TMP/pgid"
touch "$TMP/ready"
sleep 0.3
ED
chmod +x ../ed.sh
export EDITOR=../ed.sh

# clear_left: 0 when the marker is nowhere: temporary directories,
# objects (reachable or not), working tree.
clear_left() {
	grep -rlas "$marker" /dev/shm/enas-id.* "$TMPDIR" 2>/dev/null && return 1
	git cat-file --batch-all-objects --batch 2>/dev/null | grep -aq "$marker" &&
	    return 1
	grep -rlas --exclude-dir=.git "$marker" . && return 1
	return 0
}

# guard_gone: wait up to 5 s for the guard to remove the copy.
guard_gone() {
	i=0
	while [ $i -lt 50 ]; do
		grep -rlas "$marker" /dev/shm/enas-id.* "$TMPDIR" >/dev/null 2>&1 ||
		    return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

for t; do
	enas-id -i ../k edit -o NDR NDR-2024-7K3QP >/dev/null 2>&1 &
	pid=$!
	sleep "$t"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	guard_gone
	clear_left
	ok $? "killed after ${t}s: no clear text left"
	# When the edit finished before the kill, start again from nothing.
	git reset -q --hard HEAD~0
done

# wait_ready: until the editor has written the clear text (10 s at most).
wait_ready() {
	i=0
	while [ ! -e "$TMP/ready" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# Exactly while the editor holds the clear text.
rm -f "$TMP/ready"
enas-id -i ../k edit -o NDR NDR-2024-7K3QP >/dev/null 2>&1 &
pid=$!
wait_ready
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
guard_gone
clear_left
ok $? "killed while the editor holds the clear text: none left"

# The whole process group, the guard with it: the next run sweeps.
rm -f "$TMP/ready"
setsid sh -c 'enas-id -i ../k edit -o NDR NDR-2024-7K3QP >/dev/null 2>&1' &
wait_ready
pg=$(cat "$TMP/pgid")
# Only a group of its own: never the test's.
[ -n "$pg" ] && [ "$pg" != "$(ps -o pgid= -p $$ | tr -d ' ')" ] &&
    kill -9 -"$pg" 2>/dev/null
wait 2>/dev/null
left=$(grep -rlas "$marker" /dev/shm/enas-id.* "$TMPDIR" 2>/dev/null | wc -l)
ok 0 "# the process group killed: $left clear copy left, on tmpfs, for the next run"
printf '#!/bin/sh\nexit 1\n' >../fail.sh
EDITOR=../fail.sh enas-id -i ../k edit -o NDR NDR-2024-7ZZZZ >/dev/null 2>&1
clear_left
ok $? "the next run swept it"

# A finished edit: the identity committed, encrypted; nothing in clear.
EDITOR=../ed.sh enas-id -i ../k edit -o NDR NDR-2024-7K3QP 2>/dev/null
is "$marker" "$(enas-id -i ../k show NDR-2024-7K3QP 2>/dev/null | sed -n 's/^names: \[\(.*\)\]$/\1/p')" \
    "an edit left alone commits"
clear_left
ok $? "and leaves no clear text"

done_testing
