#!/bin/sh
# enas-stats: exact figures from committed records, as of any commit.
. "$(dirname "$0")/lib.sh"

plan 60

# case_rec ID SITE SEX AGE REGISTERED [CLOSED] [REPORTING]: a synthetic
# case, with one referral and one follow-up on the day it was registered.
case_rec() {
	year=${5%%-*}
	f=records/cases/$year/$1.yaml
	mkdir -p "records/cases/$year"
	case $2 in
	nador) p=asticude to=bayti ;;
	marrakech) p=alkaram to=iom ;;
	casablanca) p=bayti to=omdh ;;
	oujda) p=omdh to=bayti ;;
	esac
	status=open
	[ -z "$6" ] || status=closed
	cat >"$f" <<CASE
id: $1
registered: $5
site: $2
partner: $p
sex: $3
age: $4
nationality: GN
protection_status: unaccompanied
concerns: [street_child]
risk_level: medium
status: $status
consent:
  reporting: ${7:-true}
referrals:
  - date: $5
    to: $to
    service: shelter
    status: accepted
  - date: $5
    to: unhcr
    service: legal
    status: pending
CASE
	if [ -n "$6" ]; then
		printf 'closure:\n  date: %s\n  reason: reunified\n' "$6" >>"$f"
	fi
}

# commit_at DATE MESSAGE: commit everything, made on DATE at noon.
commit_at() {
	git add -A records
	GIT_AUTHOR_DATE="$1T12:00:00Z" GIT_COMMITTER_DATE="$1T12:00:00Z" \
	    git commit -q -m "$2"
}

session() {
	mkdir -p records/sessions/2024
	cat >"records/sessions/2024/$1.yaml" <<S
id: $1
date: $2
kind: $3
site: $4
organisers: [iom]
audience: $5
participants:
  $6: $7
S
}

records_repo "$TMP/r"
cd "$TMP/r" || exit 2
case_rec NDR-2024-AAAA1 nador male 15 2024-01-10
case_rec NDR-2024-AAAA2 nador female 12 2024-01-12
commit_at 2024-01-15 'cases: January'
case_rec MRK-2024-AAAA3 marrakech male 9 2024-02-11
case_rec OUJ-2024-AAAA4 oujda female 16 2024-02-14
commit_at 2024-02-20 'cases: February'
case_rec NDR-2024-AAAA1 nador male 15 2024-01-10 2024-03-05
case_rec CAS-2024-AAAA5 casablanca male 16 2024-03-01
case_rec NDR-2024-AAAA6 nador unknown 4 2024-03-02
commit_at 2024-03-10 'cases: March'
case_rec NDR-2024-AAAA2 nador female 12 2024-01-12 2024-04-02
case_rec MRK-2024-AAAA3 marrakech male 9 2024-02-11 2024-04-03
case_rec OUJ-2024-AAAA4 oujda female 16 2024-02-14 2024-04-04
case_rec NDR-2024-AAAA7 nador male 17 2024-04-20
commit_at 2024-04-25 'cases: April'
case_rec MRK-2024-AAAA8 marrakech female 14 2024-11-02 '' false
session SES-2024-AAAA1 2024-11-20 awareness casablanca enas enas 25
session SES-2024-AAAA2 2024-11-21 awareness oujda enas enas 10
session SES-2024-AAAA3 2024-11-22 training nador institutional_actors actors 12
commit_at 2024-11-25 'cases and sessions: November'

run enas-stats cases -g site
is "0:site	count
casablanca	1
marrakech	2
nador	4
oujda	1:" "$rc:$out:$err" "-g site counts cases by site"

run enas-stats case -g sex,age:band
is "0:sex	age:band	count
female	12-14	2
female	15-17	1
male	6-11	1
male	15-17	3
unknown	0-5	1:" "$rc:$out:$err" "-g sex,age:band, bands in their order"

run enas-stats cases -g 'referrals[].to'
is "0:referrals[].to	count
bayti	5
iom	2
omdh	1
unhcr	8:" "$rc:$out:$err" "-g referrals[].to counts referrals, not cases"

run enas-stats cases -g 'referrals[].to,referrals[].service' -w site=nador
is "0:referrals[].to	referrals[].service	count
bayti	shelter	4
unhcr	legal	4:" "$rc:$out:$err" "two fields of one sequence are read item by item"

