#!/bin/sh
# enas sync against a bare remote on the same disk: what it sends and
# receives, rebase and merge, a conflict, a record that breaks the
# rules, a server that refuses, another office pushing first, a remote
# that cannot be reached, and each time the local branch keeps every
# commit it had.  (tests/server.t runs it over ssh against gitolite.)
. "$(dirname "$0")/lib.sh"

plan 49

shared_remote "$TMP/srv.git"
office_clone "$TMP/srv.git" "$TMP/ndr"
office_clone "$TMP/srv.git" "$TMP/cas"

# new_case DIR ID: commit a new valid case in the clone at DIR.
new_case() {
	write_case "$1/records/cases/2024/$2.yaml" "$2"
	git -C "$1" add records &&
	    git -C "$1" commit -q -m "case $2: new"
}

# has DIR REV MESSAGE: 0 when a commit of REV in DIR has that subject.
has() {
	git -C "$1" log --format=%s "$2" | grep -qxF "$3"
}

run enas-sync -h
is "0:usage: enas-sync [-C dir] [-q] [--merge | --rebase] [-n retries]" \
    "$rc:$out" "-h prints the usage"
run enas-sync -x
is 2 "$rc" "an unknown option is a usage error"
run enas-sync -C "$TMP/ndr" -n many
is "2:enas-sync: -n: 'many' is not a number of retries from 0 to 1000" \
    "$rc:$err" "-n takes a number"
run enas-sync -C "$TMP/ndr" extra
is 2 "$rc" "no operands"

# Set-up problems stop it before anything runs.
git clone -q "$TMP/srv.git" "$TMP/plain"
run enas-sync -C "$TMP/plain"
is "2:enas-sync: the enas merge driver is not set up in this clone: run enas init first" \
    "$rc:$err" "a clone without the merge driver is refused"
cd "$TMP/ndr" || exit 2
printf 'x\n' >>records/partners/bayti.yaml
run enas-sync
is "2:enas-sync: uncommitted changes (records/partners/bayti.yaml): commit them, or put them aside with git stash, before enas sync" \
    "$rc:$err" "uncommitted changes are refused"
git checkout -q records/partners/bayti.yaml
git config enas.sync sideways
run enas-sync
is "2:enas-sync: enas.sync is 'sideways': it is rebase or merge" "$rc:$err" \
    "enas.sync is checked"
git config --unset enas.sync

run enas-sync
is "0:synced with origin: 0 records received, 0 sent:" "$rc:$out:$err" \
    "nothing to do: said so"

# One office sends, the other receives.
new_case "$TMP/ndr" NDR-2024-AAAA1
run enas-sync
is "0:synced with origin: 0 records received, 1 sent:" "$rc:$out:$err" \
    "one case sent"
is "$(git rev-parse HEAD)" "$(git -C "$TMP/srv.git" rev-parse main)" \
    "the remote has it"
run enas-sync -C "$TMP/cas"
is "0:synced with origin: 1 record received, 0 sent" "$rc:$out" \
    "the other office receives it"

# Both add a case: a rebase, and the history stays a line.
new_case "$TMP/ndr" NDR-2024-AAAA2
new_case "$TMP/cas" CAS-2024-AAAA3
sed -i 's/^site: nador/site: casablanca/' \
    "$TMP/cas/records/cases/2024/CAS-2024-AAAA3.yaml"
git -C "$TMP/cas" commit -q -a --amend --no-edit
enas-sync -q
run enas-sync -C "$TMP/cas"
is "0:synced with origin: 1 record received, 1 sent:" "$rc:$out:$err" \
    "a rebase onto the other office's case"
is "" "$(git -C "$TMP/srv.git" rev-list --merges main)" "no merge commit"
has "$TMP/srv.git" main "case CAS-2024-AAAA3: new" &&
    has "$TMP/srv.git" main "case NDR-2024-AAAA2: new"
