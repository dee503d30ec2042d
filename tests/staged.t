#!/bin/sh
# enas-check --staged reads git's index itself and skips, by its
# cache-tree, the directories that did not change: what it checks must
# still be exactly what the next commit holds.
. "$(dirname "$0")/lib.sh"

plan 10

records_repo "$TMP/r"
cd "$TMP/r" || exit 2
for y in 2022 2023 2024; do
	write_case records/cases/$y/NDR-$y-7K3QP.yaml NDR-$y-7K3QP
	sed -i "s/2024-0/$y-0/" records/cases/$y/NDR-$y-7K3QP.yaml
done
git add -A && git commit -q -m "cases: three years"
run enas-check --staged
is "0:" "$rc:$err" "nothing staged: clean"

# A record in a directory HEAD lacks.
write_case records/cases/2025/NDR-2025-7K3QP.yaml NDR-2025-7K3QP
sed -i 's/^age: 15/age: 30/; s/2024-0/2025-0/' records/cases/2025/NDR-2025-7K3QP.yaml
git add records/cases/2025
run enas-check --staged
is "1:records/cases/2025/NDR-2025-7K3QP.yaml:7:6: error: age: 30 is above 17 (ENAS are minors: age is 0 to 17 at registration)" \
    "$rc:$err" "a new directory's record is checked"
git rm -q -r --cached records/cases/2025 && rm -r records/cases/2025

# A duplicate id in another year's directory, staged.
mkdir -p records/cases/2021
sed 's/2023-0/2021-0/' records/cases/2023/NDR-2023-7K3QP.yaml >records/cases/2021/NDR-2023-7K3QP.yaml
git add records/cases/2021
run enas-check --staged
is "1:records/cases/2021/NDR-2023-7K3QP.yaml:1:5: error: id: duplicate id: NDR-2023-7K3QP is also the id of records/cases/2023/NDR-2023-7K3QP.yaml; renumber one of them (a new id, its file renamed to match)" \
    "$rc:$err" "a duplicate id against an unchanged directory"
git rm -q -r --cached records/cases/2021 && rm -r records/cases/2021

# Deleting a partner that cases refer to: the cases are checked again.
git rm -q records/partners/asticude.yaml
run enas-check --staged
n=$(printf '%s\n' "$err" | grep -c "partner: no partner record has the id 'asticude'")
is "1:3" "$rc:$n" "a deleted partner re-checks the cases that name it"
git reset -q HEAD records/partners/asticude.yaml && git checkout -q records/partners/asticude.yaml

# A change of rules re-checks everything.
sed -i 's/max: 17,/max: 14,/' records/rules/case.yaml
git add records/rules/case.yaml
run enas-check --staged
n=$(printf '%s\n' "$err" | grep -c "age: 15 is above 14")
is "1:3" "$rc:$n" "a staged change of rules re-checks every record"
git reset -q HEAD records/rules && git checkout -q records/rules

# The index as git commit -a builds it, named by GIT_INDEX_FILE.
sed -i 's/^age: 15/age: 16/' records/cases/2022/NDR-2022-7K3QP.yaml
cp .git/index "$TMP/other-index"
GIT_INDEX_FILE="$TMP/other-index" git add records/cases/2022
run env GIT_INDEX_FILE="$TMP/other-index" enas-check --staged
is "0:" "$rc:$err" "GIT_INDEX_FILE names the index that is read"
sed -i 's/^age: 16/age: 19/' records/cases/2022/NDR-2022-7K3QP.yaml
GIT_INDEX_FILE="$TMP/other-index" git add records/cases/2022
run env GIT_INDEX_FILE="$TMP/other-index" enas-check --staged
is "1:records/cases/2022/NDR-2022-7K3QP.yaml:7:6: error: age: 19 is above 17 (ENAS are minors: age is 0 to 17 at registration)" \
    "$rc:$err" "and its staged blob is what is checked"
run enas-check --staged
is "0:" "$rc:$err" "while the repository's own index is untouched"
git checkout -q records

# An index of version 4, which enas reads through libgit2.
git update-index --index-version 4
sed -i 's/^age: 15/age: 18/' records/cases/2024/NDR-2024-7K3QP.yaml
git add records
run enas-check --staged
is "1:records/cases/2024/NDR-2024-7K3QP.yaml:7:6: error: age: 18 is above 17 (ENAS are minors: age is 0 to 17 at registration)" \
    "$rc:$err" "an index of version 4 is read too"
git checkout -q HEAD records
git update-index --index-version 2

# No index file at all: the next commit would hold nothing, no rules.
rm .git/index
run enas-check --staged
is "2:records/rules: error: no rules in records/rules: this is not a records repository (run 'enas init')" \
    "$rc:$err" "no index: an empty tree, without rules"

done_testing
