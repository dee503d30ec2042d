#!/bin/sh
# Merges on the shared remote: the pre-receive hook checks merge commits
# as it checks any other, so a merge made without the driver, or
# committed with --no-verify, cannot land an invalid record, a duplicate
# id or a ref to a removed record; the remote's refs stay as they were.
. "$(dirname "$0")/lib.sh"

plan 28

shared_remote "$TMP/srv.git"
office_clone "$TMP/srv.git" "$TMP/ndr"
office_clone "$TMP/srv.git" "$TMP/cas"
f=records/cases/2024/NDR-2024-7K3QP.yaml
cd "$TMP/ndr" || exit 2
write_case "$f"
git add "$f" && git commit -q -m 'case NDR-2024-7K3QP: new' && git push -q origin main
git -C "$TMP/cas" pull -q

# remote_main: the remote's main.
remote_main() {
	git -C "$TMP/srv.git" rev-parse main
}

# A text merge that is clean and invalid: both add separation_cause, at
# different places.
sed -i 's/^protection_status: .*/&\nseparation_cause: migration/' "$f"
git commit -q -a -m 'case NDR-2024-7K3QP: separation_cause'
git push -q origin main
cd "$TMP/cas" || exit 2
printf 'separation_cause: poverty\n' >>"$f"
git commit -q -a -m 'case NDR-2024-7K3QP: separation_cause'
before=$(remote_main)
git fetch -q

run git merge -q --no-edit origin/main
is "1" "$rc" "with the driver, both sides adding one field differently is a conflict"
printf '%s\n' "$err" | grep -q "^$f:[0-9]*:1: error: separation_cause: conflict: changed differently on both sides"
ok $? "on that field"
git merge --abort

printf 'records/** merge=text\n' >.git/info/attributes
run git merge -q --no-edit origin/main
is "1:$f:30:1: error: duplicate key 'separation_cause' (first at line 11)" \
    "$rc:$(printf '%s\n' "$err" | grep -v '^Not committing')" \
    "with git's text merge the merge is clean but invalid: the pre-merge-commit hook refuses it"
git commit -q --no-verify -m 'merge origin/main'
rm .git/info/attributes
merge=$(git rev-parse --short=7 HEAD)
run git push -q origin main
printf '%s\n' "$err" | grep -q "^remote: $merge:$f:30:1: error: duplicate key 'separation_cause' (first at line 11)"
ok $? "a merge committed with --no-verify is refused by the server, naming the merge"
is 1 "$rc" "the push fails"
is "$before" "$(remote_main)" "the remote's refs are unchanged"

# A conflict resolved into an invalid record and committed --no-verify.
git reset -q --hard HEAD~1
git merge -q --no-edit origin/main >/dev/null 2>&1
grep -v -e '^[<=>]\{7\}' -e '^separation_cause: poverty' "$f" >"$TMP/fixed"
sed -i 's/^age: 15/age: 19/' "$TMP/fixed"
cp "$TMP/fixed" "$f"
git add "$f"
run git commit -q --no-edit
is "1:$f:7:6: error: age: 19 is above 17 (ENAS are minors: age is 0 to 17 at registration)" \
    "$rc:$err" "the resolution is checked by pre-commit"
git commit -q --no-verify -m 'merge origin/main'
merge=$(git rev-parse --short=7 HEAD)
run git push -q origin main
printf '%s\n' "$err" | grep -q "^remote: $merge:$f:7:6: error: age: 19 is above 17"
ok $? "a bad resolution committed with --no-verify is refused by the server"
is "$before" "$(remote_main)" "the remote's refs are unchanged"
git reset -q --hard HEAD~1
git merge -q --no-edit origin/main >/dev/null 2>&1
grep -v -e '^[<=>]\{7\}' -e '^separation_cause: poverty' "$f" >"$TMP/fixed"
cp "$TMP/fixed" "$f"
git add "$f"
git commit -q --no-edit
run git push -q origin main
is "0:" "$rc:$err" "a merge resolved by hand and committed through the hook lands"

# The same id created in two offices, in two places (two registration
# years): each clone is valid, the merge is not.
g=records/cases/2024/NDR-2024-DDD01.yaml
h=records/cases/2025/NDR-2024-DDD01.yaml
cd "$TMP/ndr" && git pull -q
write_case "$g" NDR-2024-DDD01
git add "$g" && git commit -q -m 'case NDR-2024-DDD01: new' && git push -q origin main
cd "$TMP/cas" || exit 2
write_case "$h" NDR-2024-DDD01
sed -i 's/^registered: 2024-03-14/registered: 2025-01-02/; s/date: 2024-0[34]-[0-9]*/date: 2025-01-03/' "$h"
git add "$h"
run git commit -q -m 'case NDR-2024-DDD01: new'
is "0:" "$rc:$err" "a clone that does not know the other id commits"
before=$(remote_main)
git fetch -q
run git merge -q --no-edit origin/main
is "1:$g:1:5: error: id: duplicate id: NDR-2024-DDD01 is also the id of $h; renumber one of them (a new id, its file renamed to match)" \
    "$rc:$(printf '%s\n' "$err" | grep -v '^Not committing')" \
    "the merge is refused by pre-merge-commit, naming both paths"
