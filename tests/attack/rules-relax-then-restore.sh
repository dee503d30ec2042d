# relax the rules, add a case with a name, restore the rules: three commits
F=$(case_file)
cp records/rules/case.yaml "$TMP/case.yaml.orig"
sed -i 's/^fields:$/fields:\n  name: {}/' records/rules/case.yaml
commit "rules: name"
write_case "$F"
printf 'name: Zahra Testname\n' >>"$F"
commit "case NDR-2024-7K3QP: new"
cp "$TMP/case.yaml.orig" records/rules/case.yaml
commit "rules: restore"
expect "$C1:records/rules/case.yaml: error: only an admin may change the rules: 'ndr' is not in enas.admin, and the commit is not signed with an ssh key"
expect "$C3:records/rules/case.yaml: error: only an admin may change the rules: 'ndr' is not in enas.admin, and the commit is not signed with an ssh key"
