# layout: an executable record
hook=refuse
F=$(case_file)
write_case "$F"
chmod +x "$F"
commit "case NDR-2024-7K3QP: new"
expect "$C:$F: error: an executable file (mode 100755); records are plain files: git update-index --chmod=-x, or chmod -x and git add"
hook_expect "$F: error: an executable file (mode 100755); records are plain files: git update-index --chmod=-x, or chmod -x and git add"
