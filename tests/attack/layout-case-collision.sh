# layout: two records whose names differ only by case
hook=refuse
write_case "$(case_file)"
write_case records/cases/2024/NDR-2024-7k3qp.yaml
commit "case NDR-2024-7K3QP: new"
expect "$C:records/cases/2024/NDR-2024-7k3qp.yaml: error: a file outside the records layout: a case record stands at records/cases/{registered:year}/{id}.yaml, named by its id"
expect "$C:records/cases/2024/NDR-2024-7k3qp.yaml: error: the name differs only by case or accents from its sibling 'NDR-2024-7K3QP.yaml', which some file systems would take for it"
hook_expect "records/cases/2024/NDR-2024-7k3qp.yaml: error: a file outside the records layout: a case record stands at records/cases/{registered:year}/{id}.yaml, named by its id"
hook_expect "records/cases/2024/NDR-2024-7k3qp.yaml: error: the name differs only by case or accents from its sibling 'NDR-2024-7K3QP.yaml', which some file systems would take for it"
