"""The Prevention of Future Deaths corpus: coroners' reports, whom each was sent to, and who answered.

Plain Python, no database (the reading side, like responses/extraction):

- `rows`: the CSV formats (the Preventable Deaths Tracker's scrape and status export, PFD Toolkit's export)
  read into `PfdRow`s, each bad row reported with its number and reason;
- `dates`: the dates the files and reports write ('21 April 2023', '21/04/2023', 'namely by 4th March');
- `names`: addressee names normalised to a key, the organisation kind a name suggests, role names
  ('Secretary of State for Health') and prisons recognised, similarity for suggested matches;
- `replies`: the sender and month of a published response, from its judiciary.uk address;
- `concerns`: the MATTERS OF CONCERN section split into numbered concerns;
- `report_pdf`: the fields of a PFD report document (deceased, date, reference, coroner, area,
  addressees, concerns, response date);
- `statuses`: the Preventable Deaths Tracker's per-report categories (pending, overdue, partial, completed).

With the database (records and processes):

- `organisations`: the alias table (AddresseeName), known organisations, resolving names, merging two
  organisations;
- `importer`: the set-based import behind `manage.py import_pfd_reports`.
"""
