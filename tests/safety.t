#!/bin/sh
# Hostile ids, symbolic links and a held lock: refused with exit 2,
# and nothing written anywhere.
. "$(dirname "$0")/lib.sh"

plan 16

cd "$TMP" && enas init r >/dev/null && cd r || exit 2
f=records/cases/2024/NDR-2024-7K3QP.yaml
write_case $f
git add $f && git commit -q -m "case NDR-2024-7K3QP: new"
head=$(git rev-parse HEAD)

# An editor that leaves a mark if it is ever run.
printf '#!/bin/sh\ntouch "%s/edited"\n' "$TMP" >"$TMP/mark"
chmod +x "$TMP/mark"
export EDITOR="$TMP/mark"

# untouched: HEAD, the working tree, the index, the editor not run, and
# nothing new in $TMP but what the test made
snap() { (cd "$TMP" && find . -path ./r/.git -prune -o -print | sort); }
snap >"$TMP/before"
untouched() {
	snap >"$TMP/after"
	[ "$(git rev-parse HEAD)" = "$head" ] && [ -z "$(git status --porcelain)" ] &&
	    [ ! -e "$TMP/edited" ] &&
	    [ -z "$(comm -13 "$TMP/before" "$TMP/after" | grep -v -e '^./after$' -e '^./out$' -e '^./err$' -e '^./got$' -e '^./want$')" ]
}

n=0
for id in ../x /etc/passwd -x "NDR-2024-7K3Q$(printf '\303\211')" "" . .. \
    "a/b" "NDR-2024-7K3QP/../../x" "$(printf 'NDR-2024-7K3QP\nx')" \
    "$(printf '%0100d' 0)"; do
	for tool in show edit log; do
		run enas $tool -- "$id"
		if [ "$rc" != 2 ] || ! printf '%s\n' "$err" | grep -q "is not a record id"; then
			echo "# enas $tool -- '$id': $rc: $err"
			n=$((n + 1))
		fi
	done
done
is 0 "$n" "hostile ids: show, edit and log refuse every one with exit 2"
untouched
ok $? "and nothing was written, nor the editor run"

run enas new -n case id=../x site=nador
is "2:enas-new: '../x' is not a case id ((CAS|MRK|NDR|OUJ)-20[0-9]{2}-[0-9A-HJKMNP-TV-Z]{5})" \
    "$rc:$err" "new: a hostile id= is refused"
run enas new -n partner id=../x name=X type=association
is "2:enas-new: '../x' is not a partner id ([a-z][a-z0-9_]{1,31})" "$rc:$err" \
    "new: even for a kind whose ids are given"
run enas-check NDR-2024-7K3QP/../../../etc/passwd
[ "$rc" != 0 ]
ok $? "enas-check takes no hostile id for a record either"
untouched
ok $? "nothing written"

# A record that is a symbolic link: refused.
cp $f "$TMP/outside.yaml"
sed -i 's/^id: .*/id: NDR-2024-SYMNK/' "$TMP/outside.yaml"
cp "$TMP/outside.yaml" "$TMP/outside.orig"
ln -s "$TMP/outside.yaml" records/cases/2024/NDR-2024-SYMNK.yaml
snap >"$TMP/before"
run enas show NDR-2024-SYMNK
is "2:enas-show: records/cases/2024/NDR-2024-SYMNK.yaml: is a symbolic link; records are regular files" \
    "$rc:$err" "show refuses a symlinked record"
run enas edit NDR-2024-SYMNK
is "2:enas-edit: records/cases/2024/NDR-2024-SYMNK.yaml: is a symbolic link; records are regular files" \
    "$rc:$err" "edit refuses it"
cmp -s "$TMP/outside.yaml" "$TMP/outside.orig" && [ ! -e "$TMP/edited" ]
ok $? "the link's target is untouched, the editor not run"
git add records/cases/2024/NDR-2024-SYMNK.yaml
git commit -q --no-verify -m "a link"
head=$(git rev-parse HEAD)
run enas show -r HEAD NDR-2024-SYMNK
is "2:enas-show: records/cases/2024/NDR-2024-SYMNK.yaml: is a symbolic link; records are regular files" \
    "$rc:$err" "show -r refuses a committed link"
run enas log NDR-2024-SYMNK
is "2:enas-log: records/cases/2024/NDR-2024-SYMNK.yaml: is a symbolic link; records are regular files" \
    "$rc:$err" "log refuses it"

# A year directory that is a link: nothing is written through it.
mkdir "$TMP/elsewhere"
ln -s "$TMP/elsewhere" records/cases/2025
git add records/cases/2025 && git commit -q --no-verify -m "a linked directory"
head=$(git rev-parse HEAD)
run enas new -n case site=nador registered=2025-01-10 partner=bayti sex=male \
    age=16 nationality=GN protection_status=unaccompanied risk_level=high \
    status=open consent.reporting=true
[ "$rc" = 2 ] && printf '%s\n' "$err" | grep -q "records/cases/2025: is a symbolic link" &&
    [ -z "$(ls "$TMP/elsewhere")" ] && [ "$(git rev-parse HEAD)" = "$head" ]
ok $? "new refuses to write through a linked directory"
run enas show NDR-2025-AAAAA
is "2:enas-show: records/cases/2025: is a symbolic link; records live in plain directories" \
    "$rc:$err" "show refuses to look through it"

# The lock held too long: a clear message, nothing written.
if command -v flock >/dev/null; then
	flock .git/enas.lock sleep 3 &
	sleep 0.5
	run env ENAS_LOCK_TIMEOUT=1 enas new -n partner id=ammi name=AMMI type=association
	is "2:enas-new: $TMP/r/.git/enas.lock: locked by another enas tool for 1 s; retry in a moment" \
	    "$rc:$err" "a held lock: locked, retry"
	[ ! -e records/partners/ammi.yaml ] && [ "$(git rev-parse HEAD)" = "$head" ]
	ok $? "nothing written"
	wait
	run enas new -n partner id=ammi name=AMMI type=association
	is "0:ammi" "$rc:$out" "once released, it works"
else
	ok 0 "# skip: no flock(1)"
	ok 0 "# skip: no flock(1)"
	ok 0 "# skip: no flock(1)"
fi

done_testing
