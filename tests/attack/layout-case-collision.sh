# layout: two records whose names differ only by case
hook=refuse
write_case "$(case_file)"
write_case records/cases/2024/NDR-2024-7k3qp.yaml
commit "case NDR-2024-7K3QP: new"
expect "TODO layout"
hook_expect "TODO layout"
