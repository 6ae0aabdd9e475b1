"""What a CRM client says when the CRM misbehaves, worded once for HubSpot and Salesforce.

Every failure of a sync is one line for the person running it, and every line says the
same two things: what went wrong, and that the deals read so far are kept (each page is
stored with its cursor, `coaching.digests.crm`), so the next sync carries on. Rate limits are
waited out the same way too: `Retry-After` seconds, capped, a few times.
"""

from __future__ import annotations

from coaching.errors import CoachingError

MAX_RATE_LIMITED = 5
MAX_WAIT_SECONDS = 60.0


def retry_after_seconds(raw: str | None) -> float:
    """Seconds from a `Retry-After` header (both CRMs send whole seconds), 1 when absent or
    odd, never more than `MAX_WAIT_SECONDS`."""
    try:
        wait = float(raw) if raw is not None else 1.0
    except ValueError:
        wait = 1.0
    return min(max(wait, 0.0), MAX_WAIT_SECONDS)


def still_rate_limited(label: str) -> CoachingError:
    return CoachingError(
        "crm.unavailable",
        f"{label} kept answering 'too many requests'; the deals read so far are kept. "
        "Run the sync again later and it carries on from there.",
    )


def answered_error(label: str, status: int | None) -> CoachingError:
    return CoachingError(
        "crm.unavailable",
        f"{label} answered with an error ({status}); nothing more was read. The deals read "
        "so far are kept, and the next sync carries on from there.",
    )


def garbled(label: str, url_setting: str) -> CoachingError:
    return CoachingError(
        "crm.unavailable",
        f"{label} sent an answer I could not read; the deals read so far are kept. Check "
        f"{url_setting}, and run the sync again.",
    )


def unreachable(label: str, url_setting: str) -> CoachingError:
    return CoachingError(
        "crm.unavailable",
        f"{label} could not be reached; the deals read so far are kept. Check the network "
        f"(or {url_setting}) and run the sync again.",
    )
