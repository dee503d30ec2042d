#!/bin/sh
# The closed layout (SPEC §2, §9): every refused class is named with its
# path by enas-check on the working tree, by the pre-commit hook, by
# enas-check -r on a commit made with --no-verify, and by the server
# (a bare repository made by enas init --bare, over file://).  Trees that
# git would not make (duplicate entries, '..', '.git') are made with git
# hash-object and checked through -r and a push.  Readers count and list
# only what the check accepts.
. "$(dirname "$0")/lib.sh"

plan 95

# The server as enas init --bare makes it (its first commit holds the
# rules, the partners and .gitattributes), and an office's clone of it.
enas init --bare "$TMP/srv.git" >/dev/null 2>&1
git -C "$TMP/srv.git" config enas.admin admin
git clone -q "file://$TMP/srv.git" "$TMP/r"
cd "$TMP/r" || exit 2
git config core.hooksPath "$ENAS_SRC/hooks"
f=records/cases/2024/NDR-2024-7K3QP.yaml
write_case "$f"
git add -A && git commit -q -m "case NDR-2024-7K3QP: new"
REMOTE_USER=admin git push -q origin main 2>/dev/null
run enas-check --all
is "0:" "$rc:$err" "the repository passes"

OUT='outside the records layout'
TOP="$OUT: a records repository holds only records/ and .gitattributes; remove it (git rm)"
REC="$OUT: records/ holds only rules/, cases/, partners/, sessions/; remove it (git rm)"
CASE="$OUT: a case record stands at records/cases/{registered:year}/{id}.yaml, named by its id"

# refuse DESCRIPTION SETUP DIAGNOSTICS: SETUP makes the working tree
# hold the refused thing; each way in must refuse it with DIAGNOSTICS
# (each line, for a commit that is not HEAD, prefixed with its id).
refuse() {
	eval "$2"
	run enas-check --all
	is "1:$3" "$rc:$err" "$1: enas-check on the working tree"
	git add -A
	run git commit -q -m "case NDR-2024-7K3QP: x"
	# (the server's policy on rules and repository files warns too)
	err=$(printf '%s\n' "$err" | grep -v '^pre-commit: warning: .*only from an admin')
	is "1:$3" "$rc:$err" "$1: the pre-commit hook"
	git commit -q --no-verify -m "case NDR-2024-7K3QP: x"
	run enas-check -r HEAD
	is "1:$3" "$rc:$err" "$1: enas-check -r HEAD, committed with --no-verify"
	short=$(git rev-parse --short=7 HEAD)
	before=$(git -C "$TMP/srv.git" rev-parse main)
	REMOTE_USER=admin run git push -q origin main
	printf '%s\n' "$3" | sed "s/^/remote: $short:/" >"$TMP/want-push"
	printf '%s\n' "$err" | sed 's/ *$//' |
	    grep -F -x -f "$TMP/want-push" >"$TMP/got-push"
	[ "$rc" = 1 ] && cmp -s "$TMP/want-push" "$TMP/got-push" &&
	    [ "$(git -C "$TMP/srv.git" rev-parse main)" = "$before" ]
	ok $? "$1: the server refuses the push, naming $short:, its refs unchanged"
	git reset -q --hard HEAD~1
	git clean -q -f -d
}

