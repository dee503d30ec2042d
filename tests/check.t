#!/bin/sh
# enas-check on records: valid ones pass, and each rule refuses what it
# should, at the right file:line:col, naming the field.
. "$(dirname "$0")/lib.sh"

plan 23

records_repo "$TMP/r"
cd "$TMP/r" || exit 2
f=records/cases/2024/NDR-2024-7K3QP.yaml
write_case "$f"
cp "$f" "$TMP/valid.yaml"
mkdir -p records/sessions/2024
cat >records/sessions/2024/SES-2024-M4ZD2.yaml <<'EOF2'
id: SES-2024-M4ZD2
date: 2024-11-20
kind: awareness
site: casablanca
organisers: [iom, bayti]
themes: [irregular_migration_risks, forced_begging]
audience: enas
participants:
  enas: 25
  actors: 0
EOF2

run enas-check --all
is "0:" "$rc:$err" "a valid case, session and partners pass --all"
run enas-check "$f" records/sessions/2024/SES-2024-M4ZD2.yaml records/partners/bayti.yaml
is "0:" "$rc:$err" "valid files named on the command line pass"

# refuse DESCRIPTION SED-EXPRESSION EXPECTED-DIAGNOSTICS
refuse() {
	cp "$TMP/valid.yaml" "$f"
	sed -i "$2" "$f"
	run enas-check "$f"
	is "1:$3" "$rc:$err" "$1"
}

refuse "a missing required field" '/^sex:/d' \
"$f:1:1: error: sex: required field is missing"
refuse "a value outside an enum" 's/^site: nador/site: rabat/' \
"$f:3:7: error: site: 'rabat' is not one of: casablanca, marrakech, nador, oujda"
refuse "an int out of range" 's/^age: 15/age: 19/' \
"$f:7:6: error: age: 19 is above 17 (ENAS are minors: age is 0 to 17 at registration)"
refuse "an impossible date" 's/^registered: 2024-03-14/registered: 2024-02-30/' \
"$f:2:13: error: registered: '2024-02-30' is not a date (YYYY-MM-DD, one that exists) (date of registration, YYYY-MM-DD)"
refuse "a date before the field it must follow" 's/  - date: 2024-03-15/  - date: 2024-03-01/' \
"$f:22:11: error: referrals[].date: 2024-03-01 is before registered (2024-03-14)"
refuse "a ref to a partner that does not exist" 's/^partner: asticude/partner: nobody/' \
"$f:4:10: error: partner: no partner record has the id 'nobody' (id of the registering organisation, a file in records/partners)"
refuse "a required_if violation" 's/^status: open/status: closed/' \
"$f:1:1: error: closure.date: required field is missing (required when status=closed)
$f:1:1: error: closure.reason: required field is missing (required when status=closed)"
refuse "an undeclared field" '$a name: someone' \
"$f:29:1: error: name: field not declared in records/rules/case.yaml; names and other details that identify a child are never recorded: records are shared with every office and stay in git's history for good, so they hold coded facts only"
refuse "a value that does not match its pattern" 's/^nationality: GN/nationality: guinea/' \
"$f:9:14: error: nationality: 'guinea' does not match [A-Z]{2} (ISO code, e.g. MA, GN, CI; XX if unknown)"
refuse "an int that is not a number" 's/^age: 15/age: fifteen/' \
"$f:7:6: error: age: 'fifteen' is not a whole number (ENAS are minors: age is 0 to 17 at registration)"
refuse "a bool that is not true or false" 's/^age_estimated: true/age_estimated: yes/' \
"$f:8:16: error: age_estimated: 'yes' is not true or false: a yes/no field takes true for yes, false for no"
refuse "an undeclared key inside a sequence item" '/    type: in_care/a\    note: x' \
"$f:29:5: error: follow_ups[].note: field not declared in records/rules/case.yaml; free-text notes are never recorded (they end up holding names); use the coded fields"
refuse "a required key missing inside a sequence item" '/    status: accepted/d' \
"$f:22:5: error: referrals[].status: required field is missing"
refuse "NO stays a string, and is not a country" 's/^nationality: GN/nationality: NO/; s/^age_estimated: true/age_estimated: NO/' \
"$f:8:16: error: age_estimated: 'NO' is not true or false: a yes/no field takes true for yes, false for no"
cp "$TMP/valid.yaml" "$f"

