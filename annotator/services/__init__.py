"""Use cases shared by the window and the CLI. No Qt here, and no SQL: that is the store's."""
