# a case that refers to a partner that does not exist
hook=refuse
F=$(case_file)
write_case "$F"
sed -i 's/^partner: asticude/partner: nobody/' "$F"
commit "case NDR-2024-7K3QP: new"
expect "$C:$F:4:10: error: partner: no partner record has the id 'nobody' (id of the registering organisation, a file in records/partners)"
hook_expect "$F:4:10: error: partner: no partner record has the id 'nobody' (id of the registering organisation, a file in records/partners)"
