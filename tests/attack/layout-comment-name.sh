# layout: a YAML comment holding a name, a birth date and a phone number
hook=refuse
F=$(case_file)
write_case "$F"
printf '# Zahra Testname, born 2010-02-03, +212 612 345 678\n' >>"$F"
commit "case NDR-2024-7K3QP: new"
expect "$C:$F:29:1: error: a comment; records hold no comments (a name or a note would escape every rule there): remove it"
hook_expect "$F:29:1: error: a comment; records hold no comments (a name or a note would escape every rule there): remove it"
