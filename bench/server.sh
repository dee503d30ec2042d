#!/bin/sh
# bench/server.sh REPO: the shared server's figures, on the bench's
# records repository (bench/run.sh calls it): the enas pre-receive hook
# alone, on a push of one new case; and, as root with gitolite3 and
# sshd, one push of one case over ssh through everything a push meets
# (sshd, gitolite, the enas hook, gitolite's update hook and the enas
# VREF), to a server set up by server/enas-server-setup that holds the
# same repository.  Each figure is the median of RUNS runs (at most 10).
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${ENAS_BUILD:-$src/build}
repo=$1
dir=$(cd "$repo/.." && pwd)
RUNS=${RUNS:-5}
[ "$RUNS" -le 10 ] || RUNS=10
PATH=$build:$PATH
export PATH GIT_CONFIG_NOSYSTEM=1 LC_ALL=C NO_COLOR=1
export GIT_AUTHOR_NAME='Bench Office' GIT_AUTHOR_EMAIL=bench@example.org
export GIT_COMMITTER_NAME='Bench Office' GIT_COMMITTER_EMAIL=bench@example.org

# A synthetic case (no real child) with id $1, as a blob in the
# repository git is pointed at; prints the blob's id.
case_blob() {
	git hash-object -w --stdin <<EOF
id: $1
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
EOF
}

# new_commit PARENT ID: a commit on PARENT that adds case ID, made with
# plumbing (no working tree, no ref); prints its id.
new_commit() {
	GIT_INDEX_FILE=$dir/server.index git read-tree "$1"
	blob=$(case_blob "$2")
	GIT_INDEX_FILE=$dir/server.index git update-index --add \
	    --cacheinfo "100644,$blob,records/cases/2024/$2.yaml"
	tree=$(GIT_INDEX_FILE=$dir/server.index git write-tree)
	git commit-tree -p "$1" -m "case $2: new" "$tree"
}

# The median, in milliseconds, of the times (microseconds) in $dir/times.
median_ms() {
	sort -n "$dir/times" | awk '{ v[NR] = $1 }
	    END { printf "%.0f\n", v[int((NR + 1) / 2)] / 1000 }'
}

# The hook alone: what git runs on the server for a push of one new
# case, with the objects already received.
cd "$repo"
old=$(git rev-parse HEAD)
: >"$dir/times"
i=0
while [ $i -lt "$RUNS" ]; do
	new=$(new_commit "$old" "NDR-2024-ZZZZ$i")
	t0=$(date +%s%N)
	echo "$old $new refs/heads/main" |
	    GL_USER=nador enas-check --pre-receive >/dev/null 2>&1 ||
	    echo "bench: the hook refused the bench's case" >&2
	t1=$(date +%s%N)
	echo $(( (t1 - t0) / 1000 )) >>"$dir/times"
	i=$((i + 1))
done
rm -f "$dir/server.index"
printf '%-52s %9s ms\n' "pre-receive hook alone, a push of one new case" \
    "$(median_ms)"

# One push over ssh: needs root (a server user, an sshd of our own on
# 127.0.0.1), gitolite3 and openssh-server.
if [ "$(id -u)" != 0 ] || ! command -v gitolite >/dev/null 2>&1 ||
    [ ! -x /usr/sbin/sshd ] || ! command -v runuser >/dev/null 2>&1; then
	echo "one push of one case over ssh: skipped (needs root, gitolite3 and openssh-server)"
	exit 0
fi
u=enasb$$
work=$dir/server.$$
sshd_pid=
cleanup() {
	if [ -n "$sshd_pid" ]; then
		kill "$sshd_pid" 2>/dev/null || true
		wait "$sshd_pid" 2>/dev/null || true
	fi
	if getent passwd "$u" >/dev/null 2>&1; then
		userdel -f "$u" >/dev/null 2>&1 || true
		! getent group "$u" >/dev/null 2>&1 || groupdel "$u" || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP
mkdir -p "$work/inst/bin" "$work/inst/share/enas" "$work/pub"
chmod 711 "$work"
cp "$build"/enas* "$work/inst/bin/"
cp -r "$src/records/rules" "$src/records/partners" "$src/hooks" \
    "$src/server" "$work/inst/share/enas/"
chmod -R a+rX "$work/inst"
for p in admin nador; do
	ssh-keygen -q -t ed25519 -N '' -C "$p" -f "$work/$p"
	cp "$work/$p.pub" "$work/pub/"
done
if ! env PATH="$work/inst/bin:$PATH" ENAS_DATADIR="$work/inst/share/enas" \
    sh "$src/server/enas-server-setup" -S -u "$u" -d "$work/home" \
    -o nador=NDR "$work/pub" >"$work/setup.log" 2>&1; then
	cat "$work/setup.log" >&2
	echo "one push of one case over ssh: skipped (enas-server-setup failed)"
	exit 0
fi
# The server's repository holds the bench's: its packs, copied.
recs=$work/home/repositories/records.git
cp -r "$repo/.git/objects/." "$recs/objects/"
chown -R "$u:$u" "$recs"
runuser -u "$u" -- git --git-dir="$recs" update-ref refs/heads/main "$old"

mkdir -p /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$work/hostkey"
port=$(perl -MIO::Socket::INET -e '
    my $s = IO::Socket::INET->new(Listen => 1, LocalAddr => "127.0.0.1",
        LocalPort => 0) or exit 1;
    print $s->sockport')
cat >"$work/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $work/hostkey
PidFile none
AuthorizedKeysFile .ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
AllowUsers $u
PermitRootLogin no
EOF
/usr/sbin/sshd -D -f "$work/sshd_config" -E "$work/sshd.log" &
sshd_pid=$!
cat >"$work/ssh_config" <<EOF
Host nador
  HostName 127.0.0.1
  Port $port
  User $u
  IdentityFile $work/nador
  IdentitiesOnly yes
  BatchMode yes
  StrictHostKeyChecking no
  UserKnownHostsFile $work/known_hosts
  LogLevel ERROR
EOF
export GIT_SSH_COMMAND="ssh -F $work/ssh_config"
i=0
until ssh -F "$work/ssh_config" nador info >/dev/null 2>&1; do
	i=$((i + 1))
	if [ $i -gt 50 ]; then
		echo "one push of one case over ssh: skipped (sshd did not start)"
		exit 0
	fi
	sleep 0.2
done

# Each run pushes one new case on top of the last, from the bench's
# repository (it has every object the server has).
: >"$dir/times"
tip=$old
i=0
while [ $i -lt "$RUNS" ]; do
	new=$(new_commit "$tip" "NDR-2024-ZZZY$i")
	t0=$(date +%s%N)
	if git push -q nador:records "$new:refs/heads/main" 2>"$work/push.err"
	then
		tip=$new
	else
		echo "bench: the push was refused:" >&2
		cat "$work/push.err" >&2
	fi
	t1=$(date +%s%N)
	echo $(( (t1 - t0) / 1000 )) >>"$dir/times"
	i=$((i + 1))
done
rm -f "$dir/server.index"
printf '%-52s %9s ms\n' "one push of one case over ssh, gitolite, hooks" \
    "$(median_ms)"
t0=$(date +%s%N)
ssh -F "$work/ssh_config" nador info >/dev/null 2>&1
t1=$(date +%s%N)
printf '%-52s %9s ms\n' "  of which an ssh connection to gitolite" \
    "$(( (t1 - t0) / 1000000 ))"
