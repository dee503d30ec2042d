# a ledger ref (allowed) that carries a records tree with a case
server_config enas.allowRef refs/heads/main
server_config enas.allowRef refs/enas/published
write_case "$(case_file)"
commit "case NDR-2024-7K3QP: new"
push="origin HEAD:refs/enas/published"
expect "$C:.gitattributes: error: a ledger holds only publications: plain files at its top, named with letters, digits and ._-+:"
expect "$C:records: error: a ledger holds only publications: plain files at its top, named with letters, digits and ._-+:"
