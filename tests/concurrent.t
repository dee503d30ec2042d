#!/bin/sh
# Four clones pushing at the same moment, in a loop: each round an
# office writes one new case, commits it (through the pre-commit hook)
# and pushes; a push the remote refuses because another landed first is
# followed by a fetch, a rebase (two offices) or a merge (the other two)
# and another push.  Every push lands or is refused as non-fast-forward
# (or, when two reach the remote's ref at once, as a failed ref update);
# at the end the remote holds every case created, each once.
. "$(dirname "$0")/lib.sh"

# Under valgrind each tool runs 30 times slower: fewer rounds.
rounds=${ENAS_ROUNDS:-$(sampled 50 15 5)}
[ -n "$ENAS_VALGRIND" ] && rounds=${ENAS_ROUNDS:-4}

plan 9

shared_remote "$TMP/srv.git"
for o in CAS MRK OUJ NDR; do
	office_clone "$TMP/srv.git" "$TMP/$o"
done

# worker OFFICE ROUNDS merge|rebase: writes "landed refused raced" to
# $TMP/OFFICE.result; anything unexpected goes to $TMP/OFFICE.log, and
# the worker exits 1.
worker() {
	office=$1
	cd "$TMP/$office" || exit 2
	log=$TMP/$office.log
	site=$(echo "$office" | sed 's/CAS/casablanca/; s/MRK/marrakech/; s/OUJ/oujda/; s/NDR/nador/')
	seed=$(echo "$office" | sed 's/CAS/1/; s/MRK/2/; s/OUJ/3/; s/NDR/4/')
	landed=0 refused=0 raced=0 i=0
	while [ $i -lt "$2" ]; do
		id=$(printf '%s-2024-%05d' "$office" "$i")
		write_case "records/cases/2024/$id.yaml" "$id"
		sed -i "s/^site: nador/site: $site/" "records/cases/2024/$id.yaml"
		git add records >>"$log" 2>&1 &&
		    git commit -q -m "case $id: new" >>"$log" 2>&1 || exit 1
		tries=0
		while ! git push -q origin main 2>"$TMP/$office.err"; do
			if ! grep -q -e '(fetch first)' -e '(non-fast-forward)' \
			    -e '(failed to update ref)' -e 'cannot lock ref' \
			    "$TMP/$office.err"; then
				cat "$TMP/$office.err" >>"$log"
				exit 1
			fi
			refused=$((refused + 1))
			grep -q -e '(failed to update ref)' -e 'cannot lock ref' \
			    "$TMP/$office.err" && raced=$((raced + 1))
			tries=$((tries + 1))
			if [ $tries -gt 1000 ]; then
				echo "round $i: 1000 refusals in a row" >>"$log"
				exit 1
			fi
			# A random pause, longer after each refusal, so that
			# the slower offices (a merge runs a hook) get a turn.
			sleep "$(awk -v seed="$seed$i$tries" -v n="$tries" 'BEGIN {
			    srand(seed); if (n > 8) n = 8
			    printf "%.3f", rand() * n * 0.05 }')"
			if [ "$3" = rebase ]; then
				git pull -q --rebase >>"$log" 2>&1 || exit 1
			else
				git pull -q --no-rebase --no-edit >>"$log" 2>&1 ||
				    exit 1
			fi
		done
		landed=$((landed + 1))
		i=$((i + 1))
	done
	echo "$landed $refused $raced" >"$TMP/$office.result"
}

# Start all four at once, in background subshells (which inherit the
# functions and the environment, not the traps); a watchdog stops them
# after 15 minutes.
start=$(date +%s)
pids=
for w in CAS:rebase MRK:merge OUJ:rebase NDR:merge; do
	(worker "${w%:*}" "$rounds" "${w#*:}") &
	pids="$pids $!"
done
(
	i=0
	while [ $i -lt 900 ]; do
		sleep 1
		i=$((i + 1))
	done
	echo "# watchdog: stopping the workers"
	for p in $pids; do
		kill "$p" 2>/dev/null
	done
) &
watchdog=$!
failed=0
for p in $pids; do
	wait "$p" || failed=$((failed + 1))
done
elapsed=$(($(date +%s) - start))
kill "$watchdog" 2>/dev/null
wait "$watchdog" 2>/dev/null
for o in CAS MRK OUJ NDR; do
	[ -s "$TMP/$o.log" ] && sed "s/^/# $o: /" "$TMP/$o.log"
done
is 0 "$failed" "four offices, $rounds rounds each, all finish (${elapsed}s)"

total_refused=0
total_raced=0
all=
for o in CAS MRK OUJ NDR; do
	read -r landed refused raced <"$TMP/$o.result" 2>/dev/null ||
	    landed=0 refused=0 raced=0
	all="$all $o:$landed"
	total_refused=$((total_refused + refused))
	total_raced=$((total_raced + raced))
done
is " CAS:$rounds MRK:$rounds OUJ:$rounds NDR:$rounds" "$all" \
    "every push landed, after $total_refused refusals ($total_raced of them at the ref update)"

git clone -q "$TMP/srv.git" "$TMP/final"
cd "$TMP/final" || exit 2
is "$((4 * rounds))" "$(git ls-files records/cases | wc -l)" \
    "the remote holds every case created"
is "0" "$(git ls-files records/cases | sed 's|.*/||' | sort | uniq -d | wc -l)" \
    "each once"
for o in CAS MRK OUJ NDR; do
	n=$(git ls-files "records/cases/2024/$o-*" | wc -l)
	[ "$n" = "$rounds" ] || echo "# $o: $n of $rounds"
done
is "$((4 * rounds + 2))" "$(git rev-list --no-merges HEAD | wc -l)" \
    "one commit per case, plus the two of the remote's set-up"
run enas-check --all
is "0:" "$rc:$err" "enas-check --all passes on the final tree"
git rev-list --all >"$TMP/commits"
bad=0
while read -r c; do
	enas-check -r "$c" >/dev/null 2>&1 || bad=$((bad + 1))
done <"$TMP/commits"
is 0 "$bad" "and on every commit the remote holds ($(wc -l <"$TMP/commits"))"
unpushed=
for o in CAS MRK OUJ NDR; do
	git -C "$TMP/$o" fetch -q
	git -C "$TMP/$o" merge-base --is-ancestor main origin/main ||
	    unpushed="$unpushed $o"
done
is "" "$unpushed" "no clone holds a commit the remote lacks"
is "" "$(git -C "$TMP/srv.git" for-each-ref --format='%(refname)' | grep -v '^refs/heads/main$')" \
    "and the remote has no other ref"

done_testing
