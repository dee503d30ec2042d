#!/bin/sh
# lib/remote on real clones: how far behind what it last fetched, and
# when it last fetched (what enas-new warns about before a new id).
. "$(dirname "$0")/lib.sh"

plan 9

state() {
	run "$ENAS_BUILD/tests/remote" state "$1"
	printf '%s' "$out" | tr '\n' ' ' | sed 's/ $//'
}

# Real dates: the last fetch is dated by the reflog and FETCH_HEAD.
unset GIT_COMMITTER_DATE GIT_AUTHOR_DATE
shared_remote "$TMP/srv.git"
office_clone "$TMP/srv.git" "$TMP/ndr"
office_clone "$TMP/srv.git" "$TMP/cas"
is "upstream origin/main ahead 0 behind 0 fetched recently" \
    "$(state "$TMP/ndr")" "a fresh clone is up to date"

cd "$TMP/cas" || exit 2
write_case records/cases/2024/CAS-2024-AAAA1.yaml CAS-2024-AAAA1
git add records && git commit -q -m 'case CAS-2024-AAAA1: new'
write_case records/cases/2024/CAS-2024-AAAA2.yaml CAS-2024-AAAA2
git add records && git commit -q -m 'case CAS-2024-AAAA2: new'
git push -q origin main

cd "$TMP/ndr" || exit 2
is "upstream origin/main ahead 0 behind 0 fetched recently" \
    "$(state .)" "without a fetch the clone cannot know"
git fetch -q
git fetch -q
run enas new -n case site=nador partner=asticude sex=male age=14 \
    nationality=XX protection_status=unaccompanied risk_level=low \
    status=open consent.reporting=true registered=2024-05-02
is "0:enas-new: warning: this clone is 2 commits behind origin/main; a new id is checked only against the records this clone knows: run 'git pull' first" "$rc:$err" \
    "enas new in a clone behind its remote warns"
git reset -q --hard HEAD~1
is "upstream origin/main ahead 0 behind 2 fetched recently" \
    "$(state .)" "after a fetch: 2 commits behind"
write_case records/cases/2024/NDR-2024-AAAA3.yaml NDR-2024-AAAA3
git add records && git commit -q -m 'case NDR-2024-AAAA3: new'
is "upstream origin/main ahead 1 behind 2 fetched recently" \
    "$(state .)" "and 1 ahead with a commit of its own"

# A clone made, and last fetched, long ago.
old=2024-06-01T12:00:00Z
GIT_COMMITTER_DATE=$old office_clone "$TMP/srv.git" "$TMP/old"
is "upstream origin/main ahead 0 behind 0 fetched long ago" \
    "$(state "$TMP/old")" "a clone made long ago and never fetched since"
(cd "$TMP/cas" && write_case records/cases/2024/CAS-2024-AAAA4.yaml CAS-2024-AAAA4 &&
    git add records && git commit -q -m 'case CAS-2024-AAAA4: new' &&
    git push -q origin main)
GIT_COMMITTER_DATE=$old git -C "$TMP/old" fetch -q
touch -d 2024-06-01 "$TMP/old/.git/FETCH_HEAD"
is "upstream origin/main ahead 0 behind 1 fetched long ago" \
    "$(state "$TMP/old")" "and a fetch long ago"

git checkout -q --detach
is "upstream - ahead 0 behind 0 fetched never" "$(state .)" \
    "a detached HEAD has no upstream"
git checkout -q -b local
is "upstream - ahead 0 behind 0 fetched never" "$(state .)" \
    "nor has a branch that tracks nothing"

done_testing
