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
        venv_python = Path(__file__).resolve().parent / ".venv" / "bin" / "python"
        if venv_python.exists() and Path(sys.executable).resolve() != venv_python.resolve():
            os.execv(str(venv_python), [str(venv_python), *sys.argv])
        raise ImportError(
            "Couldn't import Django. Run `make run` once (it creates .venv) or activate a virtual environment."
        ) from None
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
