# layout: names.csv at the top of the repository
hook=refuse
printf 'id,name\nNDR-2024-7K3QP,Zahra Testname\n' >names.csv
commit "records: names"
expect "$C:names.csv: error: a file outside the records layout: a records repository holds only records/ and .gitattributes; remove it (git rm)"
hook_expect "names.csv: error: a file outside the records layout: a records repository holds only records/ and .gitattributes; remove it (git rm)"