ok $? "both cases are on the remote"
run enas-check -C "$TMP/cas" -r HEAD
is 0 "$rc" "and pass the check"

# enas.sync merge: a merge commit instead.
enas-sync -q
new_case "$TMP/ndr" NDR-2024-AAAA4
new_case "$TMP/cas" CAS-2024-AAAA5
git -C "$TMP/ndr" push -q origin main
git -C "$TMP/cas" config enas.sync merge
run enas-sync -C "$TMP/cas"
is "0:synced with origin: 1 record received, 1 sent" "$rc:$out" \
    "enas.sync merge merges"
is "sync: merge the shared remote" \
    "$(git -C "$TMP/srv.git" log -1 --format=%s main)" \
    "with a merge commit that names no one"
run enas-sync -C "$TMP/ndr" --rebase
is "0:synced with origin: 1 record received, 0 sent" "$rc:$out" \
    "the other office receives the merge"
git -C "$TMP/cas" config --unset enas.sync

# A true conflict: both change one field differently.  The sync stops
# in the rebase, names the record, and the branch keeps its commit.
f=records/cases/2024/NDR-2024-AAAA1.yaml
sed -i 's/^risk_level: .*/risk_level: low/' "$f"
git commit -q -a -m 'case NDR-2024-AAAA1: risk_level'
enas-sync -q
sed -i 's/^risk_level: .*/risk_level: medium/' "$TMP/cas/$f"
git -C "$TMP/cas" commit -q -a -m 'case NDR-2024-AAAA1: risk_level'
mine=$(git -C "$TMP/cas" rev-parse main)
run enas-sync -C "$TMP/cas"
is 1 "$rc" "a conflict is exit 1"
printf '%s\n' "$err" | grep -q "^$f:[0-9]*:1: error: risk_level: conflict: changed differently on both sides"
ok $? "the merge driver names the field"
is "enas-sync: NDR-2024-AAAA1 changed on both sides and conflicts (above, the fields); agree on each value with the other office, keep it between the conflict markers, git add the file, git rebase --continue, then enas sync again (or git rebase --abort to undo the rebase)" \
    "$(printf '%s\n' "$err" | tail -n 1)" "the last line names the record and says how to resolve"
is "$mine" "$(git -C "$TMP/cas" rev-parse main)" \
    "the branch still has its commit"
run enas-sync -C "$TMP/cas"
is 2 "$rc" "a second sync during the rebase is refused"
git -C "$TMP/cas" rebase --abort
is "$mine" "$(git -C "$TMP/cas" rev-parse HEAD)" "git rebase --abort gives it back"

# The same conflict in merge mode.
run enas-sync -C "$TMP/cas" --merge
is "1:enas-sync: NDR-2024-AAAA1 changed on both sides and conflicts (above, the fields); agree on each value with the other office, keep it between the conflict markers, git add the file, git commit, then enas sync again (or git merge --abort to undo the merge)" \
    "$rc:$(printf '%s\n' "$err" | tail -n 1)" "a conflict in a merge: git commit"
is "$mine" "$(git -C "$TMP/cas" rev-parse main)" "the branch is unmoved"
git -C "$TMP/cas" merge --abort
git -C "$TMP/cas" reset -q --hard origin/main

# A commit that breaks the rules, made past the hook: checked before
# it is sent, and kept.
sed -i 's/^age: 15/age: 19/' records/cases/2024/NDR-2024-AAAA2.yaml
git commit -q -a --no-verify -m 'case NDR-2024-AAAA2: age'
mine=$(git rev-parse main)
before=$(git -C "$TMP/srv.git" rev-parse main)
run enas-sync
is 1 "$rc" "a record that breaks the rules is exit 1"
is "records/cases/2024/NDR-2024-AAAA2.yaml:7:6: error: age: 19 is above 17 (ENAS are minors: age is 0 to 17 at registration)
enas-sync: the records as synced break the rules (above): fix them, commit, then enas sync again" \
    "$err" "with the diagnostic, before anything is sent"
