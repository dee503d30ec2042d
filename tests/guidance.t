#!/bin/sh
# The messages that say what to write: did you mean, the indentation,
# a dot that means nesting, yes/no fields, and the fields that are
# never recorded (issue 12 item 2).
. "$(dirname "$0")/lib.sh"

plan 9

cd "$TMP" && enas init r >/dev/null && cd r || exit 2
f=records/cases/2024/NDR-2024-7K3QP.yaml
write_case "$f"
cp "$f" "$TMP/valid.yaml"
undeclared="field not declared in records/rules/case.yaml"

# refuse DESCRIPTION SED-SCRIPT EXPECTED: the diagnostics of a changed case.
refuse() {
	cp "$TMP/valid.yaml" "$f"
	sed -i "$2" "$f"
	run enas-check "$f"
	is "1:$3" "$rc:$err" "$1"
}

refuse "an enum value with a slip: did you mean" 's/^site: nador/site: nadour/' \
"$f:3:7: error: site: 'nadour' is not one of: casablanca, marrakech, nador, oujda; did you mean nador?"
refuse "yes/no fields say what they take" 's/^age_estimated: true/age_estimated: oui/' \
"$f:8:16: error: age_estimated: 'oui' is not true or false: a yes/no field takes true for yes, false for no"
refuse "a field name with a slip: did you mean" 's/^nationality:/nationalty:/' \
"$f:9:1: error: nationalty: $undeclared; did you mean nationality?
$f:1:1: error: nationality: required field is missing (ISO code, e.g. MA, GN, CI; XX if unknown)"
refuse "a dot means nesting: the lines to write" '/^  reporting: true/d; $a consent.reporting: true' \
"$f:28:1: error: key 'consent.reporting': a dot means nesting; write 'reporting:' on a line of its own under 'consent:', indented by two spaces"
refuse "a field nested under the last block: check the indentation" '/^  tracing: false/a\  sex: male' \
"$f:20:3: error: consent.sex: $undeclared; check the indentation: sex is a top-level field, written at the start of its line, not under consent"
refuse "a nested field written at the top: check the indentation" '/^  reporting: true/d; $a reporting: true' \
"$f:28:1: error: reporting: $undeclared; check the indentation: reporting belongs under consent:, indented by two more spaces
$f:15:3: error: consent.reporting: required field is missing (true only if the child or guardian agreed to anonymised reporting)"
refuse "a field of a list's items written at the top" '$a service: health' \
"$f:29:1: error: service: $undeclared; check the indentation: service belongs in an item of referrals (- service: ...)"
names="names and other details that identify a child are never recorded: records are shared with every office and stay in git's history for good, so they hold coded facts only"
refuse "names are never recorded, and why" '$a first_name: x\nbirth_date: 2010-01-01\nphone: 0600000000' \
"$f:29:1: error: first_name: $undeclared; $names
$f:30:1: error: birth_date: $undeclared; $names
$f:31:1: error: phone: $undeclared; $names"
refuse "nor free-text notes" '$a notes: x' \
"$f:29:1: error: notes: $undeclared; free-text notes are never recorded (they end up holding names); use the coded fields"

done_testing