run enas-stats sessions -s participants -g kind
is "0:kind	count	participants
awareness	2	35
training	1	12:" "$rc:$out:$err" "-s sums a mapping of ints, by session kind, after the count"

run enas-stats sessions -s participants.enas,participants.actors
is "0:count	participants.enas	participants.actors
3	35	12:" "$rc:$out:$err" "-s with two int fields and no group"

run enas-stats cases -M -b 2024-01-01 -e 2025-01-01
is "0:period	count
2024-01	2
2024-02	2
2024-03	2
2024-04	1
2024-05	0
2024-06	0
2024-07	0
2024-08	0
2024-09	0
2024-10	0
2024-11	1
2024-12	0:" "$rc:$out:$err" "-M -b -e: one row a month, empty months too"

run enas-stats cases -Q -g site -p 2024
is "0:period	site	count
2024Q1	casablanca	1
2024Q1	marrakech	1
2024Q1	nador	3
2024Q1	oujda	1
2024Q2	casablanca	0
2024Q2	marrakech	0
2024Q2	nador	1
2024Q2	oujda	0
2024Q3	casablanca	0
2024Q3	marrakech	0
2024Q3	nador	0
2024Q3	oujda	0
2024Q4	casablanca	0
2024Q4	marrakech	1
2024Q4	nador	0
2024Q4	oujda	0:" "$rc:$out:$err" "-Q -g site -p 2024: every group in every quarter"

run enas-stats cases -g site -p 2024Q4
is "0:site	count
marrakech	1:" "$rc:$out:$err" "-p 2024Q4"

run enas-stats cases -g sex -p 2024-W44 -W
is "0:period	sex	count
2024-W44	female	1:" "$rc:$out:$err" "-W names ISO weeks (2024-11-02 is in 2024-W44)"

run enas-stats cases -g registered:month,registered:week,registered:year -p 2024-03
is "0:registered:month	registered:week	registered:year	count
2024-03	2024-W09	2024	2:" "$rc:$out:$err" "date transforms"

run enas-stats cases -w status=open -w site=nador,oujda -g site,status
is "0:site	status	count
nador	open	2:" "$rc:$out:$err" "-w status=open -w site=nador,oujda"

run enas-stats cases -g site -r HEAD~3
is "0:site	count
marrakech	1
nador	2
oujda	1:" "$rc:$out:$err" "-r an older commit"

run enas-stats cases -g site -a 2024-02-29
is "0:site	count
marrakech	1
nador	2
oujda	1:" "$rc:$out:$err" "-a a day between commits: the last commit made by its end"

run enas-stats cases -g status -a 2024-03
is "0:status	count
closed	1
open	5:" "$rc:$out:$err" "-a a month: its last day"

run enas-stats cases --history -M -w status=open -p 2024
hist=$out
is "0:period	count
2024-01	2
2024-02	4
2024-03	5
2024-04	3
2024-05	3
2024-06	3
2024-07	3
2024-08	3
2024-09	3
2024-10	3
2024-11	4
2024-12	4:" "$rc:$out:$err" "--history -M: the open caseload at each month end"

want=
for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
	n=$(enas-stats cases -w status=open -a "2024-$m" --no-header)
	want="$want
2024-$m	$n"
done
is "period	count$want" "$hist" "--history agrees with -a at every month end"

run enas-stats cases --history -Q -g site -w status=open -b 2024-01-01 -e 2024-07-01
is "0:period	site	count
2024Q1	casablanca	1
2024Q1	marrakech	1
2024Q1	nador	2
2024Q1	oujda	1
2024Q2	casablanca	1
2024Q2	marrakech	0
2024Q2	nador	2
2024Q2	oujda	0:" "$rc:$out:$err" "--history with groups: snapshots at quarter ends"

rm -rf .git/enas
run enas-stats cases --history -M -p 2024 -v
hist_all=$out
is "enas-stats: commit $(git rev-parse --short=7 HEAD); 12 blobs read, 0 from the cache" \
    "$err" "--history reads each distinct blob once"

# The cache: a second run reads no blob; a damaged cache file is
# ignored; a change of rules starts a new one; threads agree.
run enas-stats cases --history -M -p 2024 -v
is "enas-stats: commit $(git rev-parse --short=7 HEAD); 0 blobs read, 12 from the cache" \
    "$err" "a second run answers from the cache"
