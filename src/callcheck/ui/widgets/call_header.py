"""Who is tested and when: the session's header, always as plain text."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ...dates import parse_datetime, roc_datetime
from ...i18n import Lang
from ...session import Session
from ...text import printable
from ...words import tr


class CallHeader(Static):
    """Agency · unit · number · tester, the test time (ROC and ISO), the attempt, the question.

    Header fields are typed by testers, so they are shown as Text, never parsed as markup,
    and their control characters are shown visibly (a resumed draft may carry escapes).
    """

    def show(self, session: Session, lang: Lang, attempt: int | None = None) -> None:
        h = session.header
        who = Text(printable(" · ".join(h[k] for k in ("agency", "unit", "number", "tester")
                                        if h.get(k))), style="bold")
        if attempt:
            who = Text(tr("live.attempt", lang, n=attempt) + "　", style="bold reverse") + who
        # The attempt's own dialling time: a retest shows when it was dialled, not the first call.
        started = session.attempts[attempt - 1].started_at if attempt and \
            len(session.attempts) >= attempt else None
        at = parse_datetime(started or session.at)
        when = Text(f"{roc_datetime(at, lang)}　{at.format('YYYY-MM-DD HH:mm')}", style="dim")
        if h.get("question"):
            when.append("　" + tr("live.question", lang), style="dim")
            when.append(printable(h["question"]))
        self.update(Text("\n").join([who, when]))
