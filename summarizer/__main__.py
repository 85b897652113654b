"""``python -m summarizer``: the same command as ``summarize``."""

from summarizer.cli import main

if __name__ == "__main__":
    main()
