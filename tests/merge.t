#!/bin/sh
# enas-merge on its own: each kind of change on each side, the exact
# result (as a diff against the base) and the exact messages.
. "$(dirname "$0")/lib.sh"

plan 42

records_repo "$TMP/r"
cd "$TMP/r" || exit 2
f=records/cases/2024/NDR-2024-7K3QP.yaml
write_case "$TMP/base"

# fresh: ours and theirs start as the base.
fresh() {
	cp "$TMP/base" "$TMP/ours"
	cp "$TMP/base" "$TMP/theirs"
}

# merged: enas-merge -p, with the result as a diff against the base in
# $got, the messages in $err, the exit status in $rc.
merged() {
	run enas-merge -p "$TMP/base" "$TMP/ours" "$TMP/theirs" "$f"
	printf '%s\n' "$out" >"$TMP/result"
	got=$(diff "$TMP/base" "$TMP/result")
}

fresh
sed -i 's/^status: open/status: closed/' "$TMP/ours"
printf 'closure:\n  date: 2024-11-02\n  reason: reunified\n' >>"$TMP/ours"
sed -i 's/^follow_ups:/  - date: 2024-05-02\n    to: iom\n    service: legal\n    status: pending\nfollow_ups:/' \
    "$TMP/theirs"
merged
is "0:" "$rc:$err" "different fields: a clean merge"
is "13c13
< status: open
---
> status: closed
25a26,29
>   - date: 2024-05-02
>     to: iom
>     service: legal
>     status: pending
28a33,35
> closure:
>   date: 2024-11-02
>   reason: reunified" "$got" "ours closes the case, theirs adds a referral: both survive"

fresh
printf '  - date: 2024-05-10\n    type: phone\n' >>"$TMP/ours"
printf '  - date: 2024-05-03\n    type: home_visit\n' >>"$TMP/theirs"
merged
is "0:28a29,32
>   - date: 2024-05-03
>     type: home_visit
>   - date: 2024-05-10
>     type: phone" "$rc:$got" "both append to follow_ups: both items, in date order"

fresh
sed -i 's/^risk_level: high/risk_level: low/' "$TMP/ours"
sed -i 's/^risk_level: high/risk_level: medium/' "$TMP/theirs"
merged
is "1" "$rc" "the same field changed to different values: exit 1"
is "12c12,16
< risk_level: high
---
> <<<<<<< ours
> risk_level: low
> =======
> risk_level: medium
> >>>>>>> theirs" "$got" "conflict markers around that field alone"
is "$f:12:1: error: risk_level: conflict: changed differently on both sides (keep one version between the conflict markers, then git add the file)" \
    "$err" "the message names the field, at the marker's line, and no value"

fresh
sed -i 's/^risk_level: high/risk_level: low/; s/^  tracing: false/  tracing: true/' "$TMP/ours"
sed -i 's/^risk_level: high/risk_level: low/; s/^  tracing: false/  tracing: false\n  # asked again in May/; s/^sex: male/sex: unknown/' "$TMP/theirs"
merged
is "0:6c6
< sex: male
---
> sex: unknown
12c12
< risk_level: high
---
> risk_level: low
19c19
<   tracing: false
---
>   tracing: true" "$rc:$got" "the same change on both sides is no conflict"

fresh
sed -i 's/^  tracing: false/  tracing: true/; s/^  services: true/  services: false/' "$TMP/ours"
sed -i 's/^  tracing: false/  tracing: maybe/; s/^  reporting: true/  reporting: false/' "$TMP/theirs"
merged
is "1:consent:
  given_by: child
  services: false
  share_with_orgs: true
  reporting: false
<<<<<<< ours
  tracing: true
=======
  tracing: maybe
>>>>>>> theirs
care: residential_care" "$rc:$(sed -n 14,24p "$TMP/result")" \
    "a nested field: the mapping merges, markers around one member"
is "$f:19:1: error: consent.tracing: conflict: changed differently on both sides (keep one version between the conflict markers, then git add the file)" \
    "$err" "the nested field is named by its path"

