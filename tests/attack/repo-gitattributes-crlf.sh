# a .gitattributes change that turns every office's records to CRLF
printf '* text eol=crlf\n' >.gitattributes
commit "attributes"
expect "$C:.gitattributes: error: only an admin may change the rules: 'ndr' is not in enas.admin, and the commit is not signed with an ssh key"
