"""The project file on disk: opening and vetting it, its lock, backups, restore and
temporary files."""
