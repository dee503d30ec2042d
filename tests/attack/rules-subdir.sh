# records/rules/sub/x.yaml
mkdir -p records/rules/sub
printf 'x: 1\n' >records/rules/sub/x.yaml
commit "rules: sub"
expect "$C:records/rules/sub/x.yaml: error: only an admin may change the rules: 'ndr' is not in enas.admin, and the commit is not signed with an ssh key"
