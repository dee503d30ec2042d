#!/bin/sh
# enas-stats -k: small counts are withheld, and cannot be worked out
# from the rest of the table and its totals.
. "$(dirname "$0")/lib.sh"

plan 12

records_repo "$TMP/k"
cd "$TMP/k" || exit 2
n=0
# many SEX AGE COUNT: COUNT synthetic cases
many() {
	i=0
	while [ "$i" -lt "$3" ]; do
		n=$((n + 1))
		i=$((i + 1))
		id=$(printf 'NDR-2024-K%04d' "$n")
		write_case "records/cases/2024/$id.yaml" "$id"
		sed -i "s/^sex: .*/sex: $1/; s/^age: .*/age: $2/" \
		    "records/cases/2024/$id.yaml"
	done
}
many female 3 3
many female 8 8
many female 13 12
many female 16 20
many male 3 6
many male 8 15
many male 13 30
many male 16 40
many unknown 8 1
many unknown 13 2
git add -A && git commit -q -m cases

run enas-stats cases -g sex,age:band -O table -k 5
is "0:sex      0-5  6-11  12-14  15-17  total
female    <5     8      x     20      x
male       x     x     30     40     91
unknown         <5     <5            <5
total      9    24     44     60    137" "$rc:$out" \
    "-k 5: small cells print <5, their complements x, totals are cells too"

# Four complements, the fewest that protect it (five before the search:
# the 0-5 total and the grand total instead of the female total).  The
# female total is withheld: with 91 and 137 it would give away the
# unknown total, itself <5.
run enas-stats cases -g sex,age:band -k 5 --totals
printf '%s\n' "$out" >"$TMP/t.tsv"
is "female	total	x
total	total	137" "$(printf '%s\n' "$out" | grep '^female	total	'
    printf '%s\n' "$out" | tail -n 1)" \
    "--totals prints every margin, the grand total last"
printf 'dim sex female male unknown\ndim band 0-5 6-11 12-14 15-17\npub %s sex band\n' \
    "$TMP/t.tsv" >"$TMP/spec"
run perl "$ENAS_SRC/tests/lpattack.pl" 5 "$TMP/spec"
is "0:" "$rc:$out" "an attacker who solves the linear programs recovers no cell"

# The same attacker does recover cells when only the small ones are hidden.
enas-stats cases -g sex,age:band -k 0 --totals |
    awk -F'\t' 'NR > 1 && $NF > 0 && $NF < 5 { $NF = "<5" } 1' OFS='\t' \
    >"$TMP/t.tsv"
run perl "$ENAS_SRC/tests/lpattack.pl" 5 "$TMP/spec"
is "1:determined $TMP/t.tsv female 0-5 = 3" "$rc:$(printf '%s\n' "$out" | head -n 1)" \
    "without complements the attacker recovers them (the attack works)"

run enas-stats cases -g sex -O table -k 5
is "0:sex      count
female       x
male        91
unknown     <5
total      137" "$rc:$out" "one group: the complement is the smallest other cell"
enas-stats cases -g sex -k 5 --totals >"$TMP/t.tsv"
printf 'dim sex female male unknown\npub %s sex\n' "$TMP/t.tsv" >"$TMP/spec"
run perl "$ENAS_SRC/tests/lpattack.pl" 5 "$TMP/spec"
is 0 "$rc" "and the attacker recovers nothing from it"

run enas-stats cases -g sex,age:band -k 5 -w sex=unknown
is "0:sex	age:band	count
unknown	6-11	<5
unknown	12-14	<5" "$rc:$out" "tsv: withheld cells as <5"

run enas-stats cases -g sex,age:band -k 5 -O json
printf '%s\n' "$out" | jq -e '[.[] | select(.sex == "female" and ."age:band" == "0-5")][0] == {"sex": "female", "age:band": "0-5", "count": null, "suppressed": true}' >/dev/null
ok $? "json: a withheld cell is null, with suppressed: true"
printf '%s\n' "$out" | jq -e '[.[] | select(.suppressed)] | length == 6' >/dev/null
ok $? "json: every withheld cell says so"

# A table that a pattern can protect is never refused: the total is a
# cell too.
records_repo "$TMP/r"
cd "$TMP/r" || exit 2
n=0
many female 10 1
many male 10 5
git add -A && git commit -q -m cases
run enas-stats cases -g sex -k 5 --totals
is "0:sex	count
female	<5
male	5
total	x:" "$rc:$out:$err" "1 and 5 of 6 at -k 5: the total is withheld"
run enas-stats cases -g sex -k 3 --totals
is "0:sex	count
female	<3
male	x
total	6:" "$rc:$out:$err" "-k 3: the other cell is"
run enas-stats cases -g sex -k 2
is "2::enas-stats: -k 2: <2 would say 1; use 3 or more (or 0 for none)" \
    "$rc:$out:$err" "-k 2 is refused: its label would give the count away"

done_testing
