"""The compliance dashboard: figures, charts and statistics downloads for supervisors and the ministry."""