is "$mine:$before" "$(git rev-parse main):$(git -C "$TMP/srv.git" rev-parse main)" \
    "the branch keeps the commit; the remote is unchanged"
git reset -q --hard HEAD~1

# A server that refuses: its reasons are shown, exit 1.
git init -q --bare "$TMP/deny.git"
git push -q "$TMP/deny.git" main
cat >"$TMP/deny.git/hooks/pre-receive" <<'EOF'
#!/bin/sh
echo "refused by the test server" >&2
exit 1
EOF
chmod +x "$TMP/deny.git/hooks/pre-receive"
git remote add deny "$TMP/deny.git"
git fetch -q deny
git switch -q -c d -t deny/main
new_case . NDR-2024-AAAA6
mine=$(git rev-parse HEAD)
run enas-sync
is 1 "$rc" "a refused push is exit 1"
printf "%s\n" "$err" | grep -q "^remote: refused by the test server"
ok $? "the server's reasons are shown" || printf "%s\n" "$err" | sed "s|^|# |"
is "enas-sync: the server refused the push (its reasons above); your commits are safe on d: fix what it names, then enas sync again" \
    "$(printf '%s\n' "$err" | tail -n 1)" "and said plainly"
is "$mine" "$(git rev-parse d)" "the branch keeps its commit"

# other_pushes ID: another office's commit of case ID on the server's
# main as it is, kept as refs/heads/other for the test hook to land.
other_pushes() {
	git switch -q -c other deny/main
	new_case . "$1"
	git push -q "$TMP/deny.git" other 2>/dev/null
	git switch -q d
	git branch -q -D other
}

# Another office pushes first, once: a retry with a back-off.  The
# test server's hook moves main to the other office's commit, then
# refuses, as if that push had landed a moment before.
cat >"$TMP/deny.git/hooks/pre-receive" <<EOF
#!/bin/sh
case \$(cat) in *refs/heads/other) exit 0 ;; esac
[ -e "$TMP/raced" ] && exit 0
: >"$TMP/raced"
env -u GIT_QUARANTINE_PATH -u GIT_OBJECT_DIRECTORY -u GIT_ALTERNATE_OBJECT_DIRECTORIES git update-ref refs/heads/main refs/heads/other
echo "another office pushed first" >&2
exit 1
EOF
other_pushes NDR-2024-AAAA7
run enas-sync
is "0:synced with deny: 1 record received, 1 sent (after 1 retry: another office pushed first):" \
    "$rc:$out:$err" "another office first: one retry, then synced"
has "$TMP/deny.git" main "case NDR-2024-AAAA6: new" &&
    has "$TMP/deny.git" main "case NDR-2024-AAAA7: new"
ok $? "both commits are on the server"

# Always first: the retries run out (-n 0: none), exit 2, nothing lost.
cat >"$TMP/deny.git/hooks/pre-receive" <<EOF
#!/bin/sh
case \$(cat) in *refs/heads/other) exit 0 ;; esac
other=\$(git rev-parse refs/heads/other)
env -u GIT_QUARANTINE_PATH -u GIT_OBJECT_DIRECTORY -u GIT_ALTERNATE_OBJECT_DIRECTORIES git update-ref refs/heads/main \$other
env -u GIT_QUARANTINE_PATH -u GIT_OBJECT_DIRECTORY -u GIT_ALTERNATE_OBJECT_DIRECTORIES git commit-tree -p \$other -m again \
    \$other^{tree} >"$TMP/next"
env -u GIT_QUARANTINE_PATH -u GIT_OBJECT_DIRECTORY -u GIT_ALTERNATE_OBJECT_DIRECTORIES git update-ref refs/heads/other \$(cat "$TMP/next")
exit 1
EOF
other_pushes NDR-2024-AAAA8
new_case . NDR-2024-AAAA9
run enas-sync -n 0
is "2:To $TMP/deny.git
 ! [remote rejected] HEAD -> main (pre-receive hook declined)
