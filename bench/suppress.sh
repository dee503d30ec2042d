#!/bin/sh
# make bench, the suppression part: on a fixed set of random tables
# (sex x age band, one table per nationality code, counts drawn with a
# fixed seed), how many cells enas-stats -k 5 withholds as complements
# against the fewest that bench/minsup finds by search, and how many
# tables it refuses (and how many of those the search finds a pattern
# for: a refusal that should not have been).  A benchmark: it never fails on a figure.
#
#	NTABLES=20 MAXSEARCH=4 sh bench/suppress.sh
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${ENAS_BUILD:-$src/build}
dir=$src/build/bench-suppress
NTABLES=${NTABLES:-20}
MAXSEARCH=${MAXSEARCH:-4}
K=5
PATH=$build:$PATH
export PATH GIT_CONFIG_NOSYSTEM=1 LC_ALL=C NO_COLOR=1
rm -rf "$dir"
mkdir -p "$dir/repo/records"
${CC:-cc} -O2 -std=c11 -D_GNU_SOURCE -I"$src/lib" -o "$dir/minsup" \
    "$src/bench/minsup.c" "$build/libenas.a" \
    $(pkg-config --libs libgit2 yaml-0.1 libpcre2-8) -lglpk -lm
cd "$dir/repo"
git init -q -b main
git config core.hooksPath /dev/null
cp -r "$src/records/rules" "$src/records/partners" records/
# Each table: 3 sexes x 3 bands; a cell is 0 (15%), 1 to 4 (35%) or 5
# to 30; the tables are nationality codes AA, AB, ...
awk -v n="$NTABLES" 'BEGIN {
	srand(20241129)
	split("female male unknown", sex, " ")
	split("3 8 13", age, " ")
	letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	id = 0
	for (t = 0; t < n; t++) {
		nat = substr(letters, int(t / 26) + 1, 1) \
		    substr(letters, t % 26 + 1, 1)
		for (s = 1; s <= 3; s++)
			for (a = 1; a <= 3; a++) {
				r = rand()
				c = r < 0.15 ? 0 : r < 0.5 ? 1 + int(rand() * 4) : \
				    5 + int(rand() * 26)
				for (i = 0; i < c; i++) {
					id++
					printf "%s %s %s %d\n", nat, sex[s], age[a], id
				}
			}
	}
}' | while read -r nat sex age n; do
	id=$(printf 'NDR-2024-%05d' "$n")
	mkdir -p records/cases/2024
	cat >"records/cases/2024/$id.yaml" <<CASE
id: $id
registered: 2024-03-14
site: nador
partner: asticude
source: outreach
sex: $sex
age: $age
nationality: $nat
protection_status: unaccompanied
risk_level: high
status: open
consent:
  reporting: true
CASE
done
git add -A && git commit -q -m tables
if ! enas-check --all >/dev/null 2>&1; then
	echo "bench: the generated tables do not pass enas-check" >&2
	enas-check --all >&2 || true
	exit 2
fi

letters=ABCDEFGHIJKLMNOPQRSTUVWXYZ
ours=0 best=0 refused=0 protectable=0 worst=1 open=0 t=0
while [ "$t" -lt "$NTABLES" ]; do
	nat=$(printf '%s%s' "$(printf %s $letters | cut -c$((t / 26 + 1)))" \
	    "$(printf %s $letters | cut -c$((t % 26 + 1)))")
	t=$((t + 1))
	q="cases -g sex,age:band -w nationality=$nat --totals"
	enas-stats $q -k 0 >"$dir/v.tsv"
	min=$("$dir/minsup" $K "$MAXSEARCH" <"$dir/v.tsv")
	if ! enas-stats $q -k $K >"$dir/t.tsv" 2>/dev/null; then
		refused=$((refused + 1))
		# A refusal is wrong when the search finds a pattern.
		case $min in
		*+) ;;
		*) protectable=$((protectable + 1)) ;;
		esac
		printf 'bench: table %s: refused; fewest found %s\n' "$nat" \
		    "$min"
		continue
	fi
	mine=$(grep -c '	x$' "$dir/t.tsv" || true)
	case $min in
	*+) open=$((open + 1)); min=${min%+} ;;
	esac
	ours=$((ours + mine))
	best=$((best + min))
	printf 'bench: table %s: %d complements, fewest found %d\n' \
	    "$nat" "$mine" "$min"
done
echo "bench: suppression on $NTABLES random tables (k=$K): $ours complements" \
    "against $best found by search (ratio $(awk -v a=$ours -v b=$best \
    'BEGIN { printf "%.2f", b ? a / b : (a ? 99 : 1) }')), $refused refused" \
    "($protectable of them protectable by a pattern the search found)," \
    "$open searches stopped at $MAXSEARCH cells"
