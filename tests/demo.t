#!/bin/sh
# make demo: the synthetic year reproduces the programme's published
# figures, and README.md shows exactly what it prints.
. "$(dirname "$0")/lib.sh"

if [ -n "$ENAS_VALGRIND" ]; then
	echo "1..0 # SKIP the demo makes 366 commits; too slow under valgrind"
	exit 0
fi
plan 5

sh "$ENAS_SRC/tests/demo.sh" "$TMP/demo" >"$TMP/demo.out" 2>&1
ok $? "the demo runs, every day committed through the hook"
out=$(cat "$TMP/demo.out")

printf '%s\n' "$out" | grep -A6 '^\$ enas-stats cases -g site -p 2024' |
    grep -E '^(casablanca|marrakech|nador|total) ' | tr -s ' ' >"$TMP/sites"
is "casablanca 138
marrakech 232
nador 672
total 1042" "$(cat "$TMP/sites")" "1 042 ENAS: 232 in Marrakech, 672 in Nador, 138 in Casablanca"

printf '%s\n' "$out" | grep -A4 '^\$ enas-stats sessions' |
    grep -E '^(awareness|training|total) ' | tr -s ' ' >"$TMP/sessions"
is "awareness 8 150
training 4 90
total 12 240" "$(cat "$TMP/sessions")" "240 participants: 150 ENAS in awareness, 90 actors in training"

sites=$(cd "$TMP/demo" && enas-stats sessions -g site --no-header | cut -f1 | tr '\n' ' ')
is "casablanca marrakech nador oujda " "$sites" "sessions in Casablanca, Marrakech, Oujda and Nador"

readme=$(awk '/^What `make demo` does:/ { on = 1; next }
	on && /^`--publish`/ { exit }
	on && /^    / { print substr($0, 5); seen = 1; next }
	on && seen && /^$/ { print }' "$ENAS_SRC/README.md")
is "$out" "$readme" "README.md shows exactly what make demo prints"

done_testing
