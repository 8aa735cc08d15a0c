"""What a model folder's card (README.md front matter, as on the Hugging Face hub) declares about its languages."""
from __future__ import annotations

import re
from pathlib import Path

CJK_LANGUAGES = frozenset({"zh", "ja", "ko", "multilingual"})


def declared_languages(folder: Path | str | None) -> frozenset[str] | None:
    """The `language:` of the model card (`en`, or a list such as `[multilingual, zh, de]`), lower-cased;
    None when the folder has no card or the card declares none."""
    if folder is None:
        return None
    try:
        text = (Path(folder) / "README.md").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    match = re.match(r"\A---\s*\n(.*?)\n---\s*(\n|\Z)", text, re.S)
    if not match:
        return None
    lines = match.group(1).splitlines()
    for i, line in enumerate(lines):
        key = re.match(r"^language\s*:\s*(.*)$", line)
        if not key:
            continue
        inline = key.group(1).strip()
        if inline:
            values = inline.strip("[]").split(",")
        else:
            values = []
            for item in lines[i + 1 :]:
                listed = re.match(r"^\s*-\s*(.+)$", item)
                if not listed:
                    break
                values.append(listed.group(1))
        found = frozenset(v.strip().strip("'\"").lower() for v in values if v.strip().strip("'\""))
        return found or None
    return None


def reads_cjk(languages: frozenset[str] | None) -> bool:
    """Whether a model declaring `languages` was trained on Chinese, Japanese or Korean (True when unknown)."""
    if languages is None:
        return True
    return any(re.split(r"[-_]", lang)[0] in CJK_LANGUAGES for lang in languages)