fresh
sed -i '/^care:/d' "$TMP/ours"
sed -i 's/^care: .*/care: kafala/' "$TMP/theirs"
merged
is "1:20c20,23
< care: residential_care
---
> <<<<<<< ours
> =======
> care: kafala
> >>>>>>> theirs" "$rc:$got" "removed on one side, changed on the other: a conflict"
is "$f:20:1: error: care: conflict: removed on one side, changed on the other (keep one version between the conflict markers, then git add the file)" \
    "$err" "saying so"

fresh
sed -i '/^source:/d' "$TMP/ours"
sed -i 's/^age: 15/age: 16/' "$TMP/theirs"
merged
is "0:5d4
< source: outreach
7c6
< age: 15
---
> age: 16" "$rc:$got" "a field removed on one side and left alone on the other goes"

fresh
sed -i 's/^concerns: .*/concerns: [trafficked_smuggled, street_child, child_labour]/' "$TMP/ours"
sed -i 's/^concerns: .*/concerns: [trafficked_smuggled, forced_begging]/' "$TMP/theirs"
merged
is "0:11c11
< concerns: [trafficked_smuggled, street_child]
---
> concerns: [trafficked_smuggled, child_labour, forced_begging]" "$rc:$got" \
    "a list of values merges as a set"

fresh
sed -i 's/^    status: accepted/    status: completed/' "$TMP/ours"
sed -i 's/^    service: safehouse/    service: shelter/' "$TMP/theirs"
merged
is "0:24,25c24,25
<     service: safehouse
<     status: accepted
---
>     service: shelter
>     status: completed" "$rc:$got" "one referral changed on both sides, in different fields: merged"

fresh
sed -i 's/^    status: accepted/    status: completed/' "$TMP/ours"
sed -i 's/^    status: accepted/    status: rejected/' "$TMP/theirs"
merged
is "1:$f:25:1: error: referrals[].status: conflict: changed differently on both sides (keep one version between the conflict markers, then git add the file)" \
    "$rc:$err" "one referral's status changed on both sides: a conflict on referrals[].status"

fresh
sed -i 's/^    status: accepted/    status: completed/' "$TMP/ours"
sed -i '/^referrals:/,/^follow_ups:/{/^follow_ups:/!d}' "$TMP/theirs"
printf '  - date: 2024-04-20\n    type: case_review\n' >>"$TMP/theirs"
merged
is "1:referrals:
<<<<<<< ours
  - date: 2024-03-15
    to: bayti
    service: safehouse
    status: completed
=======
>>>>>>> theirs
follow_ups:
  - date: 2024-04-02
    type: in_care
  - date: 2024-04-20
    type: case_review" "$rc:$(sed -n 21,33p "$TMP/result")" \
    "a referral changed on one side, removed on the other; theirs' follow-up kept"
is "$f:22:1: error: referrals[]: conflict: a list item changed on one side was removed on the other (keep one version between the conflict markers, then git add the file)" \
    "$err" "a referral changed on one side and removed on the other: a conflict on the item"

# Ours' text is kept: comments, spacing, and its indentation, into
# which theirs' lines are moved.
fresh
sed -i 's/^risk_level: high/risk_level:  high   # reviewed weekly/; s/^care:/# where the child sleeps\ncare:/' "$TMP/ours"
sed -i 's/^  \([a-z]\)/    \1/; s/^    tracing: false/    tracing: true/; s/^    status: accepted/    status: completed/' "$TMP/theirs"
merged
is "0:12c12
< risk_level: high
---
> risk_level:  high   # reviewed weekly
19c19,20
<   tracing: false
---
>   tracing: true
> # where the child sleeps
25c26
<     status: accepted
---
>     status: completed" "$rc:$got" "ours' layout is kept, theirs' changes moved to ours' indentation"

# A merge of valid versions that breaks a rule is reported.
fresh
sed -i 's/^registered: 2024-03-14/registered: 2024-03-15/' "$TMP/ours"
printf '  - date: 2024-03-14\n    type: phone\n' >>"$TMP/theirs"
merged
is "1:$f:27:11: error: follow_ups[].date: 2024-03-14 is before registered (2024-03-15)
enas-merge: $f: the merged record breaks the rules; fix it, then git add it" \
    "$rc:$err" "a clean merge that breaks the rules: exit 1, with the diagnostics"
