#!/bin/sh
# make bench: the speed figures of SPEC §8, as ratios to a floor measured
# in the same run.  A benchmark, not a test: it never fails on a figure.
#
# It generates (once, then keeps in build/bench/repo-SHAPE) a records
# repository of NCASES synthetic cases over NCOMMITS commits with
# bench/gen.c and git fast-import, then times each command RUNS times
# and prints the median.  SHAPE (SPEC section 8): "date", cases
# registered in date order, each commit touching one year's directory;
# "any", registered in any order, each commit touching every year's.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${ENAS_BUILD:-$src/build}
dir=$src/build/bench
SHAPE=${SHAPE:-date}
repo=$dir/repo-$SHAPE
NCASES=${NCASES:-100000}
NCOMMITS=${NCOMMITS:-10000}
RUNS=${RUNS:-5}
PATH=$build:$PATH
export PATH GIT_CONFIG_NOSYSTEM=1 LC_ALL=C NO_COLOR=1
mkdir -p "$dir"

${CC:-cc} -O2 -o "$dir/gen" "$src/bench/gen.c"
stamp="$(cksum <"$src/bench/gen.c" | cut -d' ' -f1) $NCASES $NCOMMITS $SHAPE"
if [ ! -f "$repo.stamp" ] || [ "$(cat "$repo.stamp")" != "$stamp" ]
then
	echo "bench: generating $NCASES cases in $NCOMMITS commits in $repo" \
	    "(registered in $SHAPE order)"
	start=$(date +%s)
	rm -rf "$repo" "$repo.stamp"
	mkdir -p "$repo/records" "$repo/hooks"
	git init -q -b main "$repo"
	cp -r "$src/records/rules" "$src/records/partners" "$repo/records/"
	cp "$src/hooks/pre-commit" "$src/hooks/pre-receive" "$repo/hooks/"
	(
		cd "$repo"
		git config user.name 'Bench Office'
		git config user.email bench@example.org
		git config core.hooksPath hooks
		git add -A
		GIT_AUTHOR_DATE='2014-12-31T10:00:00+01:00' \
		GIT_COMMITTER_DATE='2014-12-31T10:00:00+01:00' \
		    git commit -q -m 'records: rules and partners'
		"$dir/gen" "$(git rev-parse HEAD)" "$NCASES" "$NCOMMITS" \
		    "$SHAPE" |
		    git fast-import --quiet
		git reset -q --hard
		git gc -q
	)
	echo "$stamp" >"$repo.stamp"
	echo "bench: generated in $(( $(date +%s) - start ))s"
fi
cd "$repo"
git reset -q --hard

# median RUNS PREP CMD: the median wall time of CMD in seconds, PREP
# (a shell command) run untimed before each run.
median() {
	runs=$1
	prep=$2
	shift 2
	i=0
	: >"$dir/times"
	while [ "$i" -lt "$runs" ]; do
		sh -c "$prep"
		t0=$(date +%s%N)
		"$@" >/dev/null 2>&1 || true
		t1=$(date +%s%N)
		echo $(( (t1 - t0) / 1000 )) >>"$dir/times"
		i=$((i + 1))
	done
	sort -n "$dir/times" | awk '{ v[NR] = $1 }
	    END { printf "%.3f\n", v[int((NR + 1) / 2)] / 1e6 }'
}

# rss CMD: peak resident memory of CMD in MiB (GNU time's %M).
rss() {
	if [ ! -x /usr/bin/time ]; then
		echo "n/a (no /usr/bin/time)"
		return
	fi
	/usr/bin/time -f %M -o "$dir/rss" "$@" >/dev/null 2>&1 || true
	awk '{ printf "%.0f\n", $1 / 1024 }' "$dir/rss"
}

nocache='rm -rf .git/enas/stats-cache'
floor() {
	git ls-tree -r --format='%(objectname)' HEAD |
	    git cat-file --batch >/dev/null
}
literal() {
	git ls-tree -r HEAD | git cat-file --batch >/dev/null
}

nblobs=$(git ls-tree -r HEAD | wc -l)
ncommits=$(git rev-list --count HEAD)
echo "bench: $SHAPE order: $nblobs files at HEAD, $ncommits commits; $(nproc) CPUs;" \
    "median of $RUNS runs"

