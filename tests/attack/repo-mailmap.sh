# a .mailmap that maps an author to a child's name
printf 'Zahra Testname <office@example.org>\n' >.mailmap
commit "mailmap"
expect "$C:.mailmap: error: only an admin may change the rules: 'ndr' is not in enas.admin, and the commit is not signed with an ssh key"
