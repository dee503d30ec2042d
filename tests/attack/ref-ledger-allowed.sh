# control: a ledger ref that the server allows (enas.allowRef)
accept=1
server_config enas.allowRef refs/heads/main
server_config enas.allowRef refs/enas/published
push="origin HEAD:refs/enas/published"