is "$hist_all" "$out" "with the same figures"
for f in .git/enas/stats-cache/*; do
	printf 'XX' | dd of="$f" bs=1 seek=100 conv=notrunc 2>/dev/null
done
run enas-stats cases --history -M -p 2024 -v
is "$hist_all:enas-stats: commit $(git rev-parse --short=7 HEAD); 12 blobs read, 0 from the cache" \
    "$out:$err" "a damaged cache file is ignored, and rebuilt"
printf 'garbage' >.git/enas/stats-cache/cases-0000000000000000
run enas-stats cases --history -M -p 2024 -v
is "$hist_all:enas-stats: commit $(git rev-parse --short=7 HEAD); 0 blobs read, 12 from the cache" \
    "$out:$err" "a foreign file in the cache directory is left alone"
rm -rf .git/enas
enas-stats cases -g site >/dev/null
run enas-stats cases -g site -v
is "enas-stats: commit $(git rev-parse --short=7 HEAD); 0 blobs read, 8 from the cache" \
    "$err" "a snapshot asked again reads no record, nor its directory"
rm -rf .git/enas
run env ENAS_STATS_THREADS=2 enas-stats cases -g sex,site,'referrals[].to' -w status=open
one=$(ENAS_STATS_THREADS=1 enas-stats cases -g sex,site,'referrals[].to' -w status=open)
is "0:$one" "$rc:$out" "two reader threads give the same figures as one"
enas-stats cases -g site >/dev/null
sed -i 's/^risk_level: .*/risk_level: high/' records/cases/2024/NDR-2024-AAAA6.yaml
commit_at 2024-11-25 'case NDR-2024-AAAA6: risk_level'
run enas-stats cases -g site -v
is "enas-stats: commit $(git rev-parse --short=7 HEAD); 1 blobs read, 7 from the cache" \
    "$err" "after a commit, only the changed record is read"
printf '# a comment\n' >>records/rules/case.yaml
commit_at 2024-11-25 'rules: a comment'
run enas-stats cases -g site -v
is "enas-stats: commit $(git rev-parse --short=7 HEAD); 8 blobs read, 0 from the cache" \
    "$err" "a change of the rules starts a new cache"
git reset -q --hard HEAD~2

# Uncommitted edits do not count: statistics describe committed data.
before=$(enas-stats cases -g site)
case_rec NDR-2024-AAAA9 nador male 10 2024-05-01
sed -i 's/^site: marrakech/site: oujda/' records/cases/2024/MRK-2024-AAAA3.yaml
git add records/cases/2024/NDR-2024-AAAA9.yaml
run enas-stats cases -g site
is "0:$before" "$rc:$out" "uncommitted and staged edits do not change the figures"
git reset -q --hard

# Output formats.
run enas-stats cases -g site -O json
is 0 "$rc" "-O json exits 0"
printf '%s\n' "$out" | jq -e . >/dev/null
ok $? "-O json parses with jq"
tsv=$(enas-stats cases -g site --no-header)
js=$(printf '%s\n' "$out" | jq -r '.[] | "\(.site)\t\(.count)"')
is "$tsv" "$js" "json holds the same numbers as tsv"
run enas-stats cases -g site -O csv
is "0:site,count
casablanca,1
marrakech,2
nador,4
oujda,1" "$rc:$(printf '%s' "$out" | tr -d '\r')" "-O csv"
printf '%s' "$out" | od -c | grep -q '\\r  \\n'
ok $? "csv lines end in CRLF (RFC 4180)"
run enas-stats cases -g site,sex -O table
is "0:site        female  male  unknown  total
casablanca             1               1
marrakech        1     1               2
nador            1     2        1      4
oujda            1                     1
total            3     4        1      8" "$rc:$out" "-O table: wide, a column for each value of the last group, and totals"
run enas-stats cases -g site,sex -O csv --totals
is "0:site,sex,count
casablanca,male,1
marrakech,female,1
marrakech,male,1
nador,female,1
nador,male,2
nador,unknown,1
oujda,female,1
total,female,3
total,male,4
total,unknown,1
casablanca,total,1
marrakech,total,2
nador,total,4
oujda,total,1
total,total,8" "$rc:$(printf '%s' "$out" | tr -d '\r')" \
    "-O csv --totals: every margin after the rows, total in the columns summed over"
