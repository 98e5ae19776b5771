"""Publishing system for the provincial call guide for international S&T cooperation projects."""

# How every message and document spells the command line: it works from the repository root in a
# fresh shell, with no virtual environment activated and no `python` on the PATH (Debian has none).
COMMAND = ".venv/bin/python build.py"
