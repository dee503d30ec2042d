#!/bin/sh
# enas-stats -w on the items of a sequence (issue 11, item 6): with a -g
# on that sequence a -w on its items counts only the items it holds for;
# otherwise it selects records, as everywhere else.
. "$(dirname "$0")/lib.sh"

plan 29

# kase ID SITE SEX REGISTERED [TO:SERVICE...]: a synthetic case with
# these referrals, made on the day it was registered, and two
# follow-ups (in_care, phone).
kase() {
	year=${4%%-*}
	f=records/cases/$year/$1.yaml
	mkdir -p "records/cases/$year"
	cat >"$f" <<CASE
id: $1
registered: $4
site: $2
partner: bayti
sex: $3
age: 15
nationality: GN
protection_status: unaccompanied
concerns: [trafficked_smuggled, street_child]
risk_level: medium
status: open
consent:
  reporting: true
follow_ups:
  - date: $4
    type: in_care
  - date: $4
    type: phone
CASE
	shift 4
	[ $# -gt 0 ] && echo 'referrals:' >>"$f"
	for r in "$@"; do
		printf '  - date: %s\n    to: %s\n    service: %s\n    status: accepted\n' \
		    "$(sed -n 's/^registered: //p' "$f")" "${r%%:*}" "${r#*:}" >>"$f"
	done
}

# commit_at DATE MESSAGE: commit everything, made on DATE at noon.
commit_at() {
	git add -A records
	GIT_AUTHOR_DATE="$1T12:00:00Z" GIT_COMMITTER_DATE="$1T12:00:00Z" \
	    git commit -q -m "$2"
}

records_repo "$TMP/r"
cd "$TMP/r" || exit 2
kase NDR-2024-AAAA1 nador male 2024-01-10 bayti:safehouse alkaram:health
commit_at 2024-01-15 'cases: January'

# The issue's example: one case, two referrals, one of them health.
run enas-stats cases -p 2024 -g 'referrals[].to' -w 'referrals[].service=health'
is "0:referrals[].to	count
alkaram	1:" "$rc:$out:$err" "-w on referrals[] with -g referrals[].to counts only the matching referrals"

kase MRK-2024-AAAA2 marrakech female 2024-04-02 alkaram:health iom:legal
kase OUJ-2024-AAAA3 oujda male 2024-04-03 omdh:legal
kase CAS-2024-AAAA4 casablanca male 2024-04-04
commit_at 2024-04-10 'cases: April'

run enas-stats cases -g 'referrals[].to' -w 'referrals[].service=health'
is "0:referrals[].to	count
alkaram	2:" "$rc:$out:$err" "two cases' health referrals, and nothing of their others"

run enas-stats cases -g 'referrals[].to' -w sex=male -w 'referrals[].service=health'
is "0:referrals[].to	count
alkaram	1:" "$rc:$out:$err" "a -w on the record and a -w on the items: both hold"

run enas-stats cases -g 'site,referrals[].to' -w 'referrals[].service=health'
is "0:site	referrals[].to	count
marrakech	alkaram	1
nador	alkaram	1:" "$rc:$out:$err" "a case with no matching referral counts nowhere"

run enas-stats cases -g 'referrals[].to' -w 'referrals[].service=education'
is "1:referrals[].to	count:" "$rc:$out:$err" "no matching item anywhere: nothing counted, exit 1"

run enas-stats cases -g 'referrals[].to' -w 'referrals[].service=legal' -w 'referrals[].to=alkaram'
is "1:referrals[].to	count:" "$rc:$out:$err" "two -w on the items must hold for the same item"
run enas-stats cases -g site -w 'referrals[].service=legal' -w 'referrals[].to=alkaram'
is "0:site	count
marrakech	1:" "$rc:$out:$err" "two -w on a sequence without its -g: each for any item of the record"

run enas-stats cases -g 'referrals[].to' -w 'referrals[].service!=health'
is "0:referrals[].to	count
bayti	1
iom	1
omdh	1:" "$rc:$out:$err" "!= on the items: the referrals that are not health"

run enas-stats cases -g site -w 'referrals[].service=health'
is "0:site	count
marrakech	1
nador	1:" "$rc:$out:$err" "without a -g on referrals[], -w referrals[] selects the cases with a matching referral"

run enas-stats cases -g site -w 'referrals[].service!=health'
is "0:site	count
casablanca	1
oujda	1:" "$rc:$out:$err" "... and != the cases without one (a case without referrals too)"

run enas-stats cases -g concerns -w 'referrals[].service=health'
is "0:concerns	count
street_child	2
trafficked_smuggled	2:" "$rc:$out:$err" "a -w on another sequence than the -g's selects cases"

run enas-stats cases -g concerns -w concerns=street_child
is "0:concerns	count
street_child	4:" "$rc:$out:$err" "a list field: -w on it with -g on it counts the matching items"

# Two sequences: every pair of their items; each -w narrows its own.
run enas-stats cases -g 'referrals[].to,follow_ups[].type' -w 'referrals[].service=health'
is "0:referrals[].to	follow_ups[].type	count
alkaram	in_care	2
alkaram	phone	2:" "$rc:$out:$err" "two sequences, a -w on one of them"
run enas-stats cases -g 'referrals[].to,follow_ups[].type' \
    -w 'referrals[].service=health' -w 'follow_ups[].type=phone'
is "0:referrals[].to	follow_ups[].type	count
alkaram	phone	2:" "$rc:$out:$err" "two sequences, a -w on each"

run enas-stats cases -Q -p 2024 -g 'referrals[].to' -w 'referrals[].service=health'
is "0:period	referrals[].to	count
2024Q1	alkaram	1
2024Q2	alkaram	1
2024Q3	alkaram	0
2024Q4	alkaram	0:" "$rc:$out:$err" "with periods"

run enas-stats cases --history -Q -b 2024-01-01 -e 2024-07-01 -g 'referrals[].to' \
    -w 'referrals[].service=health'
is "0:period	referrals[].to	count
2024Q1	alkaram	1
2024Q2	alkaram	2:" "$rc:$out:$err" "--history: each snapshot's matching referrals"

run enas-stats cases --history -Q -b 2024-01-01 -e 2024-07-01 -g 'referrals[].to' \
    -w 'referrals[].service=health' -w sex=female
is "0:period	referrals[].to	count
2024Q1	alkaram	0
2024Q2	alkaram	1:" "$rc:$out:$err" "--history with a -w on the record and one on the items"

# The fast reader and the full parser yield the same: the same case in
# the plain form and in one the fast reader declines (quoted values).
kase NDR-2024-AAAA5 nador female 2024-05-02 bayti:safehouse alkaram:health iom:health
sed -e 's/NDR-2024-AAAA5/NDR-2024-AAAA6/' \
    -e 's/service: \(.*\)/service: "\1"/' \
    records/cases/2024/NDR-2024-AAAA5.yaml >records/cases/2024/NDR-2024-AAAA6.yaml
commit_at 2024-05-10 'cases: May'
run enas-stats cases -g 'referrals[].to' -w 'referrals[].service=health' -w id=NDR-2024-AAAA5
plain=$rc:$out:$err
run enas-stats cases -g 'referrals[].to' -w 'referrals[].service=health' -w id=NDR-2024-AAAA6
is "0:referrals[].to	count
alkaram	1
iom	1:" "$plain" "a plain record (the fast reader)"
is "$plain" "$rc:$out:$err" "the same record with quoted values (the full parser)"

rm -rf .git/enas
run env ENAS_STATS_THREADS=2 enas-stats cases -g 'sex,referrals[].to' -w 'referrals[].service=health'
two=$rc:$out:$err
rm -rf .git/enas
run env ENAS_STATS_THREADS=1 enas-stats cases -g 'sex,referrals[].to' -w 'referrals[].service=health'
is "$two" "$rc:$out:$err" "two readers count the same as one"
run env ENAS_STATS_THREADS=1 enas-stats cases -g 'sex,referrals[].to' -w 'referrals[].service=health'
is "$two" "$rc:$out:$err" "... and so does the cache"

# Every allocation failing in turn: exit 2 and nothing printed, until
# there are no more to fail.  (Too slow under valgrind.)
failing() {
	i=1
	while [ "$i" -le 2000 ]; do
		rm -rf .git/enas
		ENAS_FAIL_ALLOC=$i "$@" >"$TMP/o" 2>"$TMP/e"
		rc=$?
		[ "$rc" = 2 ] && [ ! -s "$TMP/o" ] &&
		    grep -q '^enas-stats: out of memory$' "$TMP/e" || break
		i=$((i + 1))
	done
	echo "$rc at $i"
}
if [ -z "$ENAS_VALGRIND" ]; then
	res=$(failing enas-stats cases -g 'referrals[].to' -w sex=female \
	    -w 'referrals[].service=health' --history -Q -p 2024)
	is 0 "${res%% *}" "each failing allocation with item filters is handled ($res)"
else
	ok 0 "# SKIP under valgrind"
fi

# enas ls: -w on an item path selects records, any item matching.
run enas-ls case -w 'referrals[].service=health'
is "0:MRK-2024-AAAA2
NDR-2024-AAAA1
NDR-2024-AAAA5
NDR-2024-AAAA6:" "$rc:$out:$err" "enas ls -w referrals[]: the cases with a matching referral"

# A sum over every item of a sequence with a -w on its items, but no
# -g on it, is refused; with the -g, the matching items add up.
sed -i 's/^  referrals\[\]\.status:/  referrals[].days: {type: int, min: 0}\n&/' \
    records/rules/case.yaml
git add -A records
GIT_AUTHOR_DATE=2024-05-11T12:00:00Z GIT_COMMITTER_DATE=2024-05-11T12:00:00Z \
    git commit -q --no-verify -m 'rules: referrals[].days'
sed -i 's/^    service: legal$/&\n    days: 5/; s/^    service: health$/&\n    days: 2/' \
    records/cases/2024/MRK-2024-AAAA2.yaml
commit_at 2024-05-12 'cases: days'
run enas-stats cases -s 'referrals[].days' -w 'referrals[].service=health'
is "2::enas-stats: -s referrals[].days with -w referrals[].service=health: the sum would add up every item of referrals of the records selected, not only the items that match; group by a field of referrals too (-g), to count and add up the matching items" \
    "$rc:$out:$err" "a sum of every item with a -w on the items: refused"
run enas-stats cases -g 'referrals[].service' -s 'referrals[].days' \
    -w 'referrals[].service=health,legal' -w site=marrakech
is "0:referrals[].service	count	referrals[].days
health	1	2
legal	1	5:" "$rc:$out:$err" "with a -g on the sequence, the matching items add up"
run enas-stats cases -s 'referrals[].days' -w site=marrakech
is "0:count	referrals[].days
1	7:" "$rc:$out:$err" "a sum with a -w on the record only is as before"

# --publish: the audit recounts an item-filtered table exactly, and
# audits the next one with it.
git config enas.minCell 3
for n in 1 2 3 4 5 6; do
	to=alkaram
	[ "$n" -gt 3 ] && to=iom
	kase "NDR-2024-BBBB$n" nador male "2024-06-0$n" bayti:safehouse "$to:health"
done
commit_at 2024-06-20 'cases: June'
run enas-stats cases --publish -g 'referrals[].to' -w 'referrals[].service=health'
is "0:referrals[].to	count
alkaram	7
iom	5:" "$rc:$out:$err" "an item-filtered table is published: the health referrals only"
run enas-stats cases --publish -g 'referrals[].to'
is "0:referrals[].to	count
alkaram	7
bayti	9
iom	x
omdh	<3:" "$rc:$out:$err" "then every referral, audited with it: the first recounts the same (no warning)"
run enas-stats --ledger
is "0:2" "$rc:$(printf '%s\n' "$out" | wc -l | tr -d ' ')" "both are in the ledger"

done_testing
