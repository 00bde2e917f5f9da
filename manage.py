#!/usr/bin/env python
"""Django's command-line utility for OpenIOP."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iop.settings")
    # manage.py in a checkout is a developer's tool: development defaults
    # unless DEBUG is set. The production image sets DEBUG=0 (Dockerfile), so
    # there a missing SECRET_KEY still stops every command.
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
