#!/bin/sh
# Bash completion as a person meets it: an interactive bash in a
# terminal (tmux), TAB pressed, the command line read back (issue 12
# item 4: values after '=', not "site==").
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tmux.sh"

tmux_ready bash
plan 9

cd "$TMP" && enas init r >/dev/null && cd r || exit 2
write_case records/cases/2024/NDR-2024-7K3QP.yaml
git add -A && git commit -q -m 'case NDR-2024-7K3QP: new'
tmux_start
ok $? "an interactive bash in a terminal"
TMUX_KEEP_SPACES=1
send_text ". '$ENAS_SRC/completion/enas.bash'; clear"
send_keys Enter
screen_has '^\$ $' 10

# complete TEXT WANT DESCRIPTION: type TEXT, press TAB (twice when
# asked), and look for WANT on the screen.
complete_line() {
	send_keys C-u C-l
	send_text "$1"
	send_keys Tab
	[ -n "$4" ] && sleep 0.3 && send_keys Tab
	screen_has "$2" 10
	ok $? "$3"
}

complete_line 'enas sh' '^\$ enas show $' "a tool: enas sh -> enas show"
complete_line 'enas new ca' '^\$ enas new case $' "a kind: enas new ca -> case"
complete_line 'enas new case sit' '^\$ enas new case site=$' \
    "a field: sit -> site=, no space after"
complete_line 'enas new case site=' 'casablanca  *marrakech  *nador  *oujda' \
    "after =, TAB TAB lists the site's values" twice
grep -q '^\$ enas new case site=$' "$TMP/screen"
ok $? "and leaves site= as it was (not site==)"
complete_line 'enas new case site=n' '^\$ enas new case site=nador $' \
    "site=n -> site=nador"
complete_line 'enas new case -n consent.reporting=' '^false  *true *$' \
    "a yes/no field after an option: true and false" twice
complete_line 'enas edit NDR-2024-7' '^\$ enas edit NDR-2024-7K3QP $' \
    "an id: enas edit NDR-2024-7 -> the case"

done_testing
