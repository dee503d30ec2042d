#!/bin/sh
# Where-expressions (SPEC §6, issue 11): one parser and checker for
# enas ls -w, enas-stats -w and the rules' required_if/forbidden_if.
# Every malformed expression is refused before anything is counted,
# exit 2, with the expression, the column and what was expected.
. "$(dirname "$0")/lib.sh"

plan 45

cd "$TMP" && enas init r >/dev/null && cd r || exit 2
d=records/cases/2024
write_case $d/NDR-2024-7K3QP.yaml NDR-2024-7K3QP
write_case $d/NDR-2024-AAAAA.yaml NDR-2024-AAAAA
sed -i 's/^age: 15/age: 9/; s/^sex: male/sex: female/' $d/NDR-2024-AAAAA.yaml
write_case $d/OUJ-2024-BBBBB.yaml OUJ-2024-BBBBB
sed -i 's/^site: nador/site: oujda/; s/^age: 15/age: 16/' $d/OUJ-2024-BBBBB.yaml
git add records && git commit -q -m "three cases"

# both EXPR WANT-STDOUT DESCRIPTION: enas ls -w EXPR and enas-stats
# -w EXPR give the same verdict: the ids (ls) and the count (stats).
both() {
	run enas ls case -w "$1"
	is "0:$2:" "$rc:$(echo $out):$err" "ls -w '$1'"
	run enas-stats cases -p 2024 --no-header -O tsv -w "$1"
	is "0:$(echo "$2" | wc -w | tr -d ' '):" "$rc:$out:$err" "stats -w '$1'"
}

# Spaces around the operator and at either end change nothing.
both 'age>=15' 'NDR-2024-7K3QP OUJ-2024-BBBBB'
both 'age>= 15' 'NDR-2024-7K3QP OUJ-2024-BBBBB'
both 'age>=15 ' 'NDR-2024-7K3QP OUJ-2024-BBBBB'
both ' age >= 15 ' 'NDR-2024-7K3QP OUJ-2024-BBBBB'
both 'site = nador, oujda' 'NDR-2024-7K3QP NDR-2024-AAAAA OUJ-2024-BBBBB'
both "sex='female'" 'NDR-2024-AAAAA'
both 'age<10' 'NDR-2024-AAAAA'

# refused EXPR MESSAGE: both tools refuse EXPR, exit 2, with MESSAGE
# after "-w ", and print nothing on stdout.
refused() {
	run enas ls case -w "$1"
	is "2::enas-ls: -w $2" "$rc:$out:$err" "ls refuses '$1'"
	run enas-stats cases -p 2024 -w "$1"
	is "2::enas-stats: -w $2" "$rc:$out:$err" "stats refuses '$1'"
}

# The malformed expressions of issue 11.
refused 'registered>=01/07/2024' \
    "'registered>=01/07/2024': column 13: expected a date (YYYY-MM-DD), found '01/07/2024'"
refused 'age<twelve' "'age<twelve': column 5: expected an integer, found 'twelve'"
refused 'age>=15 and sex=male' \
    "'age>=15 and sex=male': column 9: expected end of expression, found 'and'"
refused 'site=Nador' "'site=Nador': column 6: 'Nador' is not a value of site (did you mean nador?)"
refused 'age<<3' "'age<<3': column 5: expected an integer after '<', found '<3'"
refused 'stauts=closed' "'stauts=closed': column 1: 'stauts' is not a field of case (did you mean status?)"
# And their kin.
refused 'registered<2024-02-30' "'registered<2024-02-30': column 12: '2024-02-30' is not a day of the calendar"
refused 'concerns=street' "'concerns=street': column 10: 'street' is not a value of concerns (did you mean street_child?)"
refused 'referrals[].service=Health' \
    "'referrals[].service=Health': column 21: 'Health' is not a value of referrals[].service (did you mean health?)"
refused 'consent.reporting=yes' "'consent.reporting=yes': column 19: expected true or false, found 'yes'"
refused 'site<n' "'site<n': column 5: '<' compares ints and dates, and site is text: use = or ~"
refused 'nationality=gn' "'nationality=gn': column 13: 'gn' does not match the pattern of nationality, [A-Z]{2} (did you mean GN?)"
refused 'sex=x' "'sex=x': column 5: 'x' is not a value of sex: expected one of male, female, unknown"
refused 'site~Nador' \
    "'site~Nador': column 6: the regex matches no value of site: expected one of casablanca, marrakech, nador, oujda"

# A rules file whose condition cannot hold is a rules error: every tool
# that loads the rules stops, at the condition's line and column.
sed -i "s/required_if: 'status=closed'}/required_if: 'stauts=closed'}/" records/rules/case.yaml
line=$(grep -n "stauts=closed" records/rules/case.yaml | cut -d: -f1)
col=$(($(sed -n "${line}p" records/rules/case.yaml | sed "s/stauts.*//" | wc -c)))
want="records/rules/case.yaml:$line:$col: error: closure.date: required_if: 'stauts=closed': column 1: 'stauts' is not a field of case (did you mean status?)"
run enas-check records/cases/2024/NDR-2024-7K3QP.yaml
is "2::$want" "$rc:$out:$err" "enas-check: required_if 'stauts=closed' is a rules error"
run enas ls case
is "2::$want" "$rc:$out:$err" "enas ls: the same rules error"
git checkout -q records/rules/case.yaml
sed -i "s/required_if: 'status=closed',/required_if: 'status = open and site=nador',/" records/rules/case.yaml
run enas-check records/cases/2024/NDR-2024-7K3QP.yaml
is "2::records/rules/case.yaml:$(grep -n "status = open and" records/rules/case.yaml | cut -d: -f1):$(($(grep "status = open and" records/rules/case.yaml | sed "s/and site.*//" | wc -c))): error: closure.reason: required_if: 'status = open and site=nador': column 15: expected end of expression, found 'and'" \
    "$rc:$out:$err" "a stray word in a condition"
git checkout -q records/rules/case.yaml

done_testing
