#!/bin/sh
# enas, the front command, and the bash completion.
. "$(dirname "$0")/lib.sh"

plan 16

cd "$TMP" || exit 2
run enas
[ "$rc" = 2 ] && [ -z "$out" ] &&
    printf '%s\n' "$err" | grep -q '^  new     a new record with a fresh id, checked and committed$'
ok $? "enas alone: the tools on stderr, exit 2"
run enas help
[ "$rc" = 0 ] && [ -z "$err" ] &&
    printf '%s\n' "$out" | grep -q '^  check   validate records against the rules$' &&
    printf '%s\n' "$out" | grep -q '^  log     the history of a record, field by field$'
ok $? "enas help: one line a tool on stdout"
run enas init r
is "0:" "$rc:$err" "enas init runs enas-init"
cd r || exit 2
run enas -C "$TMP/r" ls partner -w type=un_agency
is "0:iom
unhcr" "$rc:$out" "enas -C DIR ls: runs enas-ls there, with its exit status"
run enas ls case
is "1:" "$rc:$out" "the tool's exit status comes through"
run enas nosuch
is "2:enas: 'nosuch' is not a tool (no enas-nosuch next to enas, in ${ENAS_LIBEXECDIR:-/usr/local/libexec/enas} or on the PATH); see enas help" \
    "$rc:$err" "an unknown tool"
run enas ../../bin/sh -c true
is "2:enas: '../../bin/sh' is not a tool; see enas help" "$rc:$err" "a path is no tool"
if command -v man >/dev/null && [ -z "$ENAS_VALGRIND" ]; then
	run env MANPAGER=cat MANWIDTH=80 enas help ls
	[ "$rc" = 0 ] && printf '%s\n' "$out" | grep -q 'enas-ls'
	ok $? "enas help ls: the manual beside the source"
else
	ok 0 "# skip: no man(1), or under valgrind"
fi

# The completion, driven as bash drives it when '=' and ':' do not
# break words (COMP_WORDS split on blanks alone; tmux-completion.t has
# bash's default, in a terminal).
comp() {
	bash -c '. "$ENAS_SRC/completion/enas.bash"
	COMP_WORDBREAKS=${COMP_WORDBREAKS//[=:]/}
	COMP_LINE=$1 COMP_POINT=${#1}
	read -ra COMP_WORDS <<<"$1"
	[[ $1 == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	_enas
	printf "%s\n" "${COMPREPLY[@]}"' comp "$1" 2>&1
}
write_case records/cases/2024/NDR-2024-7K3QP.yaml
is "log
ls" "$(comp 'enas l')" "tools"
is "case" "$(comp 'enas new ca')" "kinds"
is "risk_level=" "$(comp 'enas new case ris')" "fields, ready for their value"
is "sex=female
sex=male
sex=unknown" "$(comp 'enas new case sex=' | sort)" "enum values"
is "consent.reporting=true" "$(comp 'enas-new case consent.reporting=t')" \
    "a boolean's values, for the enas-new command too"
is "NDR-2024-7K3QP" "$(comp 'enas show NDR')" "ids"
is "status=open" "$(comp 'enas ls case -w status=o')" "-w FIELD=VALUE"
is "id,age
id,age_estimated" "$(comp 'enas ls case -f id,ag')" "-f: the last of a list of fields"

done_testing
