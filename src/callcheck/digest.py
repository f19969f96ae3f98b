"""Content digests: a finished session's evidence, answers, result and revisions, sealed.

A finished session carries `digest`, the SHA-256 of a canonical JSON form of
what the form's record rests on: the header, the context, every attempt's
timeline, the answers, notes and not-applicable reasons, the status, the
scored result and the revisions. Bookkeeping that changes when a copy is
saved again (`rev`, `updated_at`) and the digest itself are left out.

Every change made through callcheck re-seals the session (finishing, an
edit, `Store.save`); a change made by hand in the database file does not, and
`callcheck verify` finds it. The printed form shows the digest's first
characters so a paper copy can be matched to the stored record.

Sessions finished before callcheck had digests were stored without the
`digest` field at all (today's documents always carry it, null until
finished). Their content cannot be checked: `verify` counts them apart as
unsealed (not as changed), and `callcheck verify --seal` seals them
explicitly, each with a revision saying when and that the seal vouches only
for the content as found then. Nothing seals them silently on reading: a seal
made on reading would vouch for content that callcheck never checked.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

import msgspec

DIGEST_FIELDS = ("id", "rubric", "rubric_version", "rubric_sha256", "header", "context",
                 "attempts", "answers", "notes", "na", "status", "result", "revisions")
"""The parts of a session document the digest covers (everything but bookkeeping)."""

SHORT = 12
"""Hex digits of the digest shown on a printed form."""


def canonical(doc: Mapping[str, Any]) -> bytes:
    """The session's content as canonical JSON: sorted keys, no spaces, UTF-8."""
    content = {k: doc.get(k) for k in DIGEST_FIELDS}
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def content_digest(doc: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the session document's canonical content."""
    return hashlib.sha256(canonical(doc)).hexdigest()


_SORTED = msgspec.json.Encoder(order="sorted")


def matches(doc: Mapping[str, Any], stored: str) -> bool:
    """Whether the content's digest is `stored`, found fast.

    msgspec writes the same canonical bytes as `canonical` (sorted keys, UTF-8,
    no spaces) about four times faster; where it writes them differently (a
    float's spelling), the digest differs and the definitive `content_digest`
    decides. So a match is never wrong and a mismatch is always confirmed.
    """
    try:
        fast = _SORTED.encode({k: doc.get(k) for k in DIGEST_FIELDS})
    except (TypeError, ValueError, OverflowError):
        fast = b""
    if hashlib.sha256(fast).hexdigest() == stored:
        return True
    return content_digest(doc) == stored


def short(digest: str | None) -> str:
    return (digest or "")[:SHORT]


def needs_digest(doc: Mapping[str, Any]) -> bool:
    """Only finished sessions are sealed; drafts and pending retests still change."""
    return doc.get("status") == "finished"


def unsealed(doc: Mapping[str, Any]) -> bool:
    """A finished session stored before digests existed: it has no `digest` field at all
    (callcheck has written one, null or not, in every document since)."""
    return needs_digest(doc) and "digest" not in doc


@dataclass(frozen=True, slots=True)
class Mismatch:
    """A finished session whose stored content no longer matches its digest."""

    id: str
    stored: str | None
    """The digest it carries (None: it carries none)."""
    actual: str

    def describe(self) -> str:
        if not self.stored:
            return f"session {self.id}: finished but carries no content digest"
        return (f"session {self.id}: content does not match its digest "
                f"(stored {short(self.stored)}…, content {short(self.actual)}…): "
                "changed outside callcheck")


def check(doc: Mapping[str, Any]) -> Mismatch | None:
    """None when the document is not finished or matches its digest."""
    if not needs_digest(doc):
        return None
    stored = doc.get("digest")
    if isinstance(stored, str) and matches(doc, stored):
        return None
    actual = content_digest(doc)
    if stored == actual:
        return None
    return Mismatch(str(doc.get("id")), stored if isinstance(stored, str) else None, actual)


class Verified(NamedTuple):
    """What `verify` found, in the order given."""

    checked: int
    """Finished sessions carrying a digest, checked against their content."""
    bad: list[Mismatch]
    """Those whose content does not match (or whose digest was emptied)."""
    unsealed: list[str]
    """Ids of finished sessions stored before digests existed (see `unsealed`)."""


def verify(docs: Iterable[Mapping[str, Any]]) -> Verified:
    """Check every finished session's content against its digest."""
    checked = 0
    bad: list[Mismatch] = []
    old: list[str] = []
    for doc in docs:
        if not needs_digest(doc):
            continue
        if "digest" not in doc:
            old.append(str(doc.get("id")))
            continue
        checked += 1
        m = check(doc)
        if m is not None:
            bad.append(m)
    return Verified(checked, bad, old)
