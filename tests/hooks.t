#!/bin/sh
# The hooks, installed as git installs them: pre-commit through
# core.hooksPath in a clone, pre-receive in a real bare repository.
. "$(dirname "$0")/lib.sh"

plan 17

records_repo "$TMP/r"
cd "$TMP/r" || exit 2
f=records/cases/2024/NDR-2024-7K3QP.yaml
write_case "$f"
git add "$f"
run git commit -q -m "case NDR-2024-7K3QP: new"
is "0:" "$rc:$err" "a valid record commits through the hook"

sed -i 's/^age: 15/age: 19/' "$f"
git add "$f"
run git commit -q -m "case NDR-2024-7K3QP: age"
is "1:$f:7:6: error: age: 19 is above 17 (ENAS are minors: age is 0 to 17 at registration)" \
    "$rc:$err" "an invalid staged record is refused with its diagnostic"

sed -i 's/^age: 19/age: 16/' "$f"
run git commit -q -m "case NDR-2024-7K3QP: age"
is "1:$f:7:6: error: age: 19 is above 17 (ENAS are minors: age is 0 to 17 at registration)" \
    "$rc:$err" "fixing only the working copy does not help: the index is checked"

run git commit -q -a -m "case NDR-2024-7K3QP: age"
is "0:" "$rc:$err" "git commit -a checks the index it is about to commit"

sed -i 's/^age: 16/age: 18/' "$f"
run git commit -q -a -m "case NDR-2024-7K3QP: age"
is "1:$f:7:6: error: age: 18 is above 17 (ENAS are minors: age is 0 to 17 at registration)" \
    "$rc:$err" "git commit -a refuses an invalid working copy"
git checkout -q "$f"

run git commit -q --allow-empty -m "empty"
is "0:" "$rc:$err" "a commit without record changes passes"

# Odd file names: nothing breaks, nothing runs.
d=records/cases/2024
for name in 'a b.yaml' '-rf.yaml' "$(printf 'new\nline.yaml')" \
    "$(printf 'bad\377byte.yaml')" '$(touch pwned).yaml' '`touch pwned2`.yaml'; do
	cp "$f" "$d/$name"
done
git add -A records
run git commit -q -m "odd names"
[ "$rc" = 1 ] && [ ! -e pwned ] && [ ! -e "$d/pwned" ] && [ ! -e pwned2 ]
ok $? "odd file names are refused as records, and execute nothing"
n=$(printf '%s\n' "$err" | grep -c "^$d/.*: error: ")
is 6 "$n" "each odd name gets its own diagnostic"
git rm -q --cached -- "$d/a b.yaml" "$d/-rf.yaml" "$d/$(printf 'new\nline.yaml')" \
    "$d/$(printf 'bad\377byte.yaml')" "$d/\$(touch pwned).yaml" "$d/\`touch pwned2\`.yaml"
rm -f -- "$d/a b.yaml" "$d/-rf.yaml" "$d/$(printf 'new\nline.yaml')" \
    "$d/$(printf 'bad\377byte.yaml')" "$d/\$(touch pwned).yaml" "$d/\`touch pwned2\`.yaml"
printf 'x\n' >"$(printf -- '-odd name\001.txt')"
git add -A
run git commit -q -m "an odd name outside records/"
is '1:-odd name\001.txt: error: the name holds a control character (U+0001)' \
    "$rc:$err" "an odd name outside records/ is refused by the layout, quoted"
git rm -q --cached -- "$(printf -- '-odd name\001.txt')"
rm -f -- "$(printf -- '-odd name\001.txt')"

# The server: a bare repository with the pre-receive hook.
git init -q --bare "$TMP/server.git"
git -C "$TMP/server.git" config enas.admin admin
cp "$ENAS_SRC/hooks/pre-receive" "$TMP/server.git/hooks/pre-receive"
git remote add origin "$TMP/server.git"
REMOTE_USER=admin run git push -q origin main
is "0:" "$rc:$err" "a valid push lands (the admin's: it brings the rules)"
before=$(git -C "$TMP/server.git" rev-parse main)

sed -i 's/^risk_level: high/risk_level: medium/' "$f"
git commit -q -a -m "case NDR-2024-7K3QP: risk_level"
sed -i 's/^age: [0-9]*/age: 21/' "$f"
git commit -q -a --no-verify -m "case NDR-2024-7K3QP: age"
bad=$(git rev-parse --short=7 HEAD)
sed -i 's/^age: 21/age: 14/' "$f"
git commit -q -a -m "case NDR-2024-7K3QP: age"
run git push -q origin main
printf '%s\n' "$err" | grep -q "^remote: $bad:$f:7:6: error: age: 21 is above 17"
ok $? "a push whose middle commit is invalid is refused, naming that commit"
is 1 "$rc" "and git push fails"
is "$before" "$(git -C "$TMP/server.git" rev-parse main)" "the server's refs are unchanged"

git reset -q --hard HEAD~3
git checkout -q -b office/nador
sed -i 's/^sex: male/sex: other/' "$f"
git commit -q -a --no-verify -m "case NDR-2024-7K3QP: sex"
run git push -q origin office/nador
printf '%s\n' "$err" | grep -q "error: sex: 'other' is not one of: male, female, unknown"
ok $? "a push of a new branch is validated"
run git -C "$TMP/server.git" rev-parse --verify -q office/nador
is 1 "$rc" "and the branch is not created"

git checkout -q main
git branch -q -D office/nador
run git push -q origin --delete main
[ "$rc" != 0 ] && printf '%s\n' "$err" |
    grep -q "^remote: refs/heads/main: error: ref: deleting a ref is refused"
ok $? "a ref deletion is refused"

# An office whose clock ran ahead: the first commit dated 2030, the
# history after it 2023 and 2024.  The server's walk of the pushed
# commits marks what it already has by commit date and stopped before
# it reached that first commit, so a merge pushed by an office was
# checked as if it brought the rules again, and refused.  Asked of the
# graph, only the push's own commits are checked.
at() { d=$1; shift; GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d "$@"; }
cd "$TMP" && at 2030-01-01T00:00:00Z enas init skew >/dev/null &&
    cd skew || exit 2
git init -q --bare "$TMP/skew.git"
git -C "$TMP/skew.git" config enas.admin admin
git -C "$TMP/skew.git" config enas.office.nador NDR
cp "$ENAS_SRC/hooks/pre-receive" "$TMP/skew.git/hooks/pre-receive"
git remote add origin "$TMP/skew.git"
REMOTE_USER=admin git push -q origin main
root=$(git rev-parse HEAD)
for i in 1 2 3 4 5 6 7 8; do
	id=NDR-2023-A000$i
	write_case records/cases/2023/$id.yaml $id
	sed -i 's/^registered: 2024-03-14/registered: 2023-03-14/' \
	    records/cases/2023/$id.yaml
	git add records && at "2023-06-0${i}T00:00:00Z" git commit -q -m "case $id: new"
done
REMOTE_USER=nador git push -q origin main
git checkout -q -b side "$root"
write_case records/cases/2024/NDR-2024-B0001.yaml NDR-2024-B0001
git add records &&
    at 2024-06-01T00:00:00Z git commit -q -m "case NDR-2024-B0001: new"
git checkout -q main
at 2024-06-02T00:00:00Z git merge -q --no-edit side
REMOTE_USER=nador run git push -q origin main
is "0:" "$rc:$err" "a clock that ran ahead: the server checks only the commits a push brings"

done_testing
