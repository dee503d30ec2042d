# a case with a name field
hook=refuse
F=$(case_file)
write_case "$F"
printf 'name: Zahra Testname\n' >>"$F"
commit "case NDR-2024-7K3QP: new"
expect "$C:$F:29:1: error: name: field not declared in $C:records/rules/case.yaml; names and other details that identify a child are never recorded: records are shared with every office and stay in git's history for good, so they hold coded facts only"
hook_expect "$F:29:1: error: name: field not declared in records/rules/case.yaml; names and other details that identify a child are never recorded: records are shared with every office and stay in git's history for good, so they hold coded facts only"
