"""Allows ``python -m annotator``, which the frozen app and the tests rely on."""

from annotator.cli import main

raise SystemExit(main())
