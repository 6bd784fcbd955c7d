"""The supervisor's review of submitted audits."""
