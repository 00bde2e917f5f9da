"""Reading what comes back from clearinghouses and payers: 999 and 277CA
acknowledgements and 835 remittances (DOMAIN.md section 13)."""
