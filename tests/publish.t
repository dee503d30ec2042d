#!/bin/sh
# enas-stats --publish: the ledger, and disclosure control across every
# publication, checked by an attacker who solves the linear programs of
# what was printed (tests/lpattack.pl, with glpsol).
. "$(dirname "$0")/lib.sh"

plan 23

if ! command -v glpsol >/dev/null; then
	i=0
	while [ $i -lt 23 ]; do
		i=$((i + 1))
		echo "ok $i # skip glpsol (glpk-utils) is not installed"
	done
	exit 0
fi

records_repo "$TMP/p"
cd "$TMP/p" || exit 2
git config core.hooksPath /dev/null
git config enas.minCell 5

# 60 synthetic cases over the first half of 2024: sex, site and status
# from a fixed sequence, so that some cells are small.
n=0
for m in 01 02 03 04 05 06; do
	for d in 03 07 11 15 19 23 27 28 29 30; do
		n=$((n + 1))
		id=$(printf 'NDR-2024-P%04d' "$n")
		f=records/cases/2024/$id.yaml
		write_case "$f" "$id"
		case $((n % 7)) in
		0|3) sex=female ;;
		6) sex=unknown ;;
		*) sex=male ;;
		esac
		case $((n % 5)) in
		0) site=oujda ;;
		1|2) site=marrakech ;;
		*) site=nador ;;
		esac
		case $((n % 3)) in
		0) age=10 ;;
		1) age=13 ;;
		*) age=16 ;;
		esac
		[ "$m$d" = 0230 ] && d=28
		sed -i "s/^registered: .*/registered: 2024-$m-$d/; \
		    s/^sex: .*/sex: $sex/; s/^site: .*/site: $site/; \
		    s/^age: .*/age: $age/; \
		    s/^  - date: 2024-0[34]-.*/  - date: 2024-07-01/" "$f"
		if [ $((n % 4)) -eq 0 ]; then
			sed -i 's/^status: open/status: closed/' "$f"
			printf 'closure:\n  date: 2024-07-02\n  reason: reunified\n' >>"$f"
		fi
	done
done
git add -A && git commit -q -m cases
enas-check --all >/dev/null 2>&1 || { enas-check --all; exit 2; }

pub() {
	out=$1
	shift
	enas-stats cases --publish --totals "$@" >"$TMP/$out" 2>"$TMP/err"
}

months="2024-01 2024-02 2024-03 2024-04 2024-05 2024-06"

# 1. Months inside a published quarter.
pub q.tsv -g sex -Q -b 2024-01-01 -e 2024-07-01
is 0 "$?" "a quarterly table is published"
pub m.tsv -g sex -M -b 2024-01-01 -e 2024-07-01
is 0 "$?" "then a monthly one"
{
	echo "dim month $months"
	echo "dim sex female male unknown"
	for x in 01 02 03; do echo "map q 2024-$x 2024Q1"; done
	for x in 04 05 06; do echo "map q 2024-$x 2024Q2"; done
	echo "pub $TMP/q.tsv month@q sex"
	echo "pub $TMP/m.tsv month sex"
} >"$TMP/spec1"
run perl "$ENAS_SRC/tests/lpattack.pl" 5 "$TMP/spec1"
is "0:" "$rc:$out" "months and quarters together: no withheld or small count can be worked out"

# 2. A table with and without -w status=open.
pub all.tsv -g site -b 2024-01-01 -e 2024-07-01
is 0 "$?" "a table of every case is published"
pub open.tsv -g site -b 2024-01-01 -e 2024-07-01 -w status=open
is 0 "$?" "then the same of the open cases"
{
	echo "dim site marrakech nador oujda"
	echo "dim open 1 0"
	echo "pub $TMP/all.tsv site"
	echo "pub $TMP/open.tsv site"
	echo "fix $TMP/open.tsv open 1"
} >"$TMP/spec2"
run perl "$ENAS_SRC/tests/lpattack.pl" 5 "$TMP/spec2"
is "0:" "$rc:$out" "all and open together: the closed cases cannot be worked out"

# A table that no pattern of its own cells protects next to the four
# above is refused, naming what it conflicts with; nothing is printed
# and the ledger is as it was.
pub s.tsv -g site -b 2024-01-01 -e 2024-07-01 -Q
is 0 "$?" "a quarterly table by site"
before=$(git rev-parse refs/enas/published)
pub ssb.tsv -g site,sex -b 2024-01-01 -e 2024-07-01 -Q
rc=$?
msg="enas-stats: with what was published before, this table would give away a small count that no pattern of its own cells can hide; it conflicts with "
is "2::yes:yes:$before" "$rc:$(cat "$TMP/ssb.tsv"):$(grep -q "^$msg" "$TMP/err" && echo yes):$(grep -q -- ', enas-stats cases --publish --totals -g sex -Q -b 2024-01-01 -e 2024-07-01)' "$TMP/err" && echo yes):$(git rev-parse refs/enas/published)" \
    "a table that conflicts with earlier ones: refused (exit 2), naming them, nothing printed or recorded"

# 3. A 3-way table next to its margins, in a fresh ledger (the joint
# audit of all six tables together refuses the last, above: see BUGS in
# enas-stats(1)).
git update-ref -d refs/enas/published
pub s.tsv -g site -b 2024-01-01 -e 2024-07-01 -Q
pub ssb.tsv -g site,sex -b 2024-01-01 -e 2024-07-01 -Q
is 0 "$?" "a two-way table after its margin"
{
	echo "dim q 2024Q1 2024Q2"
	echo "dim site marrakech nador oujda"
	echo "dim sex female male unknown"
	echo "pub $TMP/s.tsv q site"
	echo "pub $TMP/ssb.tsv q site sex"
} >"$TMP/spec3"
run perl "$ENAS_SRC/tests/lpattack.pl" 5 "$TMP/spec3"
is "0:" "$rc:$out" "a 3-way table (period, site, sex) next to its margin: nothing worked out"