fl=$(median "$RUNS" : floor)
lit=$(median "$RUNS" : literal)
cold=$(median "$RUNS" "$nocache" enas-stats cases -g site)
cold1=$(median "$RUNS" "$nocache" env ENAS_STATS_THREADS=1 \
    enas-stats cases -g site)
enas-stats cases -g site >/dev/null
warm=$(median "$RUNS" : enas-stats cases -g site)
hcold=$(median 3 "$nocache" enas-stats cases --history -M)
enas-stats cases --history -M >/dev/null
hwarm=$(median "$RUNS" : enas-stats cases --history -M)
check=$(median 3 : enas-check --all)

py=
if ! python3 -c 'import yaml; yaml.CLoader' 2>/dev/null &&
    [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	echo "bench: installing python3-yaml for the comparison"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-yaml \
	    >/dev/null 2>&1 || true
fi
if python3 -c 'import yaml; yaml.CLoader' 2>/dev/null; then
	py=$(median 3 : python3 "$src/bench/count.py")
fi

# enas log of one record against git log of its path: a case from the
# middle of the tree, so that history before and after it is walked.
f=$(git ls-files records/cases | sed -n "$(( $(git ls-files records/cases |
    wc -l) / 2 ))p")
lid=${f##*/}
lid=${lid%.yaml}
glog=$(median "$RUNS" : git log --oneline -- "$f")
elog=$(median "$RUNS" : enas-log "$lid")
rss_log=$(rss enas-log "$lid")

f=$(git ls-files records/cases | head -n 1)
sed -i 's/^risk_level: medium/risk_level: high/' "$f"
git add "$f"
hook=$(median "$RUNS" : sh hooks/pre-commit)
git reset -q --hard

rm -rf .git/enas/stats-cache
rss_cold=$(rss enas-stats cases -g site)
rss_warm=$(rss enas-stats cases -g site)
rm -rf .git/enas/stats-cache
rss_hist=$(rss enas-stats cases --history -M)
rss_check=$(rss enas-check --all)

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}
row() {
	printf '%-52s %9s s %7sx floor  %s\n' "$1" "$2" "$(ratio "$2" "$fl")" \
	    "${3:-}"
}
echo
row "floor: git ls-tree -r | git cat-file --batch" "$fl" "(ls-tree --format=%(objectname))"
row "  as SPEC §8 writes it (reads no blob: all missing)" "$lit"
row "enas-stats cases -g site, cold (cache removed)" "$cold" "target 2x"
row "  the same on one thread" "$cold1"
row "enas-stats cases -g site, warm" "$warm" "target 0.2x"
if [ -n "$py" ]; then
	row "python3 PyYAML CLoader over the checked-out files" "$py" \
	    "enas-stats cold is $(ratio "$py" "$cold")x faster (target 10x)"
else
	echo "python3 with PyYAML's CLoader: not available, skipped"
fi
row "enas-stats cases --history -M, whole history, cold" "$hcold" \
    "$(ratio "$hcold" "$cold")x one cold snapshot (target 3x)"
row "enas-stats cases --history -M, warm" "$hwarm"
row "enas-check --all" "$check" "target 2x"
row "git log --oneline -- PATH, one case" "$glog"
row "enas log ID, the same case" "$elog" \
    "$(ratio "$elog" "$glog")x git log (target 2x)"
printf '%-52s %9s ms (target 50 ms)\n' "pre-commit hook, one staged change" \
    "$(awk -v s="$hook" 'BEGIN { printf "%.0f", s * 1000 }')"
printf '%-52s %9s MiB (target 200 MiB)\n' \
    "peak RSS: enas-stats cases -g site, cold" "$rss_cold"
printf '%-52s %9s MiB\n' "peak RSS: enas-stats cases -g site, warm" "$rss_warm"
printf '%-52s %9s MiB\n' "peak RSS: enas-stats --history -M, cold" "$rss_hist"
printf '%-52s %9s MiB\n' "peak RSS: enas-check --all" "$rss_check"
printf '%-52s %9s MiB\n' "peak RSS: enas log ID" "$rss_log"

# The shared server: the hook alone, and one push over ssh (bench/server.sh),
# on the first shape only.
if [ "$SHAPE" = date ]; then
	sh "$src/bench/server.sh" "$repo" || true
fi
