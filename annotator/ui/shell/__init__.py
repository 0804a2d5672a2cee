"""The window around the work: main window, menus, file actions, settings."""
