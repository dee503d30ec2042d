# tests/lib.sh: TAP for shell tests, and a throwaway records repository.
#
# Each test file sources this, calls plan N, and uses ok/is/run.  The
# tools come from $ENAS_BUILD (set by make check), the project from
# $ENAS_SRC.  Every test works in its own mktemp -d directory with a
# fixed identity and dates, and no user or system git config.

: "${ENAS_SRC:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${ENAS_BUILD:=$ENAS_SRC/build}"
export ENAS_SRC ENAS_BUILD

TMP=$(mktemp -d "${TMPDIR:-/tmp}/enas-test.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT

# With ENAS_VALGRIND=1 every tool runs under valgrind, which fails the
# test (exit 99) on a leak or an invalid access.
if [ -n "$ENAS_VALGRIND" ]; then
	mkdir -p "$TMP/vg"
	for t in "$ENAS_BUILD"/enas*; do
		[ -x "$t" ] || continue
		cat >"$TMP/vg/${t##*/}" <<VG
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite --show-leak-kinds=definite \
    "$t" "\$@"
VG
		chmod +x "$TMP/vg/${t##*/}"
	done
	export ENAS_NO_JIT=1
	PATH=$TMP/vg:$PATH
else
	PATH=$ENAS_BUILD:$PATH
fi
export PATH

export HOME="$TMP/home" GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1 LC_ALL=C
# The message catalogues of the build tree (make compiles po/*.po);
# LANGUAGE would choose a language over LC_ALL: tests/i18n.t sets it.
export ENAS_LOCALEDIR="$ENAS_BUILD/locale"
unset LANGUAGE
# enas-init's defaults: the project's own rules, partners and hooks.
export ENAS_DATADIR="$ENAS_SRC"
unset VISUAL EDITOR
export GIT_AUTHOR_NAME='Test Office' GIT_AUTHOR_EMAIL=office@example.org
export GIT_COMMITTER_NAME='Test Office' GIT_COMMITTER_EMAIL=office@example.org
export GIT_AUTHOR_DATE='2024-06-01T12:00:00Z' GIT_COMMITTER_DATE='2024-06-01T12:00:00Z'
mkdir -p "$HOME"
git config --global init.defaultBranch main
git config --global user.name 'Test Office'
git config --global user.email office@example.org

ntest=0
nfail=0

plan() { echo "1..$1"; }

ok() {
	ntest=$((ntest + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $ntest - $2"
	else
		echo "not ok $ntest - $2"
		nfail=$((nfail + 1))
	fi
}

# is WANT GOT DESCRIPTION: exact comparison, with a diff on failure;
# the diff goes to stderr, where prove shows it without -v; returns 1
# on failure, so that "is ... || show more" shows more.
is() {
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		printf '%s\n' "$1" >"$TMP/want"
		printf '%s\n' "$2" >"$TMP/got"
		diff -u "$TMP/want" "$TMP/got" | sed 's/^/# /' >&2
		return 1
	fi
}

# run CMD...: runs it, keeping stdout in $out, stderr in $err, the
# exit status in $rc.
run() {
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	out=$(cat "$TMP/out")
	err=$(cat "$TMP/err")
}
# sampled FULL SAMPLE [SAN]: the rounds of an expensive sweep: FULL under
# make check-full (ENAS_FULL=1), SAMPLE in make check, which CI runs, and
# SAN (when given) in make check SAN=1, which CI runs too.
sampled() {
	if [ -n "${ENAS_FULL:-}" ]; then
		echo "$1"
	elif [ "${ENAS_SAN:-}" = 1 ] && [ -n "${3:-}" ]; then
		echo "$3"
	else
		echo "$2"
	fi
}


# records_repo DIR: a git repository with the project's rules and
# partners committed, the project's hooks run through core.hooksPath
# (never a directory of the repository: SPEC §2).
records_repo() {
	mkdir -p "$1/records"
	git -C "$1" init -q
	cp -r "$ENAS_SRC/records/rules" "$ENAS_SRC/records/partners" "$1/records/"
	git -C "$1" config core.hooksPath "$ENAS_SRC/hooks"
	git -C "$1" add -A
	git -C "$1" commit -q -m 'records: rules and partners'
}

# merge_driver DIR: the merge driver set up in the repository at DIR as
# enas-init sets it up: git config, and .gitattributes (written, not
# committed, when there is none).
merge_driver() {
	git -C "$1" config merge.enas.name "enas field-level merge"
	git -C "$1" config merge.enas.driver "enas-merge %O %A %B %P"
	[ -e "$1/.gitattributes" ] ||
		printf 'records/**/*.yaml eol=lf merge=enas\n' >"$1/.gitattributes"
}

# shared_remote DIR: a bare repository with the pre-receive hook, set up
# as the README says, whose main holds a records repository with the
# merge driver's attributes, pushed by its admin (enas.admin = admin;
# the pusher is REMOTE_USER).
shared_remote() {
	records_repo "$1.seed"
	merge_driver "$1.seed"
	git -C "$1.seed" add .gitattributes
	git -C "$1.seed" commit -q -m 'records: merge driver'
	git init -q --bare "$1"
	git -C "$1" config gc.auto 0
	git -C "$1" config receive.denyNonFastForwards true
	git -C "$1" config receive.denyDeletes true
	git -C "$1" config enas.admin admin
	cp "$ENAS_SRC/hooks/pre-receive" "$1/hooks/"
	REMOTE_USER=admin git -C "$1.seed" push -q "$1" main
}

# office_clone REMOTE DIR: an office's clone of the shared remote, with
# the hooks and the merge driver.
office_clone() {
	git clone -q "$1" "$2"
	git -C "$2" config core.hooksPath "$ENAS_SRC/hooks"
	git -C "$2" config gc.auto 0
	merge_driver "$2"
}

# A valid synthetic case (not a real child): write_case FILE [ID].
write_case() {
	mkdir -p "$(dirname "$1")"
	cat >"$1" <<CASE
id: ${2:-NDR-2024-7K3QP}
registered: 2024-03-14
site: nador
partner: asticude
source: outreach
sex: male
age: 15
age_estimated: true
nationality: GN
protection_status: unaccompanied
concerns: [trafficked_smuggled, street_child]
risk_level: high
status: open
consent:
  given_by: child
  services: true
  share_with_orgs: true
  reporting: true
  tracing: false
care: residential_care
referrals:
  - date: 2024-03-15
    to: bayti
    service: safehouse
    status: accepted
follow_ups:
  - date: 2024-04-02
    type: in_care
CASE
}

done_testing() {
	[ "$nfail" -eq 0 ]
	exit $?
}