is "2c2
< registered: 2024-03-14
---
> registered: 2024-03-15
26a27,28
>   - date: 2024-03-14
>     type: phone" "$got" "and the merged record is written for the user to fix"

# A side outside the YAML subset: git's text merge, checked as well.
fresh
sed -i 's/^age: 15/age: 16/' "$TMP/ours"
sed -i 's/^risk_level: high/risk_level: low/' "$TMP/theirs"
printf 'notes:\n\tfree text\n' >>"$TMP/theirs"
merged
tab=$(printf '\t')
is "1:7c7
< age: 15
---
> age: 16
12c12
< risk_level: high
---
> risk_level: low
28a29,30
> notes:
> ${tab}free text" "$rc:$got" "a side that is not a record is merged as text"
is "$f:30:1: error: tab used for indentation; indent with spaces
enas-merge: $f: the merged record breaks the rules; fix it, then git add it" \
    "$err" "and the result is checked like any other"

fresh
sed -i 's/^age: 15/age: 16/' "$TMP/ours"
printf 'age: 14\n\tx\n' >"$TMP/theirs"
merged
is "1:" "$rc:$err" "a text merge in conflict: exit 1, and git says so"
is "1:1" "$(grep -c '^<<<<<<< ours$' "$TMP/result"):$(grep -c '^>>>>>>> theirs$' "$TMP/result")" \
    "with git's markers"

# Two records created with one id: nothing merges.
: >"$TMP/base.empty"
cp "$TMP/base" "$TMP/ours"
sed 's/^sex: male/sex: female/; s/^age: 15/age: 9/' "$TMP/base" >"$TMP/theirs"
run enas-merge -p "$TMP/base.empty" "$TMP/ours" "$TMP/theirs" "$f"
is "1:$f:1:1: error: id: conflict: both sides created a record with this id (two records share one id: keep one here, and give the other a new id, in a new file named by it)" \
    "$rc:$err" "two records under one id (an empty base): a conflict on id"
is "<<<<<<< ours
id: NDR-2024-7K3QP
=======
id: NDR-2024-7K3QP
>>>>>>> theirs" "$(printf '%s\n' "$out" | grep -e '^[<=>]\{7\}' -e '^id:')" \
    "of the whole file, each record whole"
run enas-merge -p "$TMP/base.empty" "$TMP/ours" "$TMP/ours" "$f"
is "0:" "$rc:$err" "the same record added on both sides merges"

# Ours in flow style: the field is written out in the canonical layout.
fresh
sed -i '/^consent:/,/^care:/{/^  /d}; s/^consent:/consent: {given_by: child, reporting: true}/' "$TMP/base" "$TMP/ours" "$TMP/theirs"
sed -i 's/reporting: true}/reporting: false}/' "$TMP/ours"
sed -i 's/given_by: child/given_by: guardian/' "$TMP/theirs"
merged
is "0:14c14,16
< consent: {given_by: child, reporting: true}
---
> consent:
>   given_by: guardian
>   reporting: false" "$rc:$got" "a flow mapping that both changed is written in block style"
write_case "$TMP/base"

# Without -p the result replaces ours, atomically, keeping its mode.
fresh
sed -i 's/^age: 15/age: 16/' "$TMP/ours"
sed -i 's/^sex: male/sex: female/' "$TMP/theirs"
chmod 640 "$TMP/ours"
run enas-merge "$TMP/base" "$TMP/ours" "$TMP/theirs" "$f"
is "0::" "$rc:$out:$err" "without -p nothing is printed"
is "6,7c6,7
< sex: male
< age: 15
---
> sex: female
> age: 16" "$(diff "$TMP/base" "$TMP/ours")" "ours holds the result"
is "640" "$(stat -c %a "$TMP/ours")" "with its mode"
is "" "$(ls "$TMP" | grep 'ours\.')" "and no temporary file is left"

