"""``python -m summarizer.local.runtime ...``: the embedded model's server (see ``runtime.main``)."""

from summarizer.local.runtime import main

main()
