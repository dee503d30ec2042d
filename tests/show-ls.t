#!/bin/sh
# enas show and enas ls: a record by its id; ids and tables that pipe.
. "$(dirname "$0")/lib.sh"

plan 20

cd "$TMP" && enas init r >/dev/null && cd r || exit 2
d=records/cases/2024
write_case $d/NDR-2024-7K3QP.yaml NDR-2024-7K3QP
write_case $d/NDR-2024-AAAAA.yaml NDR-2024-AAAAA
sed -i 's/^age: 15/age: 12/; s/^concerns: .*/concerns: [street_child]/' $d/NDR-2024-AAAAA.yaml
write_case $d/OUJ-2024-BBBBB.yaml OUJ-2024-BBBBB
sed -i 's/^site: nador/site: oujda/' $d/OUJ-2024-BBBBB.yaml
write_case records/cases/2023/NDR-2023-CCCCC.yaml NDR-2023-CCCCC
sed -i 's/^registered: 2024-03-14/registered: 2023-03-14/; s/^status: open/status: closed/; $a closure:\n  date: 2024-11-02\n  reason: reunified' \
    records/cases/2023/NDR-2023-CCCCC.yaml
git add records && git commit -q -m "four cases"
sed -i 's/^age: 15/age: 14/' $d/NDR-2024-7K3QP.yaml

run enas show NDR-2024-7K3QP
is "0:$(cat $d/NDR-2024-7K3QP.yaml):" "$rc:$out:$err" "show: the working tree's record"
run enas show -r HEAD NDR-2024-7K3QP
is "0:age: 15" "$rc:$(printf '%s\n' "$out" | grep "^age:")" "show -r: as committed"
run enas show NDR-2023-CCCCC
is "0:id: NDR-2023-CCCCC" "$rc:$(printf '%s\n' "$out" | head -1)" "found in its year's directory"
mkdir -p records/cases/2022 && git mv records/cases/2023/NDR-2023-CCCCC.yaml records/cases/2022/
run enas show NDR-2023-CCCCC
is "0:id: NDR-2023-CCCCC" "$rc:$(printf '%s\n' "$out" | head -1)" "and found in another year's"
git mv records/cases/2022/NDR-2023-CCCCC.yaml records/cases/2023/
run enas show NDR-2024-ZZZZZ
is "1:enas-show: no case record has the id NDR-2024-ZZZZZ" "$rc:$err" "no such record: exit 1"
run enas show -r HEAD~1 NDR-2024-7K3QP
is "1:enas-show: no case record has the id NDR-2024-7K3QP at HEAD~1" "$rc:$err" \
    "not yet at that revision"
run enas show bayti
is "0:id: bayti" "$rc:$(printf '%s\n' "$out" | head -1)" "a partner by its id"
run enas show XYZ-2024-AAAAA
is "2:enas-show: 'XYZ-2024-AAAAA' is not the id of any kind in records/rules" "$rc:$err" \
    "an id of no kind"

run enas ls case
is "0:NDR-2023-CCCCC
NDR-2024-7K3QP
NDR-2024-AAAAA
OUJ-2024-BBBBB" "$rc:$out" "ls: every id, sorted"
run enas ls case -w status=open -w site=nador -f id,age
is "0:id	age
NDR-2024-7K3QP	14
NDR-2024-AAAAA	12:" "$rc:$out:$err" "ls -w -w -f: the expected TSV"
run enas ls cases -w 'age<13' -f id,concerns,referrals[].to,consent.reporting
is "0:id	concerns	referrals[].to	consent.reporting
NDR-2024-AAAAA	street_child	bayti	true" "$rc:$out" \
    "lists and paths through sequences in cells; the kind's directory"
run enas ls case -r HEAD -w 'age>=15' -f id,age
is "0:id	age
NDR-2023-CCCCC	15
NDR-2024-7K3QP	15
OUJ-2024-BBBBB	15" "$rc:$out" "ls -r: as committed"
is "NDR-2024-7K3QP|NDR-2024-AAAAA|" \
    "$(enas ls -0 case -w site=nador -w status=open | tr '\0' '|')" "-0: NUL-separated"
run enas ls case -w age=99
is "1::" "$rc:$out:$err" "nothing matches: exit 1, no output"
run enas ls case -w name=x
is "2:enas-ls: -w 'name=x': column 1: 'name' is not a field of case (see records/rules/case.yaml)" \
    "$rc:$err" "an undeclared field"
run enas ls case -f id,name
is "2:enas-ls: -f name: field not declared in records/rules/case.yaml" \
    "$rc:$err" "an undeclared column"
run enas ls case -w 'age<<3'
is "2:enas-ls: -w 'age<<3': column 5: expected an integer after '<', found '<3'" \
    "$rc:$err" "a bad expression"

# The pipes the tools are for.
is "2" "$(enas ls case -w site=nador -w status=open | wc -l)" "| wc -l"
is "id: NDR-2024-7K3QP
id: NDR-2024-AAAAA" "$(enas ls case -w status=open -w site=nador | xargs -n1 enas show | grep '^id:')" \
    "| xargs -n1 enas-show"
sed -i 's/^age: 14/age: 19/' $d/NDR-2024-7K3QP.yaml
run sh -c 'enas ls case | enas-check -'
is "1:$d/NDR-2024-7K3QP.yaml:7:6: error: age: 19 is above 17 (ENAS are minors: age is 0 to 17 at registration)" \
    "$rc:$err" "| enas-check -: records by their ids"

done_testing
