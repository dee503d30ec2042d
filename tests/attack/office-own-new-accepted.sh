# control: the Nador office creates its own case
accept=1
write_case "$(case_file)"
commit "case NDR-2024-7K3QP: new"