refuse "a file at the top" 'echo x >names.csv' \
"names.csv: error: a file $TOP"
refuse "a file in records/" 'echo x >records/notes.txt' \
"records/notes.txt: error: a file $REC"
refuse "a directory in records/" 'mkdir records/kids && cp $f records/kids/x.yaml' \
"records/kids: error: a directory $REC"
refuse "a directory in records/rules/" 'mkdir records/rules/sub && cp $f records/rules/sub/x.yaml' \
"records/rules/sub: error: a directory $OUT: records/rules/ holds only <kind>.yaml files; remove it (git rm)"
refuse "a tracked hooks/ directory" 'mkdir hooks && printf "#!/bin/sh\n" >hooks/post-merge' \
"hooks: error: a directory $TOP"
refuse "a hidden record" 'write_case records/cases/2024/.NDR-2024-AAAAA.yaml NDR-2024-AAAAA' \
"records/cases/2024/.NDR-2024-AAAAA.yaml: error: a hidden file (its name starts with '.'); the records layout has none"
refuse "a hidden directory" 'write_case records/cases/.x/NDR-2024-AAAAA.yaml NDR-2024-AAAAA' \
"records/cases/.x: error: a hidden directory (its name starts with '.'); the records layout has none
records/cases/.x/NDR-2024-AAAAA.yaml:1:5: error: id: the record belongs at records/cases/2024/NDR-2024-AAAAA.yaml (path: {registered:year}/{id}.yaml); move it there with git mv"
refuse "a record in the kind's directory, not its year's" 'write_case records/cases/NDR-2024-AAAAA.yaml NDR-2024-AAAAA' \
"records/cases/NDR-2024-AAAAA.yaml: error: a file $CASE
records/cases/NDR-2024-AAAAA.yaml:1:5: error: id: the record belongs at records/cases/2024/NDR-2024-AAAAA.yaml (path: {registered:year}/{id}.yaml); move it there with git mv"
refuse "a symbolic link" 'ln -s NDR-2024-7K3QP.yaml records/cases/2024/NDR-2024-AAAAA.yaml' \
"records/cases/2024/NDR-2024-AAAAA.yaml: error: a symbolic link; the records layout holds only plain files"
refuse "an executable record" 'write_case records/cases/2024/NDR-2024-AAAAA.yaml NDR-2024-AAAAA && chmod +x records/cases/2024/NDR-2024-AAAAA.yaml' \
"records/cases/2024/NDR-2024-AAAAA.yaml: error: an executable file (mode 100755); records are plain files: git update-index --chmod=-x, or chmod -x and git add"
refuse "a name that differs only by case" 'cp records/partners/bayti.yaml records/partners/Bayti.yaml' \
"records/partners/Bayti.yaml: error: a file $OUT: a partner record stands at records/partners/{id}.yaml, named by its id
records/partners/Bayti.yaml: error: the name differs only by case or accents from its sibling 'bayti.yaml', which some file systems would take for it"
refuse "a name with a control character" 'cp records/partners/bayti.yaml "records/partners/$(printf "bay\033ti").yaml"' \
"records/partners/bay\\033ti.yaml: error: the name holds a control character (U+001B)"
refuse "a name with a bidirectional control" 'cp records/partners/bayti.yaml "records/partners/$(printf "bay\342\200\256ti").yaml"' \
"records/partners/bay\\342\\200\\256ti.yaml: error: the name holds a bidirectional control (U+202E), which shows it as another name"
refuse "a name with a zero-width character" 'cp records/partners/bayti.yaml "records/partners/$(printf "bay\342\200\213ti").yaml"' \
"records/partners/bay\\342\\200\\213ti.yaml: error: the name holds an invisible character (U+200B)"
refuse "a name with another non-ASCII character" 'cp records/partners/bayti.yaml "records/partners/$(printf "bayt\303\255").yaml"' \
"records/partners/bayt\\303\\255.yaml: error: the name holds the non-ASCII character U+00ED; names in a records repository are ASCII
records/partners/bayt\\303\\255.yaml: error: the name differs only by case or accents from its sibling 'bayti.yaml', which some file systems would take for it"
refuse "a name that is not UTF-8" 'cp records/partners/bayti.yaml "records/partners/$(printf "bay\377").yaml"' \
"records/partners/bay\\377.yaml: error: the name is not valid UTF-8"
refuse ".gitattributes changed" 'echo "* text eol=crlf" >>.gitattributes' \
".gitattributes: error: differs from the one line enas init writes (records/**/*.yaml eol=lf merge=enas); a change here would change how every office's git reads the records"
refuse "another hidden file at the top" 'echo x >.gitignore' \
".gitignore: error: a hidden file (its name starts with '.'); the records layout has none"

