"""``python -m summarizer.eval check GOLD [GOLD ...]``: validate gold files against their folders.

Prints one line per problem and exits 1 when there is any; a reviewer runs it after each edit.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pydantic import ValidationError

from summarizer.eval.gold import check_gold, load_gold


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] != "check":
        print("usage: python -m summarizer.eval check GOLD_FILE [GOLD_FILE ...]", file=sys.stderr)
        return 2
    failed = False
    for path in argv[1:]:
        try:
            gold = load_gold(path)
        except (OSError, ValidationError, ValueError) as error:
            print(f"{path}: {' '.join(str(error).split())[:2000]}")
            failed = True
            continue
        problems = check_gold(gold, Path(gold.folder))
        failed |= bool(problems)
        for problem in problems:
            print(f"{path}: {problem}")
        labelled = sum(len(v) for v in gold.sentences.values())
        print(f"{path}: {len(gold.sources)} sources, {len(gold.facts)} facts, {len(gold.casualties)} casualties, "
              f"{len(gold.disputes)} disputes, {len(gold.dates)} dates, {labelled} sentence labels, "
              f"{len(problems)} problems", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
