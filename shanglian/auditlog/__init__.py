"""The auditor's pages over the audit log (三员分立: the auditor alone reads them). The recorder is `audit`."""
