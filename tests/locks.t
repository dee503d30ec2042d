#!/bin/sh
# enas edit and enas new with a lock that git left behind: nothing is
# written, the message names the lock and how to remove it, and a later
# "git commit" never reverts a change (issue 9 item 9).
. "$(dirname "$0")/lib.sh"

plan 10

cd "$TMP" && enas init r >/dev/null && cd r || exit 2
git config enas.office NDR
f=records/cases/2024/NDR-2024-7K3QP.yaml
write_case "$f"
git add "$f" && git commit -q -m "case NDR-2024-7K3QP: new"
gitdir=$(cd .git && pwd)
printf '#!/bin/sh\nsed -i "s/^age: 15/age: 16/" "$1"\n' >"$TMP/older"
chmod +x "$TMP/older"
advice="another git command is running, or one stopped and left it behind; if no git command is running, remove it"

# A stale index.lock: refused before anything is written.
: >.git/index.lock
head=$(git rev-parse HEAD)
run env EDITOR="$TMP/older" enas edit NDR-2024-7K3QP
kept=$(printf '%s\n' "$err" | sed -n 's/^enas-edit: your version is kept in //p')
is "2:enas-edit: $gitdir/index.lock exists: $advice (rm $gitdir/index.lock)
enas-edit: the record is unchanged" "$rc:$(printf '%s\n' "$err" | sed '$d')" \
    "index.lock: the message names the lock and says what was written"
is "$head:age: 15:" "$(git rev-parse HEAD):$(grep '^age:' "$f"):$(git status --porcelain --untracked-files=no)" \
    "index.lock: nothing written, nothing committed"
[ -n "$kept" ] && grep -q '^age: 16' "$kept"
ok $? "index.lock: the edited version is kept"
rm -rf "$(dirname "$kept")"
rm .git/index.lock
# the next git commit commits what it is given, and reverts nothing
echo x >other && git add other && git commit -q --no-verify -m other
is "age: 15" "$(git show HEAD:$f | grep '^age:')" "a later git commit reverts nothing"
git rm -q other && git commit -q --no-verify -m "no other"

# A stale lock on the branch: the same.
: >.git/refs/heads/main.lock
head=$(git rev-parse HEAD)
run env EDITOR="$TMP/older" enas edit NDR-2024-7K3QP
is "2:enas-edit: $gitdir/refs/heads/main.lock exists: $advice (rm $gitdir/refs/heads/main.lock)" \
    "$rc:$(printf '%s\n' "$err" | sed -n 1p)" "a branch lock: named"
is "$head:age: 15:" "$(git rev-parse HEAD):$(grep '^age:' "$f"):$(git status --porcelain --untracked-files=no)" \
    "a branch lock: nothing written, nothing committed"
rm -rf .git/enas-tmp-*
rm .git/refs/heads/main.lock
run env EDITOR="$TMP/older" enas edit NDR-2024-7K3QP
is "0::" "$rc:$err:$(git status --porcelain)" "the lock removed: the edit goes through"

# enas new: the same refusal, nothing written.
: >.git/index.lock
head=$(git rev-parse HEAD)
run enas new -n case registered=2024-05-02 site=nador partner=bayti sex=male \
    age=15 nationality=GN protection_status=unaccompanied risk_level=high \
    status=open consent.reporting=true
is "2:enas-new: $gitdir/index.lock exists: $advice (rm $gitdir/index.lock)
enas-new: nothing written" "$rc:$err" "enas new: index.lock named, nothing written"
is "$head:" "$(git rev-parse HEAD):$(git status --porcelain --untracked-files=no)" \
    "enas new: nothing committed"
rm .git/index.lock
run enas new -n case registered=2024-05-02 site=nador partner=bayti sex=male \
    age=15 nationality=GN protection_status=unaccompanied risk_level=high \
    status=open consent.reporting=true
is "0::" "$rc:$err:$(git status --porcelain)" "enas new: the lock removed, it goes through"

done_testing