# A rules file merges field by field too, and is checked as rules.
r=records/rules/case.yaml
cp "$r" "$TMP/rb"
sed 's/^  care:              {enum: \[parents,/  care:              {enum: [grandparents, parents,/' "$r" >"$TMP/ro"
sed 's/^  sex:               {required: true, enum: \[male, female, unknown\]}/  sex:               {required: true, enum: [male, female, unknown, other]}/' "$r" >"$TMP/rt"
run enas-merge -p "$TMP/rb" "$TMP/ro" "$TMP/rt" "$r"
is "0:" "$rc:$err" "two changes to a rules file merge"
is "2" "$(printf '%s\n' "$out" | grep -c -e grandparents -e 'male, female, unknown, other')" \
    "both are kept"
sed 's/^kind: case/kind: [case/' "$r" >"$TMP/rt"
run enas-merge -p "$TMP/rb" "$TMP/ro" "$TMP/rt" "$r"
is "1:$r:6:4: error: syntax error: did not find expected ',' or ']' while parsing a flow sequence
enas-merge: $r: the merged record breaks the rules; fix it, then git add it" "$rc:$err" \
    "a rules file broken by a merge is reported"

# Errors.
run enas-merge "$TMP/base" "$TMP/ours"
is "2:usage: enas-merge [-p] base ours theirs [path]" "$rc:$err" "too few operands: usage, exit 2"
run enas-merge -p "$TMP/base" "$TMP/nothing" "$TMP/theirs" "$f"
is "2:enas-merge: $TMP/nothing: No such file or directory" "$rc:$err" "a missing file: exit 2"
run enas-merge -h
is "0:usage: enas-merge [-p] base ours theirs [path]" "$rc:$out" "-h prints the usage"
fresh
sed -i 's/^age: 15/age: 16/' "$TMP/ours"
sed -i 's/^sex: male/sex: female/' "$TMP/theirs"
mkdir "$TMP/norepo"
(cd "$TMP/norepo" && GIT_CEILING_DIRECTORIES=$TMP enas-merge -p "$TMP/base" "$TMP/ours" "$TMP/theirs" "$f" >/dev/null 2>"$TMP/err")
is "2" "$?" "outside a repository the result cannot be checked: exit 2"
sed -i 's/^\(.*cannot check the merged record\).*/\1/' "$TMP/err"
is "enas-merge: $f: cannot check the merged record" "$(cat "$TMP/err")" "saying so"

# Huge records (outside the subset's rules, inside its size): a merge
# is linear, not quadratic, in fields and values.  It once took minutes.
awk 'BEGIN { for (i = 0; i < 12000; i++) printf "k%d: v\n", i }' >"$TMP/hb"
sed 's/^k5: v$/k5: w/' "$TMP/hb" >"$TMP/ho"
{ awk 'BEGIN { for (i = 11999; i >= 0; i--) printf "k%d: v\n", i }'
  awk 'BEGIN { printf "c: ["; for (i = 0; i < 8000; i++) printf "%sn%d", i ? ", " : "", i; print "]" }'
} >"$TMP/ht"
limit=60
[ -n "$ENAS_VALGRIND" ] && limit=1200
timeout $limit enas-merge -p "$TMP/hb" "$TMP/ho" "$TMP/ht" records/huge.yaml >"$TMP/hr" 2>&1
is "0:12001:8000" "$?:$(grep -c . "$TMP/hr"):$(grep '^c:' "$TMP/hr" | tr ',' '\n' | grep -c n)" \
    "12 000 fields reordered and 8 000 new values merge at once"

# Every allocation failing in turn: exit 2, never a crash.
i=1 res=2 worst=0
step=1
[ -n "$ENAS_VALGRIND" ] && step=37
while [ $i -le 2000 ]; do
	ENAS_FAIL_ALLOC=$i enas-merge -p "$TMP/base" "$TMP/ours" "$TMP/theirs" "$f" \
	    >/dev/null 2>&1
	res=$?
	[ $res -gt $worst ] && worst=$res
	[ $res = 0 ] && break
	i=$((i + step))
done
is "0:2" "$res:$worst" "each failing allocation gives exit 2, then the merge succeeds"

done_testing
