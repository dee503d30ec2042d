#!/bin/sh
# enas new and enas edit as a person uses them: real nano and vim in a
# terminal (tmux), keys typed, the screen read back.  A mistake, the
# errors shown at the top of the editor's copy, the fix, the commit;
# giving up in each way there is (issue 12 items 2 and 5).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tmux.sh"

tmux_ready nano vim
plan 29

cd "$TMP" && enas init r >/dev/null && cd r || exit 2
git config enas.office NDR
tmux_start
ok $? "an interactive shell in a terminal"

# rc: the exit status the shell printed last.
rc_shown() {
	screen_has '^rc=[0-9]' && sed -n 's/^rc=\([0-9]*\)$/\1/p' "$TMP/screen" | tail -1
}
no_draft() {
	[ -z "$(ls -d .git/enas-tmp-* 2>/dev/null)" ]
}

# nano: search a line by a regular expression, and type at its end.
nano_fill() {	# nano_fill KEY VALUE: "KEY:" alone on its line gets VALUE
	send_keys C-w
	screen_has 'Search.*:' 5 || return 1
	send_text "^$1:\$"
	send_keys Enter End
	send_text " $2"
}

# 1. nano: the template, left untouched: nothing written.
run_in_shell "EDITOR=nano enas new case"
screen_has 'GNU nano'
ok $? "enas new opens nano on the template"
screen_has '^registered: [0-9]\{4\}-[0-9][0-9]-[0-9][0-9]$' &&
    screen_has '^site: nador$' && screen_has 'partner record, one of: alkaram, asticude'
ok $? "the template: registered today, the office's site, the partner ids"
send_keys C-x
is "1" "$(rc_shown)" "quit at once: exit 1"
grep -q '^enas-new: nothing written$' "$TMP/screen"
ok $? "an untouched template: nothing written"
no_draft
ok $? "and no draft left"

# 2. nano: a mistake, the error in the buffer, the fix, the commit.
run_in_shell "EDITOR=nano enas new case"
screen_has 'GNU nano'
# regular expressions in searches, once for the session
send_keys C-w && screen_has 'Search' 5 && send_keys M-r C-c
nano_fill partner bayti && nano_fill sex male && nano_fill age 19 &&
    nano_fill nationality GN && nano_fill protection_status unaccompanied &&
    nano_fill risk_level high && nano_fill status open &&
    nano_fill '  reporting' true
ok $? "the required fields typed in nano, the age wrong"
send_keys C-o
screen_has 'File Name to Write' 5 && send_keys Enter
send_keys C-x
screen_has '(e)dit again or (a)bandon?'
ok $? "saved: the error, and the question"
grep -q 'error: age: 19 is above 17' "$TMP/screen"
ok $? "the error on the terminal"
send_keys e Enter
screen_has '^#! line [0-9]*: age: 19 is above 17'
ok $? "edit again: the error at the top of the buffer, as a comment"
line=$(sed -n 's/^#! line \([0-9]*\): age:.*/\1/p' "$TMP/screen")
send_keys C-_
screen_has 'Enter line number' 5 && send_text "$line" && send_keys Enter
screen_has "age: 19" 5 && send_keys End BSpace BSpace && send_text 15
send_keys C-o
screen_has 'File Name to Write' 5 && send_keys Enter
send_keys C-x
is "0" "$(rc_shown)" "the line the error names, fixed: exit 0"
id=$(grep -o '^NDR-[0-9]\{4\}-[0-9A-Z]\{5\}$' "$TMP/screen" | tail -1)
f=$(git ls-files "records/cases/*/$id.yaml")
is "case $id: new" "$(git log -1 --format=%s)" "committed"
is "age: 15" "$(grep '^age:' "$f")" "with the fix"
! grep -q '#' "$f"
ok $? "and no comment: neither guidance nor errors"
no_draft
ok $? "no draft left"

