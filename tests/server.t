#!/bin/sh
# The shared server for real: gitolite3 over ssh, set up by
# server/enas-server-setup as the README says, for a user of its own,
# with five keys (an admin and the four offices), behind an sshd of the
# test's own on 127.0.0.1 (a free high port, its own host key and
# config, stopped by its PID).  Proves over ssh that each office pushes
# its own cases, that another office's code, an office's rules change,
# an invalid record, a force-push, a deletion and a push without the
# enas hook are refused, and that four offices running enas sync at
# once lose nothing.  Needs root (a user, an sshd); skips only when
# gitolite3 or sshd cannot be installed or run.
. "$(dirname "$0")/lib.sh"

skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

[ "$(id -u)" = 0 ] ||
	skip_all "needs root to make the server's user and run sshd (CI runs as root)"
if ! command -v gitolite >/dev/null 2>&1 || [ ! -x /usr/sbin/sshd ]; then
	if command -v apt-get >/dev/null 2>&1; then
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		    gitolite3 openssh-server >/dev/null 2>&1 ||
		    { apt-get update -qq >/dev/null 2>&1 &&
		    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		    gitolite3 openssh-server >/dev/null 2>&1; }
	fi
	command -v gitolite >/dev/null 2>&1 && [ -x /usr/sbin/sshd ] ||
		skip_all "cannot install gitolite3 and openssh-server"
fi
for c in runuser adduser ssh ssh-keygen perl; do
	command -v $c >/dev/null 2>&1 || skip_all "no $c"
done

# Four offices, each this many syncs at once (fewer under valgrind).
rounds=${ENAS_SERVER_ROUNDS:-$(sampled 20 20 5)}
[ -n "$ENAS_VALGRIND" ] && rounds=${ENAS_SERVER_ROUNDS:-3}

plan 34

