"""``python -m chronicle``: the ``chronicle`` command, for when the script is not on the PATH."""

from chronicle._cli import main

if __name__ == "__main__":
    main()