git commit -q --no-verify -m 'merge origin/main'
merge=$(git rev-parse --short=7 HEAD)
run git push -q origin main
printf '%s\n' "$err" | grep -q "^remote: $merge:$g:1:5: error: id: duplicate id: NDR-2024-DDD01 is also the id of $h; renumber one of them (a new id, its file renamed to match)"
ok $? "the server refuses the merge with --no-verify, naming both paths and how to renumber"
is "$before" "$(remote_main)" "the remote's refs are unchanged"

git reset -q --hard HEAD~1
run git pull -q --rebase
is "0" "$rc" "a rebase instead (which runs no hook) succeeds locally"
rebased=$(git rev-parse --short=7 HEAD)
run git push -q origin main
printf '%s\n' "$err" | grep -q "^remote: $rebased:$h:1:5: error: id: duplicate id: NDR-2024-DDD01 is also the id of $g"
ok $? "and the server refuses the rebased commit"
is "$before" "$(remote_main)" "the remote's refs are unchanged"
git rm -q "$h"
git commit -q -m 'case NDR-2024-DDD01: renumbered away'
git reset -q --hard origin/main

# The same id in the same place: git's add/add, merged by enas-merge.
cd "$TMP/ndr" || exit 2
k=records/cases/2024/NDR-2024-DDD02.yaml
write_case "$k" NDR-2024-DDD02
git add "$k" && git commit -q -m 'case NDR-2024-DDD02: new' && git push -q origin main
cd "$TMP/cas" || exit 2
write_case "$k" NDR-2024-DDD02
sed -i 's/^sex: male/sex: female/; s/^age: 15/age: 11/' "$k"
git add "$k" && git commit -q -m 'case NDR-2024-DDD02: new'
run git pull -q --no-rebase
printf '%s\n' "$err" | grep -q "^$k:1:1: error: id: conflict: both sides created a record with this id (two records share one id: keep one here, and give the other a new id, in a new file named by it)"
ok $? "one id and one path in two clones: the merge driver says two records share it"
is "2" "$(grep -c '^id: NDR-2024-DDD02$' "$k")" "and keeps both records whole between the markers"
git merge --abort
git reset -q --hard origin/main

# A partner removed on one side, referred to on the other: each side is
# valid, the merge breaks the ref.
cd "$TMP/ndr" || exit 2
git rm -q records/partners/pmp.yaml
git commit -q -m 'partner pmp: removed'
git push -q origin main
cd "$TMP/cas" || exit 2
sed -i 's/^follow_ups:/  - date: 2024-05-02\n    to: pmp\n    service: legal\n    status: pending\nfollow_ups:/' "$f"
git commit -q -a -m 'case NDR-2024-7K3QP: referrals'
before=$(remote_main)
git fetch -q
run git merge -q --no-edit origin/main
line=$(grep -n '^    to: pmp' "$f" | cut -d: -f1)
is "1:$f:$line:9: error: referrals[].to: no partner record has the id 'pmp' (id of the receiving organisation, a file in records/partners)" \
    "$rc:$(printf '%s\n' "$err" | grep -v '^Not committing')" \
    "a merge that breaks a ref is refused by pre-merge-commit"
git commit -q --no-verify -m 'merge origin/main'
merge=$(git rev-parse --short=7 HEAD)
run git push -q origin main
printf '%s\n' "$err" | grep -q "^remote: $merge:$f:$line:9: error: referrals\[\].to: no partner record has the id 'pmp'"
ok $? "and by the server, when committed with --no-verify"
is "$before" "$(remote_main)" "the remote's refs are unchanged"

# The other order: a referral lands first, the removal merges in.
git reset -q --hard origin/main
sed -i 's/^follow_ups:/  - date: 2024-05-03\n    to: omdh\n    service: legal\n    status: pending\nfollow_ups:/' "$f"
git commit -q -a -m 'case NDR-2024-7K3QP: referrals'
run git push -q origin main
is "0:" "$rc:$err" "a referral to omdh lands"
line=$(grep -n '^    to: omdh' "$f" | cut -d: -f1)
cd "$TMP/ndr" || exit 2
git rm -q records/partners/omdh.yaml
git commit -q -m 'partner omdh: removed'
before=$(remote_main)
git fetch -q
git merge -q --no-verify --no-edit origin/main
merge=$(git rev-parse --short=7 HEAD)
run git push -q origin main
printf '%s\n' "$err" | grep -q "^remote: $merge:$f:$line:9: error: referrals\[\].to: no partner record has the id 'omdh'"
ok $? "a removal merged into a tree that refers to it is refused too"
is "$before" "$(remote_main)" "the remote's refs are unchanged"
git reset -q --hard origin/main

run git push -q -f origin origin/main~1:main
printf '%s\n' "$err" | grep -q "^remote: refs/heads/main: error: ref: not a fast-forward: the push would drop commits that the server has"
ok $? "a forced push is refused, by the hook before receive.denyNonFastForwards"
run git push -q origin --delete main
[ "$rc" = 1 ] && [ "$before" = "$(remote_main)" ]
ok $? "so is deleting main (receive.denyDeletes)"

# Everything the remote holds passes.
git -C "$TMP/srv.git" rev-list --all >"$TMP/commits"
bad=0
while read -r c; do
	enas-check -C "$TMP/cas" -r "$c" 2>/dev/null || bad=$((bad + 1))
done <"$TMP/commits"
is "0" "$bad" "every commit on the remote passes enas-check ($(wc -l <"$TMP/commits") commits)"

done_testing
