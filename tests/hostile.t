#!/bin/sh
# hostile.t: the hostile-input catalogue.  Each tests/hostile/*.case is
# one hostile input (a file, a rules change, a git state, an odd name, a
# hook's environment) and the one diagnostic it must give.  A case runs
# in a fresh copy of a records repository that has one valid case
# committed; it sets the scene, says what it expects with expect, then
# runs the tool with hostile.  The test checks the exit status, stderr
# and stdout exactly (so a change of wording is a conscious one), that
# nothing crashed or was reported by a sanitizer or valgrind (their
# exit statuses differ), and that nothing in the repository changed.
#
# ENAS_HOSTILE_SHOW=1 prints what each case got instead.
. "$(dirname "$0")/lib.sh"

F=records/cases/2024/NDR-2024-7K3QP.yaml

# put PATH: standard input becomes the file PATH.
put() {
	mkdir -p "$(dirname "$1")"
	cat >"$1"
}

# valid_case [FILE [ID]]: the valid synthetic case, written again.
valid_case() {
	write_case "${1:-$F}" "${2:-NDR-2024-7K3QP}"
}

# edit_case SED-SCRIPT: the valid case with the script applied.
edit_case() {
	valid_case
	sed -i "$1" "$F"
}

# edit_rules KIND SED-SCRIPT
edit_rules() {
	sed -i "$2" "records/rules/$1.yaml"
}

# expect STATUS STDERR [STDOUT]
expect() {
	want_rc=$1
	want_err=$2
	want_out=${3:-}
}

# A listing of every file with its size and time, to see a write.
listing() {
	find . -path ./.git/index -prune -o -printf '%p %y %s %T@\n' | sort
}

# hostile CMD...: run it, in the scene the case made.
hostile() {
	listing >"$TMP/before"
	run "$@"
	listing >"$TMP/after"
	if [ -n "${ENAS_HOSTILE_SHOW:-}" ]; then
		printf '# %s\n# rc %s\n# err:\n%s\n# out:\n%s\n' "$name" "$rc" \
		    "$err" "$out" >&2
	fi
	if ! cmp -s "$TMP/before" "$TMP/after"; then
		err="$err
(and the repository changed: $(diff "$TMP/before" "$TMP/after" |
		    head -n 4 | tr '\n' ' '))"
	fi
	is "$want_rc:$want_err:$want_out" "$rc:$err:$out" "$name: $what"
}

set -- "$ENAS_SRC"/tests/hostile/*.case
plan $#

records_repo "$TMP/template"
valid_case "$TMP/template/$F"
git -C "$TMP/template" add -A
git -C "$TMP/template" commit -q -m "case NDR-2024-7K3QP: new"

for c; do
	name=${c##*/}
	name=${name%.case}
	what=$(sed -n '1s/^# //p' "$c")
	rm -rf "$TMP/w"
	cp -a "$TMP/template" "$TMP/w"
	cd "$TMP/w" || exit 2
	want_rc=x want_err= want_out=
	before_ntest=$ntest
	. "$c"
	[ $ntest -gt $before_ntest ] || ok 1 "$name: the case ran no check"
	cd "$TMP" || exit 2
done

done_testing
