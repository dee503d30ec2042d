# a merge commit that brings a name no parent had
F=$(case_file)
git checkout -q -b side
write_case "$(case_file NDR-2024-7K3QR)" NDR-2024-7K3QR
commit "case NDR-2024-7K3QR: new"
git checkout -q main
write_case "$F"
commit "case NDR-2024-7K3QP: new"
git merge -q --no-ff --no-commit side
printf 'name: Zahra Testname\n' >>"$F"
git add "$F"
git commit -q --no-verify -m "Merge branch 'side'"
C=$(git rev-parse --short=7 HEAD)
expect "$C:$F:29:1: error: name: field not declared in $C:records/rules/case.yaml; names and other details that identify a child are never recorded: records are shared with every office and stay in git's history for good, so they hold coded facts only"
