"""The prescription to remedy an audit's violations and its life, one module per job: issue (numbering, drawn
up at the submit, a follow-up audit's result), items (an item's state and its changes as events), queries (the
lists in scope, their rows for CSV and XLSX), links (the facility's secret link), reports (the PDF)."""
