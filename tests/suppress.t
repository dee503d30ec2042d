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
is "0:sex      age:band  count
female   0-5          <5
female   6-11          x
female   12-14         x
female   15-17        20
female   total        43
male     0-5           x
male     6-11          x
male     12-14        30
male     15-17        40
male     total        91
unknown  6-11         <5
unknown  12-14        <5
unknown  total        <5
total    0-5           9
total    6-11         24
total    12-14        44
total    15-17        60
total    total       137" "$rc:$out" \
    "-k 5: small cells print <5, their complements x, and small totals <5"
table=$out

# No row or column with a known total has exactly one withheld cell.
single=$(printf '%s\n' "$table" | awk '
	NR > 1 && $1 != "total" && $2 != "total" {
		if ($3 == "<5" || $3 == "x") { row[$1]++; col[$2]++ }
		rows[$1] = 1; cols[$2] = 1
	}
	$2 == "total" && $1 != "total" { rowt[$1] = $3 }
	$1 == "total" && $2 != "total" { colt[$2] = $3 }
	END {
		for (r in rows) if (rowt[r] != "<5" && row[r] == 1) print r
		for (c in cols) if (colt[c] != "<5" && col[c] == 1) print c
	}')
is "" "$single" "a line with one withheld cell gets a second: its total cannot give it away"

run perl "$ENAS_SRC/tests/attack.pl" 5 <<EOF2
$table
EOF2
is 0 "$rc" "an attacker who tries every table fitting the output recovers no cell"
printf '%s\n' "$out" | sed 's/^/# /'

# The same attacker does recover cells when only the small ones are hidden.
enas-stats cases -g sex,age:band -O table >"$TMP/full"
printf '%s\n' "$table" | awk 'NR == FNR { full[FNR] = $0; next }
	$NF == "x" { print full[FNR]; next } { print }' "$TMP/full" - >"$TMP/naive"
run perl "$ENAS_SRC/tests/attack.pl" 5 <"$TMP/naive"
is "1:recovered female 0-5 = 3
recovered unknown 12-14 = 2
recovered unknown 6-11 = 1" "$rc:$out" "without complements the attacker recovers them (the attack works)"

run enas-stats cases -g sex -O table -k 5
is "0:sex      count
female       x
male        91
unknown     <5
total      137" "$rc:$out" "one group: the complement is the smallest other cell"
run perl "$ENAS_SRC/tests/attack.pl" 5 <<EOF2
$out
EOF2
is 0 "$rc" "and the attacker recovers nothing from it"

run enas-stats cases -g sex,age:band -k 5 -w sex=unknown
is "0:sex	age:band	count
unknown	6-11	<5
unknown	12-14	<5" "$rc:$out" "tsv: withheld cells as <5"

run enas-stats cases -g sex,age:band -k 5 -O json
printf '%s\n' "$out" | jq -e '[.[] | select(.sex == "female" and ."age:band" == "0-5")][0] == {"sex": "female", "age:band": "0-5", "count": null, "suppressed": true}' >/dev/null
ok $? "json: a withheld cell is null, with suppressed: true"
printf '%s\n' "$out" | jq -e '[.[] | select(.suppressed)] | length == 7' >/dev/null
ok $? "json: every withheld cell says so"

# A table that no choice of cells can protect is refused, not printed.
records_repo "$TMP/r"
cd "$TMP/r" || exit 2
n=0
many female 10 1
many male 10 5
git add -A && git commit -q -m cases
run enas-stats cases -g sex -k 5
is "2::enas-stats: the small counts of this table cannot be hidden: its totals would give them away; group by fewer fields or by a longer period" \
    "$rc:$out:$err" "1 and 5 of a known 6: refused at -k 5, nothing printed"
run enas-stats cases -g sex -k 3
is "0:sex	count
female	<3
male	x:" "$rc:$out:$err" "-k 3 can protect it"
run enas-stats cases -g sex -k 2
is "2::enas-stats: -k 2: <2 would say 1; use 3 or more (or 0 for none)" \
    "$rc:$out:$err" "-k 2 is refused: its label would give the count away"

done_testing
