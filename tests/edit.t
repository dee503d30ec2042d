#!/bin/sh
# enas edit: visudo for a record.  The editors are scripts that change
# the file the way a person would.
. "$(dirname "$0")/lib.sh"

plan 22

cd "$TMP" && enas init r >/dev/null && cd r || exit 2
f=records/cases/2024/NDR-2024-7K3QP.yaml
write_case "$f"
git add "$f" && git commit -q -m "case NDR-2024-7K3QP: new"

editor() {	# editor NAME SED-SCRIPT: an editor script
	printf '#!/bin/sh\nsed -i %s "$1"\n' "'$2'" >"$TMP/$1"
	chmod +x "$TMP/$1"
}
editor close 's/^status: open/status: closed/; $a closure:\n  date: 2024-11-02\n  reason: reunified'
editor age19 's/^age: 15/age: 19/'
editor older 's/^age: 15/age: 16/'
editor year 's/^registered: 2024-03-14/registered: 2023-12-30/; s/  - date: 2024-03-15/  - date: 2024-01-15/; s/  - date: 2024-04-02/  - date: 2024-02-02/'
editor rename 's/^id: .*/id: NDR-2024-AAAAA/'
editor spaces 's/^sex: male/sex:   male/'

# An invalid age: the diagnostic, exit 1, nothing changed.
cp "$f" "$TMP/before"
head=$(git rev-parse HEAD)
run env EDITOR="$TMP/age19" enas edit NDR-2024-7K3QP </dev/null
is "1:$f:7:6: error: age: 19 is above 17 (ENAS are minors: age is 0 to 17 at registration)
enas-edit: the record is unchanged" "$rc:$err" \
    "an invalid edit: FILE:LINE:COL, and exit 1 when stdin is not a terminal"
cmp -s "$f" "$TMP/before" && [ "$(git rev-parse HEAD)" = "$head" ] &&
    [ -z "$(git status --porcelain)" ]
ok $? "the record and the history are untouched"
[ -z "$(ls -d .git/enas-tmp-* 2>/dev/null)" ]
ok $? "the temporary copy is gone"

# A valid edit: written and committed with the field names only.
run env EDITOR="$TMP/close" enas edit NDR-2024-7K3QP
is "0::" "$rc:$out:$err" "a valid edit: exit 0, silent"
is "case NDR-2024-7K3QP: status, closure.date, closure.reason" \
    "$(git log -1 --format=%B)" "the message names the id and the changed fields, no value"
is "M	$f" "$(git show --name-status --format= HEAD)" "the commit holds the record"
is "status: closed" "$(grep '^status' "$f")" "the record is written back"
is "" "$(git status --porcelain)" "index and working tree agree"
run enas-check --all
is "0:" "$rc:$err" "and it passes the checks"

head=$(git rev-parse HEAD)
run env EDITOR=true enas edit NDR-2024-7K3QP
is "0::$head" "$rc:$err:$(git rev-parse HEAD)" "an unchanged file: no commit"
run env EDITOR="$TMP/spaces" enas edit NDR-2024-7K3QP
is "0:case NDR-2024-7K3QP: layout" "$rc:$(git log -1 --format=%s)" \
    "a change of layout alone"

# Someone else's uncommitted change: refused, unless -f.
sed -i 's/^risk_level: high/risk_level: low/' "$f"
head=$(git rev-parse HEAD)
run env EDITOR="$TMP/older" enas edit NDR-2024-7K3QP
is "2:enas-edit: $f has changes that are not committed (git diff HEAD -- $f); commit or undo them first, or give -f to edit and commit them too" \
    "$rc:$err" "uncommitted changes: refused"
is "$head:risk_level: low" "$(git rev-parse HEAD):$(grep '^risk_level' "$f")" \
    "and nothing touched"
run env EDITOR="$TMP/older" enas edit -f NDR-2024-7K3QP
is "0:case NDR-2024-7K3QP: age, risk_level" "$rc:$(git log -1 --format=%s)" \
    "-f: edited, and the commit names both changes"

# A new year of registration moves the record to its year's directory.
run env EDITOR="$TMP/year" enas edit NDR-2024-7K3QP
g=records/cases/2023/NDR-2024-7K3QP.yaml
[ "$rc" = 0 ] && [ -f "$g" ] && [ ! -e "$f" ]
ok $? "a record registered in another year moves to that year's directory"
is "case NDR-2024-7K3QP: registered, referrals[0].date, follow_ups[0].date|R100	$f	$g" \
    "$(git log -1 --format=%s)|$(git show -M --name-status --format= HEAD | sed 's/^R[0-9]*/R100/')" \
    "committed as a rename"
run enas-check --all
is "0:" "$rc:$err" "the moved record passes"

run env EDITOR="$TMP/rename" enas edit NDR-2024-7K3QP </dev/null
[ "$rc" = 1 ] && printf '%s\n' "$err" | grep -q "error: id: a record keeps its id"
ok $? "changing the id is refused"

run enas edit NDR-2024-ZZZZZ
is "1:enas-edit: no case record has the id NDR-2024-ZZZZZ" "$rc:$err" "no such record"

# With enas.autoCommit false: written, not committed.
git config enas.autoCommit false
head=$(git rev-parse HEAD)
sed -i 's/^age: 16/age: 15/; s/^risk_level: low/risk_level: medium/' "$g"
run env EDITOR="$TMP/older" enas edit NDR-2024-7K3QP
is "0:$head: M $g" "$rc:$(git rev-parse HEAD):$(git status --porcelain)" \
    "autoCommit off: written, not committed, uncommitted changes allowed"

# An editor that fails leaves everything as it was.
git config enas.autoCommit true
git checkout -q -- "$g"
run env EDITOR=false enas edit NDR-2024-7K3QP
is "2:enas-edit: the editor (false) exited with status 1; the record is unchanged" \
    "$rc:$err" "an editor that fails"
is "" "$(git status --porcelain)" "nothing changed"

done_testing