error: failed to push some refs to '$TMP/deny.git'
enas-sync: other offices pushed first 0 times; gave up: your commits are safe on d, run enas sync again" \
    "$rc:$err" "the retries are bounded, and what the server said to the last push is shown"
has . d "case NDR-2024-AAAA9: new"
ok $? "the branch still has its commit"
git config enas.syncRetries 2
run enas-sync
is "2:enas-sync: other offices pushed first 2 times; gave up: your commits are safe on d, run enas sync again" \
    "$rc:$(printf '%s\n' "$err" | tail -n 1)" "enas.syncRetries sets the bound"
has . d "case NDR-2024-AAAA9: new"
ok $? "the branch still has its commit"
git config --unset enas.syncRetries
git switch -q main
git branch -q -D d

# A remote that cannot be reached: exit 2, nothing moves.
git -C "$TMP/cas" remote set-url origin "$TMP/gone.git"
new_case "$TMP/cas" CAS-2024-AAAA9
mine=$(git -C "$TMP/cas" rev-parse main)
run enas-sync -C "$TMP/cas"
is "2:enas-sync: cannot fetch refs/heads/main from origin; your commits are safe on main" \
    "$rc:$(printf '%s\n' "$err" | tail -n 1)" "an unreachable remote is exit 2"
is "$mine" "$(git -C "$TMP/cas" rev-parse main)" "the branch is unmoved"

# git push says it pushed, and the remote lacks the commit: not synced.
# What the remote holds after the push decides, not git's exit status.
office_clone "$TMP/srv.git" "$TMP/liar"
mkdir -p "$TMP/bin"
realgit=$(command -v git)
cat >"$TMP/bin/git" <<EOF
#!/bin/sh
[ "\$1" = push ] && exit 0
exec "$realgit" "\$@"
EOF
chmod +x "$TMP/bin/git"
new_case "$TMP/liar" NDR-2024-AAAB1
run env PATH="$TMP/bin:$PATH" enas-sync -C "$TMP/liar"
is "2:enas-sync: git push said the server took the push, but origin's refs/heads/main does not have it; your commits are safe on main: enas sync again" \
    "$rc:$(printf '%s\n' "$err" | tail -n 1)" "a push that did not land is not a sync"
run enas-sync -C "$TMP/liar"
is "0:synced with origin: 0 records received, 1 sent" "$rc:$out" \
    "the next sync sends it"
has "$TMP/srv.git" main "case NDR-2024-AAAB1: new"
ok $? "and the server has it"

# A new, empty server: the first sync sends everything.
git init -q --bare "$TMP/empty.git"
git -C "$TMP/cas" remote set-url origin "$TMP/empty.git"
run enas-sync -C "$TMP/cas"
n=$(git -C "$TMP/cas" ls-files 'records/cases/*' 'records/partners/*' | wc -l)
is "0:synced with origin: 0 records received, $n sent" "$rc:$out" \
    "to an empty server: everything is sent"
is "$mine" "$(git -C "$TMP/empty.git" rev-parse main)" "the server has it"

# Detached HEAD, a bare repository.
git -C "$TMP/cas" switch -q --detach
run enas-sync -C "$TMP/cas"
is "2:enas-sync: HEAD is not on a branch: git switch main first" "$rc:$err" \
    "a detached HEAD is refused"
run enas-sync -C "$TMP/srv.git"
is "2:enas-sync: a bare repository: enas sync runs in an office's clone" \
    "$rc:$err" "a bare repository is refused"
git -C "$TMP/cas" switch -q main

# enas sync through the front command.
run enas -C "$TMP/cas" sync -q
is "0::" "$rc:$out:$err" "enas sync -q: nothing printed"

done_testing
