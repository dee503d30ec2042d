# the Nador office creates a case with Casablanca's code
F=$(case_file CAS-2024-AB12C)
write_case "$F" CAS-2024-AB12C
commit "case CAS-2024-AB12C: new"
expect "$C:$F: error: id: office NDR (pusher 'ndr') may add only records whose ids begin with NDR; another office's records can be changed, not created"
