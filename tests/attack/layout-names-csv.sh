# layout: names.csv at the top of the repository
hook=refuse
printf 'id,name\nNDR-2024-7K3QP,Zahra Testname\n' >names.csv
commit "records: names"
expect "$C:names.csv: error: TODO layout"
hook_expect "names.csv: error: TODO layout"
