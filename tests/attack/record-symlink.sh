# a record that is a symbolic link
hook=refuse
F=$(case_file)
mkdir -p "$(dirname "$F")"
ln -s ../../../.git/config "$F"
commit "case NDR-2024-7K3QP: new"
expect "$C:$F: error: a symbolic link; the records layout holds only plain files"
hook_expect "$F: error: a symbolic link; the records layout holds only plain files"
