"""The words of the command-line output, in both languages (`--lang`, `$CALLCHECK_LANG`).

Where the app's screens (ui/strings.py) already say a thing, the key and the words here are
the same (a test holds them identical), so `callcheck list` and the History screen agree."""

from __future__ import annotations

import unicodedata

from .i18n import Lang, Msg

WORDS: dict[str, Msg] = {
    # shared with the app (ui/strings.py): identical keys and words
    "status.draft": Msg("草稿", "draft"),
    "status.pending_retest": Msg("待重測", "waiting for a retest"),
    "status.finished": Msg("已完成", "finished"),
    "status.damaged": Msg("損毀", "damaged"),
    "home.due_now": Msg("可重測", "due now"),
    # the command line's own
    "cli.retest_at": Msg("重測時間 {time}", "retest at {time}"),
    "cli.due_in": Msg("還要 {wait}", "due in {wait}"),
    "cli.deleted": Msg("已刪除 {label}", "deleted {label}"),
    "cli.would_delete": Msg("將刪除 {label}；加 --yes 確認", "would delete {label}; "
                            "add --yes to confirm"),
    "cli.revised": Msg("已修訂 {id}：{n} 項變更；分數 {score}",
                       "revised {id}: {n} change(s); score {score}"),
    "cli.sealed": Msg("已封存：{id}（內容摘要 {digest}）",
                      "sealed: session {id} (digest {digest})"),
    "cli.sealed_count": Msg("內容摘要啟用之前完成的 {n} 筆紀錄已封存，每筆留有修訂紀錄",
                            "{n} finished sessions stored before content digests existed are "
                            "sealed now, each marked by a revision"),
    "cli.unsealed": Msg("{n} 筆已完成紀錄存於內容摘要啟用之前：未封存，內容無法核對"
                        "（`callcheck verify --seal` 封存之，每筆留有修訂紀錄）",
                        "{n} finished sessions were stored before content digests existed: "
                        "unsealed, their content cannot be checked (`callcheck verify --seal` "
                        "seals them, each marked by a revision)"),
    "cli.verify_bad": Msg("{checked} 筆已完成紀錄中有 {bad} 筆與內容摘要不符",
                          "{bad} of {checked} finished sessions do not match their digest"),
    "cli.verify_ok": Msg("已核對 {checked} 筆已完成紀錄：全部與內容摘要相符",
                         "{checked} finished sessions checked: every one matches its digest"),
    "import.added": Msg("新增 {n} 筆", "{n} added"),
    "import.identical": Msg("{n} 筆已存在", "{n} already there"),
    "import.modified": Msg("{n} 筆內容與摘要不符仍匯入（已標記）",
                           "{n} accepted although modified (marked)"),
    "import.conflicts": Msg("{n} 筆與已存紀錄不同（保留已存的）",
                            "{n} conflicting (kept the stored copy)"),
    "import.deleted": Msg("{n} 筆先前已在此刪除（未恢復）",
                          "{n} deleted here earlier (not brought back)"),
    "import.invalid": Msg("{n} 筆無效（略過）", "{n} invalid (skipped)"),
    "import.duplicates": Msg("{n} 筆重複出現且內容不同（略過）",
                             "{n} given twice with different content (skipped)"),
    "import.sep": Msg("，", ", "),
}


def word(key: str, lang: Lang, **values: object) -> str:
    """The words of `key` in `lang`, with `values` filled in."""
    text = WORDS[key].get(lang)
    return text.format(**values) if values else text


def status_word(status: str, lang: Lang) -> str:
    """A session status as the app names it (an unknown one as it is stored)."""
    found = WORDS.get(f"status.{status}")
    return found.get(lang) if found is not None else status


def width(text: str) -> int:
    """Columns `text` takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, columns: int) -> str:
    """`text` filled with spaces to `columns` terminal columns."""
    return text + " " * max(0, columns - width(text))
