# deleting a rules file (session.yaml)
git rm -q records/rules/session.yaml
commit "rules: tidy"
expect "$C:records/rules/session.yaml: error: only an admin may change the rules: 'ndr' is not in enas.admin, and the commit is not signed with an ssh key"
