#!/bin/sh
# Broken rules files stop the check (exit 2) at their own line and
# column; a pattern that backtracks without end is an error, not a pass.
. "$(dirname "$0")/lib.sh"

plan 10

records_repo "$TMP/r"
cd "$TMP/r" || exit 2
rules=records/rules/partner.yaml
cp "$rules" "$TMP/rules"
line=$(grep -n '^  country:' "$rules" | cut -d: -f1)

# with_rule RULE: the country field of partner.yaml gets this rule.
with_rule() {
	cp "$TMP/rules" "$rules"
	sed -i "s/^  country: .*/  country: $1/" "$rules"
}

with_rule "{match: '(a+)+\$'}"
sed -i "s/^country: .*/country: $(printf 'a%.0s' $(seq 1 40))!/" records/partners/bayti.yaml
# The match limit stops it (no timed check: speed lives in make bench).
run enas-check records/partners/bayti.yaml
is "1:records/partners/bayti.yaml:6:10: error: country: rule match '(a+)+\$' hit the matching limit (the pattern backtracks too much); fix the rule in records/rules/partner.yaml" \
    "$rc:$err" "catastrophic backtracking is an error that names the rule and the record"
git checkout -q records/partners

with_rule "{match: '([a-z]'}"
run enas-check --all
is "2:$rules:$line:27: error: country: match: bad pattern: missing closing parenthesis" \
    "$rc:$err" "a pattern that does not compile is reported at its line and column, exit 2"

with_rule "{requird: true}"
run enas-check --all
is "2:$rules:$line:13: error: country: unknown keyword 'requird' (expected required, type, match, deny, enum, min, max, bands, ref, required_if, forbidden_if, unique, level, message or labels)" \
    "$rc:$err" "an unknown keyword"

with_rule "{match: '(*LIMIT_MATCH=100000000)a'}"
run enas-check --all
is "2:$rules:$line:21: error: country: match: bad pattern: pattern options (*LIMIT_…) and (*NO_…) are not allowed" \
    "$rc:$err" "a pattern may not raise its own limits"

with_rule "{match: '\\\\C'}"
run enas-check --all
is "2:$rules:$line:23: error: country: match: bad pattern: using \\C is disabled by the application" \
    "$rc:$err" "\\C is refused"

with_rule "{type: integer}"
run enas-check --all
is "2:$rules:$line:19: error: country: type: 'integer' is not one of text, int, date, bool, list" \
    "$rc:$err" "an unknown type"

with_rule "{required_if: 'Status=closed'}"
run enas-check --all
is "2:$rules:$line:27: error: country: required_if: 'Status=closed': column 1: expected a field name (lower-case words joined by '.', as in referrals[].to), found 'Status'" \
    "$rc:$err" "a bad where-expression"

# Conditions are checked against the rules, like -w (SPEC §6).
with_rule "{required_if: 'tpye=donor'}"
run enas-check --all
is "2:$rules:$line:27: error: country: required_if: 'tpye=donor': column 1: 'tpye' is not a field of partner (did you mean type?)" \
    "$rc:$err" "a condition on an undeclared field is a rules error"

with_rule "{forbidden_if: 'type = Donor'}"
run enas-check --all
is "2:$rules:$line:35: error: country: forbidden_if: 'type = Donor': column 8: 'Donor' is not a value of type (did you mean donor?)" \
    "$rc:$err" "a condition with a value outside the enum is a rules error"

cp "$TMP/rules" "$rules"
sed -i 's/^kind: partner/kind: partner\nbogus: 1/' "$rules"
run enas-check --all
is "2:$rules:5:1: error: unknown key 'bogus' (expected kind, dir, path, id, date, fields, commit, translations or description)" \
    "$rc:$err" "an unknown top-level key"

done_testing
