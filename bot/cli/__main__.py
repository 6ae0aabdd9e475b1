"""`python -m bot.cli`: the same as the `coach` entry point."""

from bot.cli import main

main()
