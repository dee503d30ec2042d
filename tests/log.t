#!/bin/sh
# enas log: the commits that changed a record, newest first, with the
# fields that changed, following the record into another year.
. "$(dirname "$0")/lib.sh"

plan 11

cd "$TMP" && enas init r >/dev/null && cd r || exit 2

at() {	# at DAY COMMAND...: run with both git dates on that day
	day=$1
	shift
	GIT_AUTHOR_DATE="2024-12-${day}T10:00:00Z" \
	    GIT_COMMITTER_DATE="2024-12-${day}T10:00:00Z" "$@"
}
editor() {	# editor NAME SED-SCRIPT
	printf '#!/bin/sh\nsed -i %s "$1"\n' "'$2'" >"$TMP/$1"
	chmod +x "$TMP/$1"
}
editor close 's/^status: open/status: closed/; $a closure:\n  date: 2024-11-02\n  reason: reunified'
editor refer '/^follow_ups:/i\  - date: 2024-05-01\n    to: iom\n    service: documentation\n    status: pending'
editor year 's/^registered: 2024-01-05/registered: 2023-12-30/'
editor tidy '/^age_estimated:/d; s/^concerns: .*/concerns: [street_child, child_labour]/'
editor other 's/^risk_level: high/risk_level: low/'
editor side 's/^care: residential_care/care: safehouse/'

f=records/cases/2024/NDR-2024-7K3QP.yaml
write_case $f
sed -i 's/^registered: 2024-03-14/registered: 2024-01-05/' $f
git add $f && at 02 git commit -q -m "case NDR-2024-7K3QP: new"
c1=$(git rev-parse HEAD)
write_case records/cases/2024/NDR-2024-AAAAA.yaml NDR-2024-AAAAA
git add records && at 03 git commit -q -m "case NDR-2024-AAAAA: new"
at 04 env EDITOR="$TMP/close" enas edit NDR-2024-7K3QP
c3=$(git rev-parse HEAD)
at 05 env EDITOR="$TMP/refer" enas edit NDR-2024-7K3QP
c4=$(git rev-parse HEAD)
at 06 env EDITOR="$TMP/other" enas edit NDR-2024-AAAAA
at 07 env EDITOR="$TMP/year" enas edit NDR-2024-7K3QP
c6=$(git rev-parse HEAD)
at 08 env EDITOR="$TMP/tidy" enas edit NDR-2024-7K3QP
c7=$(git rev-parse HEAD)
[ -f records/cases/2023/NDR-2024-7K3QP.yaml ] && [ "$(git rev-list --count HEAD)" = 8 ]
ok $? "a history of 7 commits, 5 of them change the record, one moves it"

run enas log NDR-2024-7K3QP
is "0:commit $c7
Author: Test Office <office@example.org>
Date:   2024-12-08 10:00:00 +0000

    concerns: [trafficked_smuggled, street_child] -> [street_child, child_labour]
    age_estimated: removed true

commit $c6
Author: Test Office <office@example.org>
Date:   2024-12-07 10:00:00 +0000

    moved from $f
    registered: 2024-01-05 -> 2023-12-30

commit $c4
Author: Test Office <office@example.org>
Date:   2024-12-05 10:00:00 +0000

    referrals[1]: added

commit $c3
Author: Test Office <office@example.org>
Date:   2024-12-04 10:00:00 +0000

    status: open -> closed
    closure.date: added 2024-11-02
    closure.reason: added reunified

commit $c1
Author: Test Office <office@example.org>
Date:   2024-12-02 10:00:00 +0000

    created
:" "$rc:$out
:$err" "exactly the 5 commits, newest first, with the field changes"

s() { git rev-parse --short=7 "$1"; }
run enas log --oneline NDR-2024-7K3QP
is "0:$(s $c7) 2024-12-08 <office@example.org> concerns: [trafficked_smuggled, street_child] -> [street_child, child_labour]; age_estimated: removed true
$(s $c6) 2024-12-07 <office@example.org> moved from $f; registered: 2024-01-05 -> 2023-12-30
$(s $c4) 2024-12-05 <office@example.org> referrals[1]: added
$(s $c3) 2024-12-04 <office@example.org> status: open -> closed; closure.date: added 2024-11-02; closure.reason: added reunified
$(s $c1) 2024-12-02 <office@example.org> created" "$rc:$out" "--oneline"

run enas log -p NDR-2024-7K3QP
printf '%s\n' "$out" | grep -q '^-status: open$' &&
    printf '%s\n' "$out" | grep -q '^+status: closed$' &&
    [ "$(printf '%s\n' "$out" | grep -c '^diff --git')" = 5 ]
ok $? "-p: git's patch under each commit"

run enas log NDR-2024-AAAAA
is "0:2" "$rc:$(printf '%s\n' "$out" | grep -c '^commit')" "another record: its own 2 commits"

# A branch changes the record and is merged: its commit shows, the
# merge that took its version does not.
git checkout -q -b side
at 09 env EDITOR="$TMP/side" enas edit NDR-2024-7K3QP
c8=$(git rev-parse HEAD)
git checkout -q main
at 10 env EDITOR="$TMP/close" enas edit NDR-2024-AAAAA
at 11 git merge -q --no-edit side
run enas log --oneline NDR-2024-7K3QP
is "0:$(s $c8) 2024-12-09 <office@example.org> care: residential_care -> safehouse" \
    "$rc:$(printf '%s\n' "$out" | head -1)" "a merged branch's change, not the merge"
is "6" "$(printf '%s\n' "$out" | wc -l)" "six commits now"

run enas log NDR-2024-ZZZZZ
is "1:enas-log: no case record has the id NDR-2024-ZZZZZ at HEAD" "$rc:$err" "no such record"
run enas log -r "$c1" --oneline NDR-2024-7K3QP
is "0:$(s $c1) 2024-12-02 <office@example.org> created" "$rc:$out" "-r: from an older commit"

# Deleted, then written again at the same place: both show, and the
# older life under them (git log -- PATH would show the same commits).
git show HEAD:records/cases/2023/NDR-2024-7K3QP.yaml >"$TMP/keep"
git rm -q records/cases/2023/NDR-2024-7K3QP.yaml
at 12 git commit -q --no-verify -m "case NDR-2024-7K3QP: removed"
c12=$(git rev-parse HEAD)
mkdir -p records/cases/2023
cp "$TMP/keep" records/cases/2023/NDR-2024-7K3QP.yaml
sed -i 's/^risk_level: high/risk_level: medium/' \
    records/cases/2023/NDR-2024-7K3QP.yaml
git add records && at 13 git commit -q -m "case NDR-2024-7K3QP: again"
c13=$(git rev-parse HEAD)
run enas log --oneline NDR-2024-7K3QP
is "0:$(s $c13) 2024-12-13 <office@example.org> created
$(s $c12) 2024-12-12 <office@example.org> deleted
$(s $c8) 2024-12-09 <office@example.org> care: residential_care -> safehouse" \
    "$rc:$(printf '%s\n' "$out" | head -3)" "deleted and written again: both, then the older life"
is "8" "$(printf '%s\n' "$out" | wc -l)" "eight commits"

done_testing