# A deny: pattern: no phone number in a partner's name.
sed 's/^name: .*/name: Association 0612345678/' records/partners/bayti.yaml >"$TMP/p"
cp "$TMP/p" records/partners/bayti.yaml
run enas-check records/partners/bayti.yaml
line=$(grep -n '^name:' records/partners/bayti.yaml | cut -d: -f1)
is "1:records/partners/bayti.yaml:$line:7: error: name: the value matches the forbidden pattern @|[0-9]{6,} (the organisation public name, no e-mail or phone number)" \
    "$rc:$err" "a deny match"
git checkout -q records/partners/bayti.yaml

# The file name must be the id, and the id unique in the kind.
sed 's/^id: NDR-2024-7K3QP/id: NDR-2024-7K3QA/' "$TMP/valid.yaml" >records/cases/2024/NDR-2024-7K3QB.yaml
run enas-check records/cases/2024/NDR-2024-7K3QB.yaml
is "1:records/cases/2024/NDR-2024-7K3QB.yaml:1:5: error: id: 'NDR-2024-7K3QA' differs from the file name NDR-2024-7K3QB.yaml; a record's file is named by its id" \
    "$rc:$err" "a file name that differs from its id"
rm records/cases/2024/NDR-2024-7K3QB.yaml

mkdir -p records/cases/2023
sed 's/^registered: 2024-03-14/registered: 2023-12-01/; s/2024-03-15/2023-12-02/' \
    "$TMP/valid.yaml" >records/cases/2023/NDR-2024-7K3QP.yaml
run enas-check --all
is "1:records/cases/2023/NDR-2024-7K3QP.yaml:1:5: error: id: duplicate id: NDR-2024-7K3QP is also the id of records/cases/2024/NDR-2024-7K3QP.yaml; renumber one of them (a new id, its file renamed to match)
records/cases/2024/NDR-2024-7K3QP.yaml:1:5: error: id: duplicate id: NDR-2024-7K3QP is also the id of records/cases/2023/NDR-2024-7K3QP.yaml; renumber one of them (a new id, its file renamed to match)" \
    "$rc:$err" "a duplicate id, named on both files"
rm -r records/cases/2023

mkdir -p records/cases/2025
mv "$f" records/cases/2025/
run enas-check --all
is "1:records/cases/2025/NDR-2024-7K3QP.yaml:1:5: error: id: the record belongs at records/cases/2024/NDR-2024-7K3QP.yaml (path: {registered:year}/{id}.yaml); move it there with git mv" \
    "$rc:$err" "a record in the wrong directory for its date"
mv records/cases/2025/NDR-2024-7K3QP.yaml "$f"

# --format=json: the same diagnostics, for programs.
sed -i 's/^age: 15/age: 19/' "$f"
run enas-check --format=json "$f"
is "1:$f:7:6:age:19 is above 17" \
    "$rc:$(printf '%s' "$out" | jq -r '.[] | "\(.file):\(.line):\(.col):\(.field):\(.message)"')" \
    "--format=json prints the diagnostics as JSON"

# A link is never a record.
cp "$TMP/valid.yaml" "$f"
ln -s "$TMP/valid.yaml" records/cases/2024/NDR-2024-7K3QR.yaml
run enas-check --all
is "1:records/cases/2024/NDR-2024-7K3QR.yaml: error: a symbolic link; the records layout holds only plain files" \
    "$rc:$err" "a symbolic link under records/ is refused"
rm records/cases/2024/NDR-2024-7K3QR.yaml

run enas-check --all --staged
is "2" "$rc" "incompatible options are a usage error"

done_testing
