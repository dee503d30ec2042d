# control: the Nador office edits Casablanca's case (a referral)
accept=1
sed -i 's/^risk_level: high/risk_level: medium/' records/cases/2024/CAS-2024-7K3QP.yaml
commit "case CAS-2024-7K3QP: risk_level"
