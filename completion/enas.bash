# bash completion for enas and its tools: tool names, kinds, fields,
# enum values and record ids, asked of "enas --complete" (which reads
# the repository's rules).  make install puts this file in
# $PREFIX/share/bash-completion/completions/enas; source it from
# ~/.bashrc to use it from a source tree.

_enas_ask() {
	enas --complete "$@" 2>/dev/null
}

# _enas_reply CANDIDATES: the newline-separated candidates that start
# with $cur, relative to the text readline replaces: what follows the
# last '=' or ':' of $cur when COMP_WORDBREAKS holds them (after
# "site=", the value alone; COMP_WORDS would give "=" there).
_enas_reply() {
	local IFS=$'\n' pre= wb=${COMP_WORDBREAKS//[^=:]/}
	COMPREPLY=($(compgen -W "$1" -- "$cur"))
	[[ -n $wb && $cur == *["$wb"]* ]] && pre=${cur%"${cur##*["$wb"]}"}
	[[ -n $pre ]] && COMPREPLY=("${COMPREPLY[@]#"$pre"}")
	[[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]] &&
		compopt -o nospace 2>/dev/null
	return 0
}

# FIELD=VALUE for kind $1: the fields, or after '=' the field's values.
_enas_setting() {
	local field vals v out=
	if [[ $cur == *=* ]]; then
		field=${cur%%=*}
		vals=$(_enas_ask values "$1" "$field")
		for v in $vals; do out+="$field=$v"$'\n'; done
		_enas_reply "$out"
	else
		for v in $(_enas_ask fields "$1"); do out+="$v="$'\n'; done
		_enas_reply "$out"
	fi
}

_enas() {
	local line=${COMP_LINE:0:COMP_POINT} cur prev tool kind j start
	local -a w args
	read -ra w <<<"$line"
	[[ $line == *[[:space:]] || ${#w[@]} -eq 0 ]] && w+=("")
	cur=${w[${#w[@]}-1]}
	prev=
	((${#w[@]} > 1)) && prev=${w[${#w[@]}-2]}

	if [[ ${w[0]##*/} == enas ]]; then
		j=1
		while [[ ${w[j]} == -C ]]; do ((j += 2)); done
		if ((j == ${#w[@]} - 1)); then
			_enas_reply "$(_enas_ask tools)"$'\nhelp'
			return
		fi
		tool=${w[j]}
		start=$((j + 1))
		if [[ $tool == help ]]; then
			_enas_reply "$(_enas_ask tools)"
			return
		fi
	else
		tool=${w[0]##*/}
		tool=${tool#enas-}
		start=1
	fi

	# The operands so far, without options and their arguments.
	args=()
	for ((j = start; j < ${#w[@]} - 1; j++)); do
		case ${w[j]} in
		-C|-r|-w|-f|-s|-g|-e|-b|-p|-a|-k|-O|--rev|--where|--fields|--site)
			((j++)) ;;
		-*) ;;
		*) args+=("${w[j]}") ;;
		esac
	done
	kind=${args[0]}

	case $prev in
	-C)
		compopt -o dirnames 2>/dev/null
		COMPREPLY=()
		return ;;
	-r|--rev)
		_enas_reply "$(git for-each-ref --format='%(refname:short)' 2>/dev/null)"$'\nHEAD'
		return ;;
	-w|--where)
		[[ -n $kind ]] && _enas_setting "$kind"
		return ;;
	-f|--fields|-g|-s)
		if [[ $tool != new && -n $kind ]]; then
			local v out= head=
			[[ $cur == *,* ]] && head=${cur%,*},
			for v in $(_enas_ask fields "$kind") id; do
				out+="$head$v"$'\n'
			done
			_enas_reply "$out"
		fi
		return ;;
	esac
	if [[ $cur == -* ]]; then
		case $tool in
		new) _enas_reply $'-n\n--no-edit\n-s\n--site\n-C\n-h' ;;
		edit) _enas_reply $'-f\n--force\n-C\n-h' ;;
		show) _enas_reply $'-r\n--rev\n--labels\n-C\n-h' ;;
		ls) _enas_reply $'-w\n--where\n-f\n--fields\n-r\n--rev\n-0\n--null\n-C\n-h' ;;
		log) _enas_reply $'--oneline\n-p\n--patch\n-r\n--rev\n-C\n-h' ;;
		init) _enas_reply $'--bare\n-h' ;;
		sync) _enas_reply $'--merge\n--rebase\n-n\n--retries\n-q\n--quiet\n-C\n-h' ;;
		check) _enas_reply $'--all\n--staged\n-r\n--rev\n-O\n--output\n-0\n--null\n-C\n-h' ;;
		esac
		return
	fi
	case $tool in
	new)
		if ((${#args[@]} == 0)); then
			_enas_reply "$(_enas_ask kinds)"
		else
			_enas_setting "$kind"
		fi ;;
	ls|stats)
		((${#args[@]} == 0)) && _enas_reply "$(_enas_ask kinds)" ;;
	edit|show|log)
		((${#args[@]} == 0)) && _enas_reply "$(_enas_ask ids)" ;;
	init)
		compopt -o dirnames 2>/dev/null
		COMPREPLY=() ;;
	*)
		compopt -o default 2>/dev/null
		COMPREPLY=() ;;
	esac
}

complete -F _enas enas enas-new enas-edit enas-show enas-ls enas-log \
    enas-init enas-check enas-stats enas-merge enas-sync
