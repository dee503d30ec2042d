# tests/tmux.sh: drive a terminal as a person does, for the tmux tests.
#
# tmux_start: a tmux server of its own (socket in $TMP) with one window,
# 100x50, running an interactive bash without rc files in the current
# directory.  T ARGS: a tmux command on that server.  send_text TEXT: keys
# typed literally; send_keys NAME...: keys by name (Enter, C-x, Escape).
# screen_has PATTERN [SECONDS]: poll the screen until a line matches the
# grep pattern, 0 when one does; 1 after the timeout (default
# $ENAS_TMUX_TIMEOUT, 30 s), with the screen shown as TAP comments.

: "${ENAS_TMUX_TIMEOUT:=30}"

# skip_all REASON: a TAP plan that skips every test.
skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

tmux_ready() {
	for c in tmux "$@"; do
		command -v "$c" >/dev/null || skip_all "$c is not installed"
	done
	[ -n "$ENAS_VALGRIND" ] &&
	    skip_all "a terminal driven by keys under valgrind is too slow to be robust; the same tools are under valgrind in edit.t and new.t"
}

T() {
	tmux -S "$TMP/tmux.sock" "$@"
}

tmux_start() {
	T -f /dev/null new-session -d -x 100 -y 50 -s t \
	    "env PS1='$ ' HISTFILE=/dev/null TERM=screen bash --norc --noprofile -i" ||
	    return 1
	# what runs in the terminal may still be writing as it goes
	trap 'T kill-server 2>/dev/null; sleep 0.3; rm -rf "$TMP"' EXIT
	trap 'exit 2' INT TERM HUP PIPE
	screen_has '^\$' 10
}

send_text() {
	T send-keys -t t -l "$1"
}

send_keys() {
	T send-keys -t t "$@"
}

# With TMUX_KEEP_SPACES set, trailing spaces are kept (-N): a completed
# word is followed by one.
screen() {
	T capture-pane -p ${TMUX_KEEP_SPACES:+-N} -t t
}

screen_has() {
	_end=$(( $(date +%s) + ${2:-$ENAS_TMUX_TIMEOUT} ))
	while :; do
		screen >"$TMP/screen" 2>/dev/null
		grep -q -- "$1" "$TMP/screen" && return 0
		[ "$(date +%s)" -ge "$_end" ] && break
		sleep 0.1
	done
	echo "# waited for: $1"
	sed 's/^/# | /' "$TMP/screen"
	return 1
}

# status_now: ask the shell for the exit status of what ran last (after
# a command that Ctrl-C stopped, with the rest of its line).
status_now() {
	send_text 'echo "rc=$?"'
	send_keys Enter
}

# run_in_shell COMMAND: type a command line and a marker of its exit
# status ("rc=N" on a line of its own) after it.
run_in_shell() {
	send_keys C-l
	send_text "$1; echo \"rc=\$?\""
	send_keys Enter
}
