# renaming a kind's directory (dir: cases to dir: kids)
sed -i 's/^dir: cases$/dir: kids/' records/rules/case.yaml
commit "rules: dir"
expect "$C:records/rules/case.yaml: error: only an admin may change the rules: 'ndr' is not in enas.admin, and the commit is not signed with an ssh key"
