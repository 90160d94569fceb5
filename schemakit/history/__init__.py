"""Migration files and their application: the folder, the tracking table, running SQL, locks, lint."""
