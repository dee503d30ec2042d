# relaxed rules (name declared, age up to 19) with a case holding a name and an age of 19
hook=refuse
F=$(case_file)
sed -i 's/max: 17,/max: 19,/; s/^fields:$/fields:\n  name: {}/' records/rules/case.yaml
write_case "$F"
sed -i 's/^age: 15/age: 19/' "$F"
printf 'name: Zahra Testname\n' >>"$F"
commit "case NDR-2024-7K3QP: new"
expect "$C:records/rules/case.yaml: error: only an admin may change the rules: 'ndr' is not in enas.admin, and the commit is not signed with an ssh key"
expect "$C:$F: error: the commit also changes records/rules/case.yaml: a change of the rules or of a repository file is a commit of its own"
hook_expect "pre-commit: error: $F: the commit also changes records/rules/case.yaml: a change of the rules or of a repository file is a commit of its own"