# Trees that git itself would not make: written object by object.
# tree NAME-MODE-OID...: a tree object of those entries, as given.
tree() {
	perl -e 'binmode STDOUT; for (@ARGV) { my ($m, $n, $o) = split /\|/;
	    print "$m $n\0", pack("H*", $o) }' "$@" |
	    git hash-object -t tree -w --literally --stdin
}
root=$(git rev-parse HEAD^{tree})
recs=$(git rev-parse HEAD:records)
attrs=$(git rev-parse HEAD:.gitattributes)
blob=$(printf 'name: someone\n' | git hash-object -w --stdin)
dup=$(tree "100644|.gitattributes|$attrs" "40000|records|$recs" "40000|records|$(tree "100644|notes.txt|$blob")")
# raw DESCRIPTION TREE DIAGNOSTICS
raw() {
	c=$(echo "$1" | git commit-tree -p HEAD "$2")
	short=$(git rev-parse --short=7 "$c")
	printf '%s\n' "$3" | sed "s/^/$short:/" >"$TMP/want-raw"
	run enas-check -r "$c"
	is "1:$(cat "$TMP/want-raw")" "$rc:$err" "$1: enas-check -r"
	before=$(git -C "$TMP/srv.git" rev-parse main)
	REMOTE_USER=admin run git push -q origin "$c:refs/heads/main"
	sed 's/^/remote: /' "$TMP/want-raw" >"$TMP/want-push"
	printf '%s\n' "$err" | sed 's/ *$//' |
	    grep -F -x -f "$TMP/want-push" >"$TMP/got-push"
	[ "$rc" = 1 ] && cmp -s "$TMP/want-push" "$TMP/got-push" &&
	    [ "$(git -C "$TMP/srv.git" rev-parse main)" = "$before" ]
	ok $? "$1: the server refuses it, its refs unchanged"
}
# git's own checks would refuse most of these first; the hook must too.
git -C "$TMP/srv.git" config receive.fsckObjects false
raw "two entries named records" "$dup" \
"records/notes.txt: error: a file $REC
records: error: a duplicate tree entry: the directory names 'records' twice, and git and libgit2 would each read another"
raw "a '..' entry" "$(tree "40000|..|$recs" "100644|.gitattributes|$attrs" "40000|records|$recs")" \
"..: error: a '..' entry: a path may not climb out of its directory"
raw "a '.git' entry" "$(tree "40000|.git|$recs" "100644|.gitattributes|$attrs" "40000|records|$recs")" \
".git: error: a '.git' entry (in some case or spelling): it would be a repository's own directory on checkout"
raw "a '.GIT.' entry" "$(tree "40000|.GIT.|$recs" "100644|.gitattributes|$attrs" "40000|records|$recs")" \
".GIT.: error: a '.git' entry (in some case or spelling): it would be a repository's own directory on checkout"
raw "an NTFS short name of .git" "$(tree "100644|.gitattributes|$attrs" "40000|GIT~1|$recs" "40000|records|$recs")" \
"GIT~1: error: a '.git' entry (in some case or spelling): it would be a repository's own directory on checkout"
raw "a mode written with a leading zero" "$(tree "100644|.gitattributes|$attrs" "040000|records|$recs")" \
"records: error: an odd file mode 040000; the records layout holds only plain files (100644)"
# libgit2 cannot find records/ in it: refused before the layout's walk.
c=$(echo x | git commit-tree -p HEAD "$(tree "40000|records|$recs" "100644|.gitattributes|$attrs")")
run enas-check -r "$c"
is "2:records/rules: error: no rules in $(git rev-parse --short=7 $c):records/rules: this is not a records repository (run 'enas init')" \
    "$rc:$err" "entries out of order: refused, exit 2"
git -C "$TMP/srv.git" config receive.fsckObjects true

# Readers see exactly what the checker accepts.
git clean -q -f -d
run enas-stats cases -g site -O tsv --no-header
is "0:nador	1:" "$rc:$out:$err" "enas-stats counts the one case"
write_case records/cases/2024/.NDR-2024-AAAAA.yaml NDR-2024-AAAAA
mkdir -p records/cases/x && write_case records/cases/x/NDR-2024-BBBBB.yaml NDR-2024-BBBBB
git add -A && git commit -q --no-verify -m "case NDR-2024-AAAAA: new"
run enas-stats cases -g site -O tsv --no-header
is "0:nador	1:" "$rc:$out:$err" "enas-stats does not count records outside the layout"
run enas-stats cases -g site -O tsv --no-header --history -Y
# (the server's first commit bears today's date: its year is left out)
out=$(printf '%s\n' "$out" | grep '^2024')
is "0:2024	nador	1:" "$rc:$out:$err" "nor does enas-stats --history"
run enas ls cases
is "0:NDR-2024-7K3QP:" "$rc:$out:$err" "enas ls lists only what the layout holds"
run enas ls -r HEAD cases
is "0:NDR-2024-7K3QP:" "$rc:$out:$err" "enas ls -r too"
run enas-check -r HEAD
is "1:records/cases/2024/.NDR-2024-AAAAA.yaml: error: a hidden file (its name starts with '.'); the records layout has none
records/cases/x: error: a directory $CASE
records/cases/x/NDR-2024-BBBBB.yaml:1:5: error: id: the record belongs at records/cases/2024/NDR-2024-BBBBB.yaml (path: {registered:year}/{id}.yaml); move it there with git mv" \
    "$rc:$err" "and enas-check names them"
git reset -q --hard HEAD~1

# A file named on the command line is judged by its place too.
write_case records/cases/2024/.NDR-2024-AAAAA.yaml NDR-2024-AAAAA
run enas-check records/cases/2024/.NDR-2024-AAAAA.yaml
is "1:records/cases/2024/.NDR-2024-AAAAA.yaml: error: a hidden file (its name starts with '.'); the records layout has none" \
    "$rc:$err" "a hidden record named on the command line"
rm -f records/cases/2024/.NDR-2024-AAAAA.yaml

# The hook compares a staged name with the committed ones.
git config core.hooksPath "$ENAS_SRC/hooks"
cp records/partners/bayti.yaml records/partners/BAYTI.yaml
git add records/partners/BAYTI.yaml
run git commit -q -m "partner: x"
is "1:records/partners/BAYTI.yaml: error: a file $OUT: a partner record stands at records/partners/{id}.yaml, named by its id
records/partners/BAYTI.yaml: error: the name differs only by case or accents from its sibling 'bayti.yaml', which some file systems would take for it" \
    "$rc:$err" "a staged name that folds to a committed one"
git reset -q && rm -f records/partners/BAYTI.yaml

run enas-check --all
is "0:" "$rc:$err" "back to a clean repository"

done_testing