# 3. vim: a field that auto-indent nests under the block above.
suffix=${id##*-}
run_in_shell "EDITOR=vim enas edit $(printf '%s' "$suffix" | tr A-Z a-z)"
screen_has "^# Editing case $id"
ok $? "enas edit by the end of the id, in small letters, opens vim with guidance"
send_text '/^  reporting'
send_keys Enter
send_text 'oseparation_cause: migration'
send_keys Escape
screen_has '^  separation_cause: migration' 5
ok $? "vim's indentation put the new line under consent"
send_text ':wq'
send_keys Enter
screen_has '(e)dit again or (a)bandon?'
grep -q 'check the indentation: separation_cause is a top-level field' \
    "$TMP/screen"
ok $? "the error says: check the indentation"
send_keys e Enter
screen_has '^#! line [0-9]*: consent.separation_cause: field not declared'
ok $? "edit again: the error in vim's buffer"
line=$(sed -n 's/^#! line \([0-9]*\): consent.separation_cause.*/\1/p' \
    "$TMP/screen")
send_text ":$line"
send_keys Enter
send_text '<<:wq'
send_keys Enter
is "0" "$(rc_shown)" "the line moved left: exit 0"
is "case $id: separation_cause|separation_cause: migration" \
    "$(git log -1 --format=%s)|$(grep '^separation_cause' "$f")" \
    "committed, the field at the top level"

# 4. vim: after an error, quit without saving: the record is unchanged.
head=$(git rev-parse HEAD)
run_in_shell "EDITOR=vim enas edit $id"
screen_has "^# Editing case $id"
send_text '/^age:'
send_keys Enter
send_text 'Cage: 21'
send_keys Escape
send_text ':wq'
send_keys Enter
screen_has '(e)dit again or (a)bandon?' && send_keys e Enter
screen_has '^#! line [0-9]*: age: 21 is above 17'
send_text ':q!'
send_keys Enter
is "1:$head" "$(rc_shown):$(git rev-parse HEAD)" \
    "quit without saving after the errors: exit 1, nothing committed"
grep -q '^enas-edit: the record is unchanged$' "$TMP/screen"
ok $? "and it says the record is unchanged"

# 5. vim: the file emptied: nothing written.
run_in_shell "EDITOR=vim enas edit $id"
screen_has "^# Editing case $id"
send_text 'ggdG:wq'
send_keys Enter
is "1:$head" "$(rc_shown):$(git rev-parse HEAD)" "an emptied file: exit 1, nothing written"
no_draft
ok $? "no draft left"

# 6. Ctrl-C at the question, and during an editor that Ctrl-C stops:
# no draft left, nothing written.
printf '#!/bin/sh\nsed -i "s/^age: 15/age: 19/" "$1"\n' >"$TMP/age19"
chmod +x "$TMP/age19"
send_keys C-l
send_text "EDITOR=$TMP/age19 enas edit $id"
send_keys Enter
screen_has '(e)dit again or (a)bandon?'
send_keys C-c
screen_has '^\$' 10 && status_now
is "130:$head" "$(rc_shown):$(git rev-parse HEAD)" "Ctrl-C at the question: the tool stops"
no_draft
ok $? "and takes its draft with it"
send_keys C-l
printf '#!/bin/sh\nexec sleep 60\n' >"$TMP/slow"
chmod +x "$TMP/slow"
send_text "EDITOR=$TMP/slow enas new case"
send_keys Enter
# the editor runs once its draft is there
i=0
while [ -z "$(ls .git/enas-tmp-*/*.yaml 2>/dev/null)" ] && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
sleep 0.5
send_keys C-c
screen_has '^\$' 10 && status_now
is "2" "$(rc_shown)" "Ctrl-C stops an editor that stops on it: exit 2"
grep -q 'killed by signal 2; nothing written$' "$TMP/screen" && no_draft
ok $? "nothing written, no draft left"

done_testing
