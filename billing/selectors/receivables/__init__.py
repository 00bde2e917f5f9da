"""Accounts receivable: the ledger read per charge (ledger), the A/R page's
figures (report, measures) and the client statement (statement)."""
