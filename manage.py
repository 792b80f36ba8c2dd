#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys
from pathlib import Path


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    try:
        from django.core.management import execute_from_command_line
    except ImportError:
        # `python manage.py ...` from outside the virtual environment that `make run` creates:
        # hand over to the project's own interpreter rather than fail.
        venv = Path(__file__).resolve().parent / ".venv"
        venv_python = venv / "bin" / "python"
        # Compare prefixes, not executables: the venv's python is a symlink to this same interpreter.
        if venv_python.exists() and Path(sys.prefix).resolve() != venv.resolve():
            os.execv(str(venv_python), [str(venv_python), *sys.argv])
        raise ImportError(
            "Couldn't import Django. Run `make run` once (it creates .venv) or activate a virtual environment."
        ) from None
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
