# a rules change from a non-admin office: one more enum value
sed -i 's/enum: \[male, female, unknown\]/enum: [male, female, unknown, other]/' records/rules/case.yaml
commit "rules: sex"
expect "$C:records/rules/case.yaml: error: only an admin may change the rules: 'ndr' is not in enas.admin, and the commit is not signed with an ssh key"
