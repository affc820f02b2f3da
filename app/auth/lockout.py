"""Per-account lockout after repeated failed sign-ins, so that guessing from many addresses is stopped too.

The counts live in users.failed_logins / users.locked_until (every worker sees them). Each change is one UPDATE
that reads the row's current value in SQL, so two workers counting failures at once never lose one and only one
of them locks the account (and audits it).
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import update

from app.audit import record_action
from app.extensions import db
from app.models import User, utcnow


def is_locked(user: User) -> bool:
    """Whether the account is refused whatever password is given (a lock in the past is no lock)."""
    return user.locked_until is not None and user.locked_until > utcnow()


def locked_message(user: User) -> str:
    """What a locked account is told: that it is locked and for how long, never whether the password was right."""
    minutes = max(1, int(-(-(user.locked_until - utcnow()).total_seconds() // 60)))
    return (f"This account is locked after too many failed sign-ins. Try again in {minutes} minute"
            f"{'s' if minutes != 1 else ''}, or ask an admin to unlock it.")


def note_failure(user: User) -> bool:
    """Count one wrong password; lock the account when the count reaches LOGIN_MAX_FAILURES. True when this
    failure locked it (the lock is then audited as sign_in_lockout)."""
    now = utcnow()
    limit = int(current_app.config["LOGIN_MAX_FAILURES"])
    minutes = int(current_app.config["LOGIN_LOCKOUT_MINUTES"])
    # a lock that has run out starts a fresh count: the next five failures lock again, not the next one
    db.session.execute(update(User).where(User.id == user.id, User.locked_until.is_not(None),
                                          User.locked_until <= now).values(failed_logins=0, locked_until=None))
    db.session.execute(update(User).where(User.id == user.id).values(failed_logins=User.failed_logins + 1))
    locked = db.session.execute(update(User).where(User.id == user.id, User.failed_logins >= limit,
                                                   User.locked_until.is_(None))
                                .values(locked_until=now + timedelta(minutes=minutes)))
    db.session.commit()
    db.session.refresh(user)
    if not locked.rowcount:
        return False
    record_action("sign_in_lockout", outcome="ok", username=user.username, object_type="user",
                  object_id=user.username, params={"failed_logins": user.failed_logins, "minutes": minutes,
                                                   "locked_until": user.locked_until.isoformat()})
    return True


def note_success(user: User) -> None:
    """A right password clears the count (the caller commits)."""
    user.failed_logins, user.locked_until = 0, None
