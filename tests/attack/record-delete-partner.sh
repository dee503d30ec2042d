# deleting a partner that a case refers to
hook=refuse
git rm -q records/partners/asticude.yaml
commit "partner asticude: removed"
expect "$C:records/cases/2024/CAS-2024-7K3QP.yaml:4:10: error: partner: no partner record has the id 'asticude' (id of the registering organisation, a file in records/partners)"
hook_expect "records/cases/2024/CAS-2024-7K3QP.yaml:4:10: error: partner: no partner record has the id 'asticude' (id of the registering organisation, a file in records/partners)"
