# layout: an executable record
hook=refuse
F=$(case_file)
write_case "$F"
chmod +x "$F"
commit "case NDR-2024-7K3QP: new"
expect "$C:$F: error: TODO layout"
hook_expect "$F: error: TODO layout"
