"""The codebook in the window: the manager (a dock: the issue tree and the speakers with their
usage, rename, recolour, merge, delete, memo, aliases, shortcut), the actions the code lists'
right-click menus share with it, and the confirmation of new speakers before suggestions are
accepted."""
