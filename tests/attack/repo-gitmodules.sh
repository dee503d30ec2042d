# a .gitmodules that points a clone at another repository
printf '[submodule "x"]\n\tpath = x\n\turl = https://example.org/x.git\n' >.gitmodules
commit "modules"
expect "$C:.gitmodules: error: only an admin may change the rules: 'ndr' is not in enas.admin, and the commit is not signed with an ssh key"