run enas-stats cases -g site,sex -O json --totals
is "0:{\"site\":\"casablanca\",\"sex\":\"male\",\"count\":1}
{\"site\":\"marrakech\",\"sex\":\"female\",\"count\":1}
{\"site\":\"marrakech\",\"sex\":\"male\",\"count\":1}
{\"site\":\"nador\",\"sex\":\"female\",\"count\":1}
{\"site\":\"nador\",\"sex\":\"male\",\"count\":2}
{\"site\":\"nador\",\"sex\":\"unknown\",\"count\":1}
{\"site\":\"oujda\",\"sex\":\"female\",\"count\":1}
{\"total\":true,\"sex\":\"female\",\"count\":3}
{\"total\":true,\"sex\":\"male\",\"count\":4}
{\"total\":true,\"sex\":\"unknown\",\"count\":1}
{\"total\":true,\"site\":\"casablanca\",\"count\":1}
{\"total\":true,\"site\":\"marrakech\",\"count\":2}
{\"total\":true,\"site\":\"nador\",\"count\":4}
{\"total\":true,\"site\":\"oujda\",\"count\":1}
{\"total\":true,\"count\":8}" "$rc:$(printf '%s\n' "$out" | jq -c '.[]')" \
    "-O json --totals: a total leaves out the fields summed over and says \"total\": true"
run enas-stats cases -g sex -Q -p 2024 -O table
is "0:sex      2024Q1  2024Q2  2024Q3  2024Q4  total
female        2       0       0       1      3
male          3       1       0       0      4
unknown       1       0       0       0      1
total         6       1       0       1      8" "$rc:$out" "-O table with a period: a column for each period, and their total"

# A value that a spreadsheet would run is neutralised in csv.
sed -i 's/^name: .*/name: "=HYPERLINK(""http:\/\/x.example"",""click"")"/' records/partners/bayti.yaml
sed -i "s/^name: .*/name: '=HYPERLINK(\"http:\/\/x.example\",\"click\")'/" records/partners/bayti.yaml
commit_at 2024-11-26 'partner bayti: name'
run enas-stats partners -g name -w id=bayti -O csv
is "0:name,count
\"'=HYPERLINK(\"\"http://x.example\"\",\"\"click\"\")\",1" "$rc:$(printf '%s' "$out" | tr -d '\r')" \
    "csv: a cell starting with = is neutralised and quoted"
run enas-stats partners -g type -w type~^un -O csv
is "0:type,count
un_agency,2" "$rc:$(printf '%s' "$out" | tr -d '\r')" "csv: plain cells stay plain"

# --publish: consent, minimum cells, complete periods only.
run enas-stats cases -g site --publish -k 3
is "0:site	count
casablanca	<11
marrakech	<11
nador	<11
oujda	<11:enas-stats: left out 1 case without consent.reporting: true" \
    "$rc:$out:$err" "--publish leaves out cases without consent and says how many"

# The current period is not over: --publish leaves it out.
year=$(date +%Y)
case_rec "NDR-$year-NW001" nador male 15 "$(date +%Y-%m-01)"
commit_at "$(date +%Y-%m-%d)" 'case: this month'
want="period	count
2024	<11"
y=2025
while [ "$y" -lt "$year" ]; do
	want="$want
$y	0"
	y=$((y + 1))
done
run enas-stats cases -Y --publish
is "0:$want:enas-stats: left out 1 case without consent.reporting: true" \
    "$rc:$out:$err" "--publish drops the current, unfinished period"
run enas-stats cases -Y -b "$year"
is "0:period	count
$year	1" "$rc:$out" "without --publish the current period is counted"
run enas-stats cases -p "$year" --publish
is "2::enas-stats: --publish: the period asked for is not over yet" \
    "$rc:$out:$err" "--publish refuses a span that is not over"
git config enas.minCell 3
run enas-stats cases -g site --publish -r HEAD~2
is "0:site	count
casablanca	<3
marrakech	<3
nador	x
oujda	<3:enas-stats: left out 1 case without consent.reporting: true" \
    "$rc:$out:$err" "--publish takes -k from enas.minCell"

# Errors: exit 2, nothing on stdout.
run enas-stats nothing -g site
is "2::enas-stats: no kind 'nothing' in records/rules (kinds: case, partner, session)" \
    "$rc:$out:$err" "an unknown kind"
run enas-stats cases -g name
is "2::enas-stats: -g name: 'name' is not a field of case (records/rules/case.yaml)" \
    "$rc:$out:$err" "an unknown field"
run enas-stats cases -g site:month
is "2::enas-stats: -g site:month: 'site' is not a date" "$rc:$out:$err" \
    "a date transform on a field that is no date"
run enas-stats cases -s site
is "2::enas-stats: -s site: not a whole number field, nor a mapping of them" \
    "$rc:$out:$err" "a sum of a text field"
run enas-stats cases --history
is "2::enas-stats: --history needs a period: -D, -W, -M, -Q or -Y" \
    "$rc:$out:$err" "--history without a period"
run enas-stats partners -M
is "2::enas-stats: partner records have no date field (date: in records/rules/partner.yaml), so they cannot be put in periods" \
    "$rc:$out:$err" "periods of a kind without a date"
run enas-stats cases -a 2023-12-31
is "2::enas-stats: no commit on the first-parent line of HEAD was made by the end of 2023-12-31" \
    "$rc:$out:$err" "-a before the first commit"
run enas-stats cases -w status=closed -w site=casablanca -r HEAD~3
is "1:count
0:" "$rc:$out:$err" "a query that matches nothing exits 1"

git init -q "$TMP/empty"
run enas-stats -C "$TMP/empty" cases
is "2::enas-stats: the repository has no commits yet: there is nothing to count" \
    "$rc:$out:$err" "an empty repository"
git clone -q --depth 1 "file://$TMP/r" "$TMP/shallow" 2>/dev/null
run enas-stats -C "$TMP/shallow" cases
is "2::enas-stats: shallow clone: its history is incomplete, which enas cannot work with; run 'git fetch --unshallow'" \
    "$rc:$out:$err" "a shallow clone"

# Every allocation failing in turn: exit 2 and nothing printed, until
# there are no more to fail.  (Too slow under valgrind, which checks the
# same paths on the runs above.)
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
	res=$(failing enas-stats cases -g site,sex -w status=open -Q -p 2024 -O table)
	is 0 "${res%% *}" "each failing allocation of a snapshot is handled ($res)"
	res=$(failing enas-stats cases --history -M -p 2024 -g 'referrals[].to')
	is 0 "${res%% *}" "each failing allocation of a history is handled ($res)"
	res=$(failing env ENAS_STATS_THREADS=2 enas-stats sessions -s participants -g kind)
	is 0 "${res%% *}" "each failing allocation with two readers is handled ($res)"
else
	ok 0 "# SKIP under valgrind"
	ok 0 "# SKIP under valgrind"
	ok 0 "# SKIP under valgrind"
fi

# A damaged object: a clear error, never a partial figure.
records_repo "$TMP/c"
cd "$TMP/c" || exit 2
case_rec NDR-2024-AAAB1 nador male 15 2024-01-10
case_rec NDR-2024-AAAB2 nador male 15 2024-01-11
commit_at 2024-01-15 'cases'
blob=$(git rev-parse HEAD:records/cases/2024/NDR-2024-AAAB2.yaml)
obj=.git/objects/$(echo "$blob" | cut -c1-2)/$(echo "$blob" | cut -c3-)
chmod u+w "$obj"
printf 'garbage' | dd of="$obj" bs=1 seek=2 conv=notrunc 2>/dev/null
run enas-stats cases -g site
[ "$rc" = 2 ] && [ -z "$out" ] && printf '%s' "$err" | grep -q "^enas-stats: records/cases/2024/NDR-2024-AAAB2.yaml: cannot read blob $blob: "
ok $? "a corrupt object: exit 2 naming the file and the blob, no output"
rm -f "$obj"
run enas-stats cases -g site
[ "$rc" = 2 ] && [ -z "$out" ] && printf '%s' "$err" | grep -q "NDR-2024-AAAB2.yaml: cannot read blob $blob: "
ok $? "a missing object: exit 2, no output"

# A record that does not parse (committed past the hook).
records_repo "$TMP/p"
cd "$TMP/p" || exit 2
case_rec NDR-2024-AAAC1 nador male 15 2024-01-10
printf 'oops: [\n' >>records/cases/2024/NDR-2024-AAAC1.yaml
git add -A && git commit -q --no-verify -m broken
run enas-stats cases
[ "$rc" = 2 ] && [ -z "$out" ] && printf '%s\n' "$err" | grep -q '^records/cases/2024/NDR-2024-AAAC1.yaml:[0-9]*:[0-9]*: error: '
ok $? "a record that does not parse: its diagnostic, exit 2"

done_testing
