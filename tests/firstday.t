#!/bin/sh
# A case worker's first day, without help (issue 12 item 4): the tools
# installed under any PREFIX find their data, enas init finishes what a
# failed run left, main, enas help, and the ids a person types.
. "$(dirname "$0")/lib.sh"

plan 14

# make install PREFIX=X: the installed tools find their rules, wherever
# the build expected them.
# (From a copy of the build: what make rebuilds for this PREFIX stays
# out of the build the other tests run.)
inst=$TMP/inst
cp -a "$ENAS_BUILD" "$TMP/build"
make -s -C "$ENAS_SRC" BUILD="$TMP/build" PREFIX="$inst" install \
    >"$TMP/make.out" 2>&1
ok $? "make install PREFIX=$inst"
mkdir "$TMP/day1"
run env -u ENAS_DATADIR -u GIT_AUTHOR_NAME -u GIT_AUTHOR_EMAIL \
    -u GIT_COMMITTER_NAME -u GIT_COMMITTER_EMAIL PATH="$inst/bin:/usr/bin:/bin" \
    HOME="$TMP/day1" sh -c 'cd "$HOME" && enas init r'
is "2:enas-init: who are you? set your name and e-mail for commits: git config --global user.name 'Your Name'; git config --global user.email you@example.org" \
    "$rc:$err" "enas init without a git identity: it says what to do"
HOME=$TMP/day1 git config --global user.name 'Test Office'
HOME=$TMP/day1 git config --global user.email office@example.org
run env -u ENAS_DATADIR PATH="$inst/bin:/usr/bin:/bin" \
    HOME="$TMP/day1" sh -c 'cd "$HOME" && enas init r'
is "0:" "$rc:$err" "run again, it finishes"
cd "$TMP/day1/r" || exit 2
is "" "$(git status --porcelain)" "everything is committed"
git ls-files records/partners | grep -q '^records/partners/bayti.yaml$'
ok $? "the partners are committed too"
is "main" "$(git symbolic-ref --short HEAD)" "the branch is main"
git config enas.office NDR
run env PATH="$inst/bin:/usr/bin:/bin" enas new -n case partner=bayti \
    sex=male age=15 nationality=GN protection_status=unaccompanied \
    risk_level=high status=open consent.reporting=true
printf '%s\n' "$out" | grep -Eq "^NDR-$(date +%Y)-[0-9A-Z]{5}$"
ok $? "enas new from the installed tools, registered today at the office's site"
id=$out

# enas help and slips of the keyboard
run enas sho
is "2:enas: 'sho' is not a tool; did you mean 'show'?" "$rc:$err" "enas sho: did you mean show"
run enas help foo
is "2" "$rc" "enas help foo: exit 2, not man's"
run enas help sho
is "2:enas: 'sho' is not a tool; did you mean 'show'?" "$rc:$err" "enas help sho: did you mean show"

# An id in lower case, its end, or the path of its file.
suffix=${id##*-}
f=$(git ls-files "records/cases/*/$id.yaml")
lower=$(printf '%s' "$id" | tr 'A-Z' 'a-z')
for arg in "$lower" "$suffix" "$f"; do
	run env EDITOR=true enas edit "$arg"
	is "0:" "$rc:$err" "enas edit $arg"
done
run env EDITOR=true enas edit ZZZZZZ
is "2:enas-edit: 'ZZZZZZ' is not a record id: no kind in records/rules has ids of its form, and no id ends with it" \
    "$rc:$err" "an end no id has"

done_testing
