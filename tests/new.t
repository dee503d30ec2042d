#!/bin/sh
# enas new: a fresh id, a template, the editor, the checks, the commit.
. "$(dirname "$0")/lib.sh"

plan 28

cd "$TMP" && enas init r >/dev/null && cd r || exit 2

# An editor that fills in what a case worker would, as a person does:
# the empty required lines of the template.
cat >"$TMP/fill" <<'ED'
#!/bin/sh
cp "$1" "$TMP/template"
sed -i -e 's/^registered:.*$/registered: 2024-03-14/' \
    -e 's/^partner:$/partner: asticude/' -e 's/^sex:$/sex: female/' \
    -e 's/^age:$/age: 13/' -e 's/^nationality:$/nationality: CI/' \
    -e 's/^protection_status:$/protection_status: separated/' \
    -e 's/^risk_level:$/risk_level: medium/' -e 's/^status:$/status: open/' \
    -e 's/^  reporting:$/  reporting: true/' "$1"
ED
sed -i "s|\$TMP|$TMP|" "$TMP/fill"
chmod +x "$TMP/fill"

run env EDITOR="$TMP/fill" enas new case site=nador
id=$out
f=records/cases/2024/$id.yaml
printf '%s\n' "$id" | grep -Eq '^NDR-2024-[0-9A-HJKMNP-TV-Z]{5}$'
ok $? "the id follows the pattern: the office of the site, the year registered, 5 characters"
is "0:" "$rc:$err" "enas new with an editor: exit 0, silent"
[ -f "$f" ]
ok $? "the record is at the path its id implies"
is "id: $id
registered: 2024-03-14
site: nador
partner: asticude
sex: female
age: 13
nationality: CI
protection_status: separated
risk_level: medium
status: open
consent:
  reporting: true" "$(cat "$f")" "the template's comments and empty fields are gone"
run enas-check "$f"
is "0:" "$rc:$err" "it passes enas-check"
is "case $id: new" "$(git log -1 --format=%B)" "committed; the message names the kind and id only"
is "A	$f" "$(git show --name-status --format= HEAD)" "the commit holds the record alone"
is "" "$(git status --porcelain)" "the index and working tree agree with the commit"
[ -z "$(ls -d .git/enas-tmp-* 2>/dev/null)" ]
ok $? "no temporary copy is left"

# The template: the id, required fields first, allowed values as comments.
is "# A new case.  Lines that start with # and fields left empty are
# dropped when you save and quit.
id: NDR-$(date +%Y)-

# Required.
# a date, YYYY-MM-DD, not after today -- date of registration, YYYY-MM-DD
registered: $(date +%Y-%m-%d)
# one of: casablanca, marrakech, nador, oujda
site: nador" "$(head -9 "$TMP/template" | sed '3s/-[^-]*$/-/')" "the template starts with the id and the required fields"
grep -q '^# Optional: fill in what you know.$' "$TMP/template" &&
    grep -q '^# one of: male, female, unknown$' "$TMP/template" &&
    grep -q '^#  - date:$' "$TMP/template"
ok $? "optional fields after; enum values and sequence items as comments"

# Without the editor: everything from the command line.
set -- registered=2024-05-02 partner=bayti sex=male age=16 nationality=GN \
    protection_status=unaccompanied risk_level=high status=open \
    consent.reporting=true concerns=street_child,child_labour
run enas new -n case site=oujda "$@"
is "0:" "$rc:$err" "enas new -n with every required field"
f=records/cases/2024/$out.yaml
is "OUJ-2024|concerns: [street_child, child_labour]" \
    "$(printf '%s' "$out" | cut -c1-8)|$(grep concerns "$f")" "a list value; the office from the site"

git config enas.office MRK
run enas new -n case site=oujda "$@"
printf '%s\n' "$out" | grep -q '^MRK-2024-'
ok $? "enas.office gives the office code"
run enas new -n --site CAS case site=oujda "$@"
printf '%s\n' "$out" | grep -q '^CAS-2024-'
ok $? "--site overrides it"
git config --unset enas.office

head=$(git rev-parse HEAD)
run enas new -n case site=nador age=15
[ "$rc" = 1 ] && printf '%s\n' "$err" | grep -q ': error: sex: required field is missing$' &&
    [ "$(printf '%s\n' "$err" | tail -1)" = "enas-new: nothing written" ]
ok $? "missing required fields: exit 1 with the diagnostics"
is "$head:" "$(git rev-parse HEAD):$(git status --porcelain)" "nothing written, nothing committed"

run enas new -n case site=nador name=someone
is "2:enas-new: name: field not declared in records/rules/case.yaml; names and other details that identify a child are never recorded: records are shared with every office and stay in git's history for good, so they hold coded facts only" "$rc:$err" \
    "an undeclared field is refused before anything"
run enas new -n case site=nador registered=2024-05-02 partner=bayti sex=male \
    age=19 nationality=GN protection_status=unaccompanied risk_level=high \
    status=open consent.reporting=true
[ "$rc" = 1 ] && printf '%s\n' "$err" | grep -q ':6:6: error: age: 19 is above 17'
ok $? "an invalid value: exit 1 with FILE:LINE:COL"
run enas new -n cat
is "2:enas-new: no kind 'cat' in records/rules" "$rc:$err" "an unknown kind"

run enas new -n sessions date=2024-11-20 kind=awareness site=casablanca \
    organisers=iom,bayti audience=enas participants.enas=25
printf '%s\n' "$out" | grep -Eq '^SES-2024-[0-9A-HJKMNP-TV-Z]{5}$' && [ "$rc" = 0 ]
ok $? "a session: its id prefix comes from its pattern; the kind's directory works as its name"
run enas new -n partner id=ammi name='Association AMMI' type=association
is "0:ammi:id: ammi
name: Association AMMI
type: association" "$rc:$out:$(cat records/partners/ammi.yaml)" "a partner: its id is given"
run enas new -n partner id=ammi name=X type=association
is "1:enas-new: a partner record with the id ammi exists already" "$rc:$err" \
    "an id given that exists"

# The editor fails: nothing is written.
head=$(git rev-parse HEAD)
run env EDITOR=false enas new case site=nador
[ "$rc" = 2 ] && [ "$(git rev-parse HEAD)" = "$head" ] && [ -z "$(git status --porcelain)" ]
ok $? "an editor that fails: exit 2, nothing written"

# enas.autoCommit off: written, not committed.
git config enas.autoCommit false
run enas new -n case site=nador "$@"
is "0:?? records/cases/2024/$out.yaml" "$rc:$(git status --porcelain)" \
    "with enas.autoCommit false the record is written, not committed"
git config enas.autoCommit true
rm "records/cases/2024/$out.yaml"

# Eight at once in one clone: eight records, eight commits.
before=$(git rev-list --count HEAD)
i=0
while [ $i -lt 8 ]; do
	enas new -n case site=nador "$@" >"$TMP/id.$i" 2>"$TMP/err.$i" &
	i=$((i + 1))
done
wait
is "8" "$(cat "$TMP"/id.* | sort -u | grep -c '^NDR-2024-')" "8 at once: 8 distinct ids"
is "$((before + 8)):" "$(git rev-list --count HEAD):$(cat "$TMP"/err.*)" "8 commits, no error"
run enas-check --all
is "0::" "$rc:$err:$(git status --porcelain)" "all valid, all committed"

done_testing
