# a case with a name field
hook=refuse
F=$(case_file)
write_case "$F"
printf 'name: Zahra Testname\n' >>"$F"
commit "case NDR-2024-7K3QP: new"
expect "$C:$F:29:1: error: name: field not declared in $C:records/rules/case.yaml"
hook_expect "$F:29:1: error: name: field not declared in records/rules/case.yaml"
