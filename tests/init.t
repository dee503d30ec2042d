#!/bin/sh
# enas init: a records repository from nothing, idempotent, and never
# overwriting what the user changed; enas init --bare for the server.
. "$(dirname "$0")/lib.sh"

plan 24

cd "$TMP" || exit 2
run enas init r
is "0::" "$rc:$out:$err" "enas init DIR in a new directory: silent success"
cd r || exit 2
is "1" "$(git rev-list --count HEAD)" "one commit"
is "records: rules, partners, hooks and attributes from enas init" \
    "$(git log -1 --format=%s)" "its message"
is ".gitattributes
records/partners/alkaram.yaml
records/partners/asticude.yaml
records/partners/bayti.yaml
records/partners/cnclt.yaml
records/partners/denmark_mfa.yaml
records/partners/iom.yaml
records/partners/omdh.yaml
records/partners/orient_occident.yaml
records/partners/pmp.yaml
records/partners/unhcr.yaml
records/rules/case.yaml
records/rules/partner.yaml
records/rules/session.yaml" "$(git ls-files)" "rules, partners, hooks and attributes committed"
is "records/**/*.yaml eol=lf merge=enas" "$(cat .gitattributes)" ".gitattributes"
is "$ENAS_SRC/hooks|enas field-level merge|enas-merge %O %A %B %P" \
    "$(git config core.hooksPath)|$(git config merge.enas.name)|$(git config merge.enas.driver)" \
    "core.hooksPath and the merge driver configured"
[ ! -e hooks ] && [ -z "$(git ls-files hooks)" ]
ok $? "the hooks are never part of the repository"
cmp -s records/rules/case.yaml "$ENAS_SRC/records/rules/case.yaml"
ok $? "the rules are the defaults"
run enas-check --all
is "0:" "$rc:$err" "the new repository passes enas-check --all"
is "" "$(git status --porcelain)" "nothing left uncommitted"

head=$(git rev-parse HEAD)
cp .git/config "$TMP/config"
run enas init
is "0:::$head:" "$rc:$out:$err:$(git rev-parse HEAD):$(git status --porcelain)" \
    "run again: nothing to do, no commit"
cmp -s .git/config "$TMP/config"
ok $? "run again: the git config unchanged"

# The user's own rules are kept, and enas init says so.
sed -i 's/max: 17,/max: 18,/' records/rules/case.yaml
git commit -q -am "rules: age up to 18"
cp records/rules/case.yaml "$TMP/mine.yaml"
head=$(git rev-parse HEAD)
run enas init
is "0:enas-init: kept records/rules/case.yaml: it differs from the default ($ENAS_SRC/records/rules/case.yaml)" \
    "$rc:$err" "a changed rules file is kept, and named"
cmp -s records/rules/case.yaml "$TMP/mine.yaml" && [ "$(git rev-parse HEAD)" = "$head" ]
ok $? "the user's file is unchanged, and nothing is committed"

# What is missing comes back; deleted partners do not (they are data).
git rm -q records/rules/session.yaml records/partners/omdh.yaml
git commit -q -m "remove some"
run enas init
is "0:" "$rc:$(git status --porcelain)" "enas init upgrades a repository"
is "A	records/rules/session.yaml" "$(git show --name-status --format= HEAD)" \
    "missing rules are restored and committed, not the partner"

# A core.hooksPath of the user's own is reported, never changed.
git config core.hooksPath .githooks
run enas init
is "0:enas-init: kept records/rules/case.yaml: it differs from the default ($ENAS_SRC/records/rules/case.yaml)
enas-init: kept core.hooksPath = .githooks; the enas hooks do not run; to use enas's: git config core.hooksPath '$ENAS_SRC/hooks'" \
    "$rc:$err" "another core.hooksPath is reported"
is ".githooks" "$(git config core.hooksPath)" "and left as it was"

# An existing .gitattributes gets the line added, the rest kept.
cd "$TMP" && mkdir a && cd a && git init -q && printf '*.png binary\n' >.gitattributes
run enas init
is "0:*.png binary
records/**/*.yaml eol=lf merge=enas" "$rc:$(git show HEAD:.gitattributes)" \
    "an existing .gitattributes is extended and committed"

mkdir sub
run enas init sub
is "2:enas-init: sub is inside the repository $TMP/a; run enas init at its top, or choose a directory outside it" \
    "$rc:$err" "a directory inside a repository is refused"

# Run from the build tree, it finds the project's defaults itself.
if [ -z "$ENAS_VALGRIND" ]; then
	(unset ENAS_DATADIR; cd "$TMP" && "$ENAS_BUILD/enas-init" b >/dev/null 2>&1)
	cmp -s "$TMP/b/records/rules/case.yaml" "$ENAS_SRC/records/rules/case.yaml"
	ok $? "without ENAS_DATADIR, the defaults beside the build are used"
else
	ok 0 "# skip: under valgrind the program's own path is valgrind's"
fi

# The server: a bare repository with the pre-receive hook.
run enas init --bare "$TMP/srv.git"
[ "$rc" = 0 ] && [ -x "$TMP/srv.git/hooks/pre-receive" ] &&
    [ "$(git -C "$TMP/srv.git" rev-parse --is-bare-repository)" = true ]
ok $? "enas init --bare makes a server repository with the hook"
cd "$TMP" && git clone -q srv.git c 2>/dev/null && cd c && enas init >/dev/null 2>&1
git push -q origin HEAD:main 2>/dev/null
write_case records/cases/2024/NDR-2024-7K3QP.yaml
sed -i 's/^age: 15/age: 19/' records/cases/2024/NDR-2024-7K3QP.yaml
git add records && git commit -q --no-verify -m "case NDR-2024-7K3QP: new"
run git push -q origin HEAD:main
[ "$rc" != 0 ] && printf '%s\n' "$err" | grep -q "age: 19 is above 17"
ok $? "the server refuses a push of a bad record, made with --no-verify"
run enas init --bare "$TMP/srv.git"
is "0:" "$rc:$err" "enas init --bare again: nothing to do"

done_testing
