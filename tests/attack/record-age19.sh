# a case with an age of 19, under the rules as they are
hook=refuse
F=$(case_file)
write_case "$F"
sed -i 's/^age: 15/age: 19/' "$F"
commit "case NDR-2024-7K3QP: new"
expect "$C:$F:7:6: error: age: 19 is above 17 (ENAS are minors: age is 0 to 17 at registration)"
hook_expect "$F:7:6: error: age: 19 is above 17 (ENAS are minors: age is 0 to 17 at registration)"
