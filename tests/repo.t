#!/bin/sh
# Repositories that enas cannot trust: a clear error and exit 2.
. "$(dirname "$0")/lib.sh"

plan 7

mkdir "$TMP/empty" && git -C "$TMP/empty" init -q
cd "$TMP/empty" || exit 2
run enas-check -r HEAD
is "2:enas-check: 'HEAD' names no commit in this repository" "$rc:$err" \
    "an empty repository: -r HEAD"
run enas-check --all
is "2:records/rules: error: no rules in records/rules: this is not a records repository (run 'enas init')" \
    "$rc:$err" "a repository without rules"

cd "$TMP" || exit 2
run enas-check --all
is "2:enas-check: not in a git repository (or any parent); run 'enas init' or cd into one" \
    "$rc:$err" "outside any repository"

records_repo "$TMP/r"
cd "$TMP/r" || exit 2
write_case records/cases/2024/NDR-2024-7K3QP.yaml
git add -A && git commit -q -m "case NDR-2024-7K3QP: new"
sed -i 's/^risk_level: high/risk_level: low/' records/cases/2024/NDR-2024-7K3QP.yaml
git commit -q -a -m "case NDR-2024-7K3QP: risk_level"

git clone -q --depth 1 "file://$TMP/r" "$TMP/shallow" 2>/dev/null
cd "$TMP/shallow" || exit 2
run enas-check --all
is "2:enas-check: shallow clone: its history is incomplete, which enas cannot work with; run 'git fetch --unshallow'" \
    "$rc:$err" "a shallow clone"

cd "$TMP/r" || exit 2
run enas-check -r no-such-branch
is "2:enas-check: 'no-such-branch' names no commit in this repository" "$rc:$err" \
    "a revision that names nothing"

# A corrupt loose object: the blob of the case, overwritten.
git clone -q --no-local "$TMP/r" "$TMP/corrupt"
cd "$TMP/corrupt" || exit 2
git repack -q -a -d && git prune-packed
blob=$(git rev-parse HEAD:records/cases/2024/NDR-2024-7K3QP.yaml)
git cat-file blob "$blob" >/dev/null
# unpack just this object loose, then break it
pack=$(ls .git/objects/pack/*.pack)
mkdir -p "$TMP/keep" && mv .git/objects/pack/* "$TMP/keep/"
git unpack-objects -q <"$TMP/keep/${pack##*/}"
obj=.git/objects/$(printf '%s' "$blob" | cut -c1-2)/$(printf '%s' "$blob" | cut -c3-)
chmod u+w "$obj"
printf 'garbage' >"$obj"
run enas-check -r HEAD
[ "$rc" = 2 ] && case "$err" in *"$blob"*) true ;; *) false ;; esac
ok $? "a corrupt object: exit 2, naming the object"
is "" "$out" "and no partial output"

done_testing