# The server's user, its home in $TMP (which it must be able to
# enter), and what it runs: enas installed as make install would,
# where that user can read it.
u=enast$$
srv=$TMP/srv
policy=
sshd_pid=
cleanup() {
	if [ -n "$sshd_pid" ]; then
		kill "$sshd_pid" 2>/dev/null
		wait "$sshd_pid" 2>/dev/null
	fi
	if getent passwd "$u" >/dev/null 2>&1; then
		userdel -f "$u" >/dev/null 2>&1
		getent group "$u" >/dev/null 2>&1 && groupdel "$u" >/dev/null 2>&1
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP PIPE
chmod 711 "$TMP"

inst=$TMP/inst
mkdir -p "$inst/bin" "$inst/real" "$inst/share/enas"
for t in "$ENAS_BUILD"/enas*; do
	[ -x "$t" ] || continue
	cp "$t" "$inst/real/"
	if [ -n "$ENAS_VALGRIND" ]; then
		cat >"$inst/bin/${t##*/}" <<EOF
#!/bin/sh
exec valgrind -q --error-exitcode=99 --leak-check=full \\
    --errors-for-leak-kinds=definite --show-leak-kinds=definite \\
    "$inst/real/${t##*/}" "\$@"
EOF
		chmod 755 "$inst/bin/${t##*/}"
	else
		cp "$t" "$inst/bin/"
	fi
done
cp -r "$ENAS_SRC/records/rules" "$ENAS_SRC/records/partners" \
    "$ENAS_SRC/hooks" "$ENAS_SRC/server" "$inst/share/enas/"
chmod -R a+rX "$inst"

# Five people, five keys; gitolite names each by its key's file name.
mkdir -p "$TMP/keys" "$TMP/pub"
for p in admin casablanca marrakech oujda nador; do
	ssh-keygen -q -t ed25519 -N '' -C "$p" -f "$TMP/keys/$p"
	cp "$TMP/keys/$p.pub" "$TMP/pub/"
done

# The README's steps: enas installed, then enas-server-setup with the
# keys.  -S: leave the system's sshd alone; -u, -d: a user of our own.
run env PATH="$inst/bin:$PATH" ENAS_DATADIR="$inst/share/enas" \
    "$ENAS_SRC/server/enas-server-setup" -S -u "$u" -d "$srv" "$TMP/pub"
is 0 "$rc" "enas-server-setup sets the server up" ||
	printf '%s\n' "$err" | sed 's/^/# /'
recs=$srv/repositories/records.git

# as_server CMD...: run as the server's user, as the hook runs.
as_server() {
	runuser -u "$u" -- env HOME="$srv" PATH="$inst/bin:/usr/bin:/bin" \
	    ENAS_NO_JIT="$ENAS_NO_JIT" "$@"
}
is "refs/heads/master:refs/heads/main:true:true:true" \
    "$(git --git-dir="$srv/repositories/gitolite-admin.git" symbolic-ref HEAD):$(as_server git --git-dir="$recs" symbolic-ref HEAD):$(as_server git --git-dir="$recs" config receive.fsckObjects):$(as_server git --git-dir="$recs" config receive.denyNonFastForwards):$(as_server git --git-dir="$recs" config receive.denyDeletes)" \
    "the admin repository on master; records on main, fsck, no rewind, no deletion"
is "admin
casablanca=CAS marrakech=MRK oujda=OUJ nador=NDR" \
    "$(as_server git --git-dir="$recs" config --get-all enas.admin)
$(as_server git --git-dir="$recs" config --get-regexp '^enas\.office\.' | sed 's/^enas\.office\.//; s/ /=/' | tr '\n' ' ' | sed 's/ $//')" \
    "enas.admin and enas.office.<user> are set"
is "$u:$u" "$(stat -c %U:%G "$recs/HEAD")" "the server's user owns the repository"

# The test's own sshd: a free port, its own host key and config.
mkdir -p /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$TMP/hostkey"
start_sshd() {
	port=$(perl -MIO::Socket::INET -e '
	    my $s = IO::Socket::INET->new(Listen => 1,
	        LocalAddr => "127.0.0.1", LocalPort => 0) or exit 1;
	    print $s->sockport')
	cat >"$TMP/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $TMP/hostkey
PidFile none
AuthorizedKeysFile .ssh/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
AllowUsers $u
PermitRootLogin no
MaxStartups 50
EOF
	/usr/sbin/sshd -D -f "$TMP/sshd_config" -E "$TMP/sshd.log" &
	sshd_pid=$!
	cat >"$TMP/ssh_config" <<EOF
Host *
  HostName 127.0.0.1
  Port $port
  User $u
  IdentitiesOnly yes
  BatchMode yes
  StrictHostKeyChecking no
  UserKnownHostsFile $TMP/known_hosts
  LogLevel ERROR
  ConnectTimeout 20
EOF
	for p in admin casablanca marrakech oujda nador; do
		printf 'Host %s\n  IdentityFile %s\n' "$p" "$TMP/keys/$p" \
		    >>"$TMP/ssh_config"
	done
	i=0
	while [ $i -lt 50 ]; do
		ssh -F "$TMP/ssh_config" admin info >/dev/null 2>&1 && return 0
		kill -0 "$sshd_pid" 2>/dev/null || return 1
		sleep 0.2
		i=$((i + 1))
	done
	return 1
}
tries=0
until start_sshd; do
	kill "$sshd_pid" 2>/dev/null
	wait "$sshd_pid" 2>/dev/null
	sshd_pid=
	tries=$((tries + 1))
	[ $tries -lt 3 ] || skip_all "cannot run sshd on 127.0.0.1: $(tail -n 1 "$TMP/sshd.log")"
done
export GIT_SSH_COMMAND="ssh -F $TMP/ssh_config"

run ssh -F "$TMP/ssh_config" casablanca info
printf '%s\n' "$out" | grep -q "^hello casablanca, this is $u@" &&
    printf '%s\n' "$out" | grep -q "^ R W	records$" &&
    ! printf '%s\n' "$out" | grep -q 'testing'
ok $? "over ssh, gitolite knows casablanca, who may read and write records, and nothing else"

# The admin makes the first commit: the rules and partners.
remote_main() {
	as_server git --git-dir="$recs" rev-parse -q --verify refs/heads/main
}
if [ -z "$(remote_main)" ]; then
	enas init "$TMP/admin" >/dev/null
	git -C "$TMP/admin" remote add origin admin:records
	run git -C "$TMP/admin" push -q origin HEAD:main
	is 0 "$rc" "the admin pushes the first commit" ||
	    printf '%s\n' "$err" | sed 's/^/# /'
	git -C "$TMP/admin" fetch -q origin
	git -C "$TMP/admin" branch -q -u origin/main 2>/dev/null
else
	git clone -q admin:records "$TMP/admin"
	enas init "$TMP/admin" >/dev/null
	ok 0 "enas init --bare made the first commit"
fi

# Each office: a clone, enas init (hooks, merge driver), its code.
for o in casablanca:CAS marrakech:MRK oujda:OUJ nador:NDR; do
	git clone -q "${o%:*}:records" "$TMP/${o%:*}" &&
	    (cd "$TMP/${o%:*}" && enas init >/dev/null &&
	    git config enas.office "${o#*:}" && git config gc.auto 0)
done
# office_case OFFICE ID [SITE]: commit a new case in OFFICE's clone.
office_case() {
	write_case "$TMP/$1/records/cases/2024/$2.yaml" "$2"
	sed -i "s/^site: nador/site: ${3:-$1}/" \
	    "$TMP/$1/records/cases/2024/$2.yaml"
	git -C "$TMP/$1" add records &&
	    git -C "$TMP/$1" commit -q -m "case $2: new"
}

for o in casablanca:CAS marrakech:MRK oujda:OUJ nador:NDR; do
	office_case "${o%:*}" "${o#*:}-2024-00001"
	git -C "$TMP/${o%:*}" pull -q --rebase
	run git -C "$TMP/${o%:*}" push -q origin main
	is "0:" "$rc:$err" "${o%:*} pushes its own case"
done
for o in casablanca marrakech oujda nador; do
	git -C "$TMP/$o" pull -q --rebase
done

# Policy by identity (who may change the rules, which office code a
# pusher may create, which refs) is enas-check --pre-receive's, from
# GL_USER (issue 9); until the library reads it, those checks are TODO.
todo=
grep -q GL_USER "$ENAS_SRC"/lib/*.c ||
	todo=" # TODO enas-check --pre-receive does not read GL_USER yet"

# todo_ok STATUS DESCRIPTION: ok, except that a failure marked TODO
# does not fail the test.
todo_ok() {
	ok "$1" "$2"
	if [ "$1" -ne 0 ] && [ -n "$policy" ]; then
		nfail=$((nfail - 1))
	fi
	return "$1"
}

# refused OFFICE WHAT [PUSH ARGS...]: the push is refused, the server's
# main is unchanged; $err holds what the pusher saw.
refused() {
	who=$1
	what=$2
	shift 2
	before=$(remote_main)
	run git -C "$TMP/$who" push "$@"
	[ "$rc" -ne 0 ] && [ "$before" = "$(remote_main)" ]
	todo_ok $? "$what: refused, main unchanged$policy" ||
	    printf '%s\n' "$err" | sed 's/^/# /'
}

# Another office's code.
office_case casablanca NDR-2024-00002 nador
policy=$todo
refused casablanca "casablanca adds a case with Nador's code" -q origin main
printf '%s\n' "$err" | grep -q '^remote: .*NDR-2024-00002'
todo_ok $? "the pusher is told which record$policy" ||
    printf '%s\n' "$err" | sed 's/^/# /'
git -C "$TMP/casablanca" reset -q --hard origin/main

# An office may edit another office's case (a referral, a transfer).
f=records/cases/2024/NDR-2024-00001.yaml
sed -i 's/^risk_level: .*/risk_level: medium/' "$TMP/casablanca/$f"
git -C "$TMP/casablanca" commit -q -a -m 'case NDR-2024-00001: risk_level'
run git -C "$TMP/casablanca" push -q origin main
is "0:" "$rc:$err" "casablanca edits a Nador case"

# The rules: an office may not change them; the admin may.
rules_change() {
	sed -i "s/'ISO code[^']*'/'$2'/" \
	    "$TMP/$1/records/rules/case.yaml"
	git -C "$TMP/$1" commit -q -a --no-verify -m 'rules: nationality message'
}
git -C "$TMP/oujda" pull -q --rebase
policy=$todo
rules_change oujda 'ISO 3166-1 alpha-2 code, or XX'
refused oujda "oujda changes the rules" -q origin main
policy=
git -C "$TMP/oujda" reset -q --hard origin/main
git -C "$TMP/admin" pull -q --rebase
rules_change admin 'ISO 3166-1 alpha-2 country code, XX if unknown'
run git -C "$TMP/admin" push -q origin HEAD:main
is "0:" "$rc:$err" "the admin changes the rules"

# An invalid record, committed past the client's hook: the pusher sees
# the diagnostic.
git -C "$TMP/marrakech" pull -q --rebase
office_case marrakech MRK-2024-00002
sed -i 's/^age: 15/age: 19/' "$TMP/marrakech/records/cases/2024/MRK-2024-00002.yaml"
git -C "$TMP/marrakech" commit -q -a --no-verify -m 'case MRK-2024-00002: age'
bad=$(git -C "$TMP/marrakech" rev-parse --short=7 HEAD)
refused marrakech "an invalid record" -q origin main
printf '%s\n' "$err" | grep -q "^remote: $bad:records/cases/2024/MRK-2024-00002.yaml:7:6: error: age: 19 is above 17 (ENAS are minors: age is 0 to 17 at registration)"
ok $? "the pusher sees the diagnostic, naming the commit, file, line and fix" ||
    printf '%s\n' "$err" | sed 's/^/# /'
git -C "$TMP/marrakech" reset -q --hard origin/main

# History stays: no force-push, no deletion, no other branch.
git -C "$TMP/nador" pull -q --rebase
git -C "$TMP/nador" reset -q --hard HEAD~1
office_case nador NDR-2024-00003
refused nador "a force-push" -q -f origin main
refused nador "deleting main" -q origin :main
policy=$todo
refused nador "a branch other than main" -q origin HEAD:refs/heads/side
policy=
git -C "$TMP/nador" reset -q --hard origin/main

# Fail closed: without the enas hook in the repository, gitolite's
# VREF refuses every push; enas-server-setup puts it back.
mv "$recs/hooks/pre-receive" "$TMP/pre-receive.aside"
office_case nador NDR-2024-00004
refused nador "a push while the enas hook is missing" -q origin main
printf '%s\n' "$err" | grep -q '^remote: enas: records has no enas pre-receive hook'
ok $? "the pusher is told why" || printf '%s\n' "$err" | sed 's/^/# /'
run env PATH="$inst/bin:$PATH" ENAS_DATADIR="$inst/share/enas" \
    "$ENAS_SRC/server/enas-server-setup" -S -u "$u" -d "$srv" "$TMP/pub"
is 0 "$rc" "enas-server-setup again repairs it" ||
	printf '%s\n' "$err" | sed 's/^/# /'
run git -C "$TMP/nador" push -q origin main
is "0:" "$rc:$err" "and the push is taken"
chmod -x "$recs/hooks/pre-receive"
office_case nador NDR-2024-00005
refused nador "a push while the enas hook is not executable" -q origin main
chmod +x "$recs/hooks/pre-receive"
mv "$inst/bin/enas-check" "$inst/enas-check.aside"
refused nador "a push while enas-check is not installed" -q origin main
mv "$inst/enas-check.aside" "$inst/bin/enas-check"
run git -C "$TMP/nador" push -q origin main
is "0:" "$rc:$err" "with enas-check back, it is taken"

# Four offices, each $rounds rounds of: a new case, enas sync, at once.
for o in casablanca marrakech oujda nador; do
	git -C "$TMP/$o" pull -q --rebase
done
git -C "$TMP/marrakech" config enas.sync merge
git -C "$TMP/nador" config enas.sync merge
# Four offices pushing without pause lose races far more often than
# offices do, and on a loaded machine each round is slow: allow more
# retries than the default 10, so that only a refusal, a stopped merge
# or a lost commit fails the test, not the machine's load.
for o in casablanca marrakech oujda nador; do
	git -C "$TMP/$o" config enas.syncRetries 40
done
worker() {
	o=$1
	code=$2
	i=1
	retries=0
	while [ $i -le "$rounds" ]; do
		id=$(printf '%s-2024-1%04d' "$code" "$i")
		office_case "$o" "$id" >>"$TMP/$o.log" 2>&1 || return 1
		enas-sync -C "$TMP/$o" >"$TMP/$o.out" 2>"$TMP/$o.err"
		rc=$?
		cat "$TMP/$o.err" >>"$TMP/$o.log"
		# Exit 2 says "your commits are safe ... enas sync again":
		# a person runs it again, once; the run is counted and shown.
		if [ $rc = 2 ]; then
			echo "round $i: enas sync: exit 2, run again" >>"$TMP/$o.log"
			sed "s/^/# $o, round $i (run again): /" "$TMP/$o.err" >&2
			echo "$o $i" >>"$TMP/again"
			enas-sync -C "$TMP/$o" >"$TMP/$o.out" 2>>"$TMP/$o.log"
			rc=$?
		fi
		if [ $rc != 0 ]; then
			echo "round $i: enas sync failed (exit $rc)" >>"$TMP/$o.log"
			return 1
		fi
		n=$(sed -n 's/.*(after \([0-9]*\) retr.*/\1/p' "$TMP/$o.out")
		retries=$((retries + ${n:-0}))
		i=$((i + 1))
	done
	echo "$retries" >"$TMP/$o.retries"
}
start=$(date +%s)
pids=
for o in casablanca:CAS marrakech:MRK oujda:OUJ nador:NDR; do
	(worker "${o%:*}" "${o#*:}") &
	pids="$pids $!"
done
failed=0
for p in $pids; do
	wait "$p" || failed=$((failed + 1))
done
secs=$(( $(date +%s) - start ))
is 0 "$failed" "4 offices x $rounds enas sync at once: every sync lands within its retries, or says the commits are safe and lands when run again" ||
	cat "$TMP"/*.log | sed 's/^/# /' >&2
total=0
for o in casablanca marrakech oujda nador; do
	total=$((total + $(cat "$TMP/$o.retries" 2>/dev/null || echo 0)))
done
echo "# $((4 * rounds)) syncs in ${secs}s, $total retries (another office had pushed first)," \
    "$(cat "$TMP/again" 2>/dev/null | wc -l | tr -d ' ') run again by hand"

git clone -q admin:records "$TMP/check"
subjects=$(git -C "$TMP/check" log --format=%s main | grep '^case [A-Z]*-2024-1[0-9]*: new$')
is "$((4 * rounds))" "$(printf '%s\n' "$subjects" | sort -u | wc -l | tr -d ' ')" \
    "every office's commits are on the server"
is "" "$(printf '%s\n' "$subjects" | sort | uniq -d)" "each exactly once"
n=$(ls "$TMP/check/records/cases/2024" | grep -c -- '-2024-1')
is "$((4 * rounds))" "$n" "every case is in the tree"
run enas-check -C "$TMP/check" -r main
is "0::" "$rc:$out:$err" "enas-check -r main passes on a fresh clone"
run as_server enas-check -C "$recs" -r main
is "0::" "$rc:$out:$err" "and on the server, as its user"
for o in casablanca marrakech oujda nador; do
	git -C "$TMP/$o" fetch -q
done
# Asked of merge-base, exact whatever the commit dates: rev-list
# origin/main..main orders its walk by date and, with every commit at
# the tests' one fixed date, may stop before it has seen all of
# origin/main's history, and count shared commits.
is "0 0 0 0" "$(for o in casablanca marrakech oujda nador; do
	git -C "$TMP/$o" merge-base --is-ancestor main origin/main; echo $?
	done | tr '\n' ' ' | sed 's/ $//')" \
    "no office has a commit the server lacks" ||
	for o in casablanca marrakech oujda nador; do
		echo "# $o: main $(git -C "$TMP/$o" rev-parse --short main)," \
		    "origin/main $(git -C "$TMP/$o" rev-parse --short origin/main)"
		sed 's/^/# /' "$TMP/$o.out" "$TMP/$o.log"
	done >&2

done_testing