# 4. The issue's own sequence, in a fresh ledger: a table by site, the
# 3-way table of site, sex and age band under it, and sex by age band of
# the closed cases.  Every table published is attacked with all the
# others at once.
git update-ref -d refs/enas/published
b="-b 2024-01-01 -e 2024-07-01"
npub=0
: >"$TMP/spec5"
# shellcheck disable=SC2086
pub a1.tsv -g site $b && npub=$((npub + 1)) &&
    echo "pub $TMP/a1.tsv site" >>"$TMP/spec5"
# shellcheck disable=SC2086
pub a2.tsv -g site,sex,age:band $b && npub=$((npub + 1)) &&
    echo "pub $TMP/a2.tsv site sex band" >>"$TMP/spec5"
cp "$TMP/err" "$TMP/a2.err"
# shellcheck disable=SC2086
pub a3.tsv -g sex,age:band $b -w status=closed && npub=$((npub + 1)) &&
    printf 'pub %s sex band\nfix %s closed 1\n' "$TMP/a3.tsv" "$TMP/a3.tsv" \
    >>"$TMP/spec5"
{
	echo "dim site marrakech nador oujda"
	echo "dim sex female male unknown"
	echo "dim band 0-5 6-11 12-14 15-17"
	echo "dim closed 1 0"
	cat "$TMP/spec5"
} >"$TMP/spec6"
is "2:yes" "$npub:$(grep -q -- ' conflicts with [^ ]* ([^,]*, enas-stats cases --publish --totals -g site -b 2024-01-01 -e 2024-07-01) (see enas-stats --ledger)$' "$TMP/a2.err" && echo yes)" \
    "site, then the closed cases by sex and age band, are published; site, sex and age band is refused, naming the table by site"
run perl "$ENAS_SRC/tests/lpattack.pl" 5 "$TMP/spec6"
is "0:" "$rc:$out" "what was published, together: no withheld or small count can be worked out"
enas-stats --ledger | cut -f5 >"$TMP/l6"
is "enas-stats cases --publish --totals -g site -b 2024-01-01 -e 2024-07-01
enas-stats cases --publish --totals -g sex,age:band -b 2024-01-01 -e 2024-07-01 -w status=closed" \
    "$(cat "$TMP/l6")" "the ledger holds the two, in order, each as it was asked"

# The attacker is not toothless: the same tables with only their small
# cells hidden give counts away.
enas-stats cases -g sex -Q -b 2024-01-01 -e 2024-07-01 -k 0 --totals |
    awk -F'\t' 'NR > 1 && $NF > 0 && $NF < 5 { $NF = "<5" } 1' OFS='\t' \
    >"$TMP/nq.tsv"
enas-stats cases -g sex -M -b 2024-01-01 -e 2024-07-01 -k 0 --totals |
    awk -F'\t' 'NR > 1 && $NF > 0 && $NF < 5 { $NF = "<5" } 1' OFS='\t' \
    >"$TMP/nm.tsv"
sed "s|$TMP/q.tsv|$TMP/nq.tsv|; s|$TMP/m.tsv|$TMP/nm.tsv|" "$TMP/spec1" \
    >"$TMP/spec4"
run perl "$ENAS_SRC/tests/lpattack.pl" 5 "$TMP/spec4"
is 1 "$rc" "without complements the attacker works counts out (the attack works)"

# The ledger.
run enas-stats --ledger
is "0:2" "$rc:$(printf '%s\n' "$out" | wc -l | tr -d ' ')" \
    "--ledger lists each publication"
is "enas-stats cases --publish --totals -g site -b 2024-01-01 -e 2024-07-01" \
    "$(printf '%s\n' "$out" | sed -n 1p | cut -f5)" \
    "an entry says what was asked"
run enas-stats --ledger cases
is "0:2" "$rc:$(printf '%s\n' "$out" | wc -l | tr -d ' ')" \
    "--ledger cases: the kind by its directory"
run enas-stats --ledger case
is "0:2" "$rc:$(printf '%s\n' "$out" | wc -l | tr -d ' ')" \
    "--ledger case: the kind by its name"
run enas-stats --ledger partners
is "1:" "$rc:$out" "--ledger partners: nothing published, exit 1"
run enas-stats --ledger csae
is "2:enas-stats: no kind 'csae' in records/rules" "$rc:$err" \
    "--ledger of no kind: exit 2"
git cat-file -e refs/enas/published:
is 0 "$?" "the ledger is a ref, refs/enas/published"

# It travels with git push and fetch.
git init -q --bare "$TMP/server.git"
git push -q "$TMP/server.git" refs/enas/published refs/heads/*:refs/heads/* 2>/dev/null
git clone -q "$TMP/server.git" "$TMP/other"
cd "$TMP/other" || exit 2
git config core.hooksPath /dev/null
git config enas.minCell 5
git fetch -q origin '+refs/enas/published:refs/enas/remotes/origin/published'
run enas-stats --ledger
is "0:2" "$rc:$(printf '%s\n' "$out" | wc -l | tr -d ' ')" \
    "a fetched ledger is read from refs/enas/remotes/*/published"
enas-stats cases --publish --totals -g site -b 2024-01-01 -e 2024-07-01 -Q \
    >"$TMP/s2.tsv" 2>/dev/null
cmp -s "$TMP/s.tsv" "$TMP/s2.tsv"
is 0 "$?" "another officer's clone publishes the same table the same way"
