# layout: a record whose file name starts with '.'
hook=refuse
F=records/cases/2024/.NDR-2024-7K3QP.yaml
write_case "$F"
printf 'name: Zahra Testname\n' >>"$F"
commit "case NDR-2024-7K3QP: new"
expect "$C:$F: error: a hidden file (its name starts with '.'); the records layout has none"
hook_expect "$F: error: a hidden file (its name starts with '.'); the records layout has none"
