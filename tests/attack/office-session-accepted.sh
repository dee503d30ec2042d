# control: an office adds a session (ids without an office code)
accept=1
mkdir -p records/sessions/2024
cat >records/sessions/2024/SES-2024-M4ZD2.yaml <<SES
id: SES-2024-M4ZD2
date: 2024-05-02
kind: awareness
site: nador
organisers: [asticude]
themes: [child_rights]
audience: enas
participants:
  enas: 12
SES
commit "session SES-2024-M4ZD2: new"
